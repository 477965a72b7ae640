"""The information duty of art. 14 AVG per dossier."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from meldingen.dossiers.models import Dossier


class InformatieplichtUitzondering(models.TextChoices):
    GEEN = "", "Geen uitzondering"
    HEEFT_INFORMATIE_AL = "heeft_informatie_al", "De huurder beschikt al over de informatie (art. 14 lid 5 sub a)"
    ONMOGELIJK = "onmogelijk_onevenredig", "Informeren is onmogelijk of vergt onevenredige inspanning (sub b)"
    WETTELIJK = "wettelijk_voorgeschreven", "Verkrijging is wettelijk voorgeschreven (sub c)"
    GEHEIMHOUDING = "geheimhoudingsplicht", "Beroepsgeheim of wettelijke geheimhoudingsplicht (sub d)"


class Informatieplicht(models.Model):
    """The art. 14 clock: inform the tenant within the convenant's term after the dossier was claimed."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="informatieplicht")
    gestart_op = models.DateField()
    termijn_op = models.DateField()
    verstuurd_op = models.DateField(null=True, blank=True)
    uitzondering = models.CharField(max_length=30, choices=InformatieplichtUitzondering.choices, blank=True)
    # Free text about the tenant's situation: encrypted under the dossier's key.
    toelichting = models.BinaryField(null=True, editable=False)
    vastgelegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # "Sent" flags of the reminder sweep: a missed tick reminds later, a repeated tick never twice.
    herinnering_voor_termijn_op = models.DateTimeField(null=True, blank=True)
    herinnering_na_termijn_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "informatieplicht"
        verbose_name_plural = "informatieplichten"
        indexes = [models.Index(fields=["termijn_op"], name="informatieplicht_termijn_idx")]

    def __str__(self) -> str:
        return f"informatieplicht {self.dossier_id}"

    @property
    def toelichting_context(self) -> str:
        """The associated data of the encrypted motivation."""
        return f"meldingen.informatieplicht:{self.dossier_id}:toelichting"

    @property
    def afgehandeld(self) -> bool:
        return self.verstuurd_op is not None or bool(self.uitzondering)
