"""The Uitvoerder's rapportage of a dossier."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from meldingen.dossiers.models import Dossier


class Rapportage(models.Model):
    """The Uitvoerder's structured report of a dossier (Diemen convenant, bijlage 1).

    The content (income, expenses, debts, fixed charges, arrangements, assessment, plan of approach) is
    one JSON document encrypted under the dossier's key (context ``meldingen.rapportage:<dossier id>``).
    ``volledig`` is derived by the service from that content on every save, never typed in.
    """

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="rapportage")
    inhoud = models.BinaryField(null=True, editable=False)
    volledig = models.BooleanField(default=False)
    bijgewerkt_op = models.DateTimeField(auto_now=True)
    bijgewerkt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pdf = models.ForeignKey(
        "privacy.VersleuteldBestand", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pdf_gemaakt_op = models.DateTimeField(null=True, blank=True)
    #: When a (new) PDF was last asked for: until ``pdf_gemaakt_op`` passes it, the worker is making one.
    pdf_aangevraagd_op = models.DateTimeField(null=True, blank=True)
    # The same PDF for the Gemeente under consent scope "rapportage": without the contact attempts' notes.
    pdf_gemeente = models.ForeignKey(
        "privacy.VersleuteldBestand", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "rapportage"
        verbose_name_plural = "rapportages"

    def __str__(self) -> str:
        return f"rapportage {self.dossier_id}"

    @property
    def inhoud_context(self) -> str:
        """The associated data of the encrypted content."""
        return f"meldingen.rapportage:{self.dossier_id}"
