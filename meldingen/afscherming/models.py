"""Restriction (art. 18 AVG) and objection (art. 21 AVG) on a dossier."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from meldingen.dossiers.models import Dossier


class AfschermingSoort(models.TextChoices):
    BEPERKING = "beperking", "Beperking van de verwerking (art. 18 AVG)"
    BEZWAAR = "bezwaar", "Bezwaar tegen de verwerking (art. 21 AVG)"


class Afscherming(models.Model):
    """A restriction or objection on a dossier, set and lifted by the contactpunt of its convenant.

    While one is active ``Dossier.afgeschermd_sinds`` is set: the dossier is hidden from everyone but the
    contactpunt and FG of its convenant, whatever consent exists, and no service changes it.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="afschermingen")
    soort = models.CharField(max_length=10, choices=AfschermingSoort.choices)
    # Context "meldingen.afscherming:<dossier id>:reden".
    reden = models.BinaryField(null=True, editable=False)
    ingesteld_op = models.DateTimeField()
    ingesteld_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opgeheven_op = models.DateTimeField(null=True, blank=True)
    opgeheven_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "afscherming"
        verbose_name_plural = "afschermingen"
        ordering = ["-ingesteld_op"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "soort"], condition=Q(opgeheven_op__isnull=True), name="afscherming_een_actief"
            )
        ]

    def __str__(self) -> str:
        return f"afscherming {self.pk}"

    @property
    def reden_context(self) -> str:
        """The associated data of the encrypted reason (per dossier)."""
        return f"meldingen.afscherming:{self.dossier_id}:reden"

    @property
    def actief(self) -> bool:
        return self.opgeheven_op is None
