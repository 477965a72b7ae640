"""Rectification (art. 16 AVG) of a dossier's personal data: which fields were corrected, by whom, when and on
what ground. The values themselves are only in the meldingen, encrypted under the dossier's key; this record
holds field names only, so it says nothing about the tenant."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from meldingen.dossiers.models import Dossier


class Rectificatie(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="rectificaties")
    #: Paths of the corrected fields, e.g. ``huurder.achternaam`` (never values).
    velden = ArrayField(models.CharField(max_length=40))
    #: What asked for it, e.g. ``avg_verzoek`` with the request's pk.
    bron = models.CharField(max_length=30)
    bron_id = models.CharField(max_length=40, blank=True)
    toelichting = models.CharField(max_length=200, blank=True, help_text="Zonder persoonsgegevens.")
    gecorrigeerd_op = models.DateTimeField()
    gecorrigeerd_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "rectificatie"
        verbose_name_plural = "rectificaties"
        ordering = ["-gecorrigeerd_op"]
        indexes = [models.Index(fields=["bron", "bron_id"], name="rectificatie_bron_idx")]

    def __str__(self) -> str:
        return f"rectificatie {self.pk}"
