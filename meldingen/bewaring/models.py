"""Retention holds and destruction reports (meldingen/bewaring).

The anonymous record of a destroyed dossier is the ``Dossier`` row itself (its plain columns, with
``vernietigd_op``); these models add what retention needs beside it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from convenants.models import Convenant
from meldingen.dossiers.models import Dossier

from .workflow import BlokkadeGrond, RegelUitkomst, VernietigingsAanleiding


class Bewaarblokkade(models.Model):
    """A legal reason to keep a dossier beyond its term: the sweep skips it while the hold is active."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="bewaarblokkades")
    grond = models.CharField(max_length=20, choices=BlokkadeGrond.choices)
    # A reference (e.g. the number of the request or the case), no personal data: plain text by design,
    # shown to the FG, contactpunt and teamleider.
    reden = models.CharField(max_length=200, blank=True)
    tot = models.DateField(null=True, blank=True, help_text="Leeg: tot de blokkade wordt opgeheven.")
    bron = models.CharField(max_length=30, blank=True, help_text="avg_verzoek, datalek, of leeg (met de hand).")
    bron_id = models.CharField(max_length=64, blank=True)
    ingesteld_op = models.DateTimeField()
    ingesteld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opgeheven_op = models.DateTimeField(null=True, blank=True)
    opgeheven_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "bewaarblokkade"
        verbose_name_plural = "bewaarblokkades"
        ordering = ["opgeheven_op", "-ingesteld_op"]
        indexes = [models.Index(fields=["bron", "bron_id"], name="blokkade_bron_idx")]

    def __str__(self) -> str:
        return f"bewaarblokkade {self.pk}"

    def actief_op(self, datum: dt.date) -> bool:
        return self.opgeheven_op is None and (self.tot is None or self.tot >= datum)


class Vernietigingsverklaring(models.Model):
    """The destruction report of one convenant for one day: every run of that day adds its lines."""

    convenant = models.ForeignKey(Convenant, on_delete=models.PROTECT, related_name="vernietigingsverklaringen")
    datum = models.DateField()
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "vernietigingsverklaring"
        verbose_name_plural = "vernietigingsverklaringen"
        ordering = ["-datum", "convenant"]
        constraints = [
            models.UniqueConstraint(fields=["convenant", "datum"], name="verklaring_eenmaal_per_dag"),
        ]

    def __str__(self) -> str:
        return f"vernietigingsverklaring {self.convenant_id} {self.datum}"


class VernietigingsRegel(models.Model):
    """One dossier in a report: destroyed (with the categories), or kept by a hold. No personal data.

    Rows are never changed or deleted (a trigger refuses it; migration of this model).
    """

    verklaring = models.ForeignKey(Vernietigingsverklaring, on_delete=models.PROTECT, related_name="regels")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    dossiernummer = models.CharField(max_length=20)
    uitkomst = models.CharField(max_length=15, choices=RegelUitkomst.choices)
    aanleiding = models.CharField(max_length=15, choices=VernietigingsAanleiding.choices, blank=True)
    afgesloten_op = models.DateTimeField(null=True, blank=True)
    vernietigen_vanaf = models.DateField(null=True, blank=True)
    tijdstip = models.DateTimeField()
    #: {category: count} of what was destroyed (e.g. {"meldingen": 2, "contactnotities": 3}).
    categorieen = models.JSONField(default=dict)
    #: The grounds of the active holds that kept the dossier (for "tegengehouden").
    gronden = models.JSONField(default=list)

    class Meta:
        verbose_name = "regel van een vernietigingsverklaring"
        verbose_name_plural = "regels van vernietigingsverklaringen"
        ordering = ["tijdstip", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["verklaring", "dossier", "uitkomst"], name="verklaring_regel_eenmaal"),
        ]

    def __str__(self) -> str:
        return f"{self.dossiernummer}: {self.uitkomst}"
