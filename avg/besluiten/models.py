"""The decision on a request (per participant's data), its documents, how it was carried out, and bezwaar."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from meldingen.dossiers.models import Dossier
from meldpunt.core.models import Organisatie
from meldpunt.privacy.models import VersleuteldBestand

from ..raadpleging.models import Categorie
from ..verzoeken.models import Verzoek, VerzoekSoort

#: A bezwaar is possible within six weeks of the decision (Awb; seed 002 §2.9).
BEZWAARTERMIJN = dt.timedelta(weeks=6)


def bezwaartermijn_einde(besloten_op: dt.date) -> dt.date:
    return besloten_op + BEZWAARTERMIJN


class Uitkomst(models.TextChoices):
    TOEGEWEZEN = "toegewezen", "Toegewezen"
    GEDEELTELIJK = "gedeeltelijk", "Gedeeltelijk toegewezen"
    AFGEWEZEN = "afgewezen", "Afgewezen"


class Besluit(models.Model):
    """The decision on the data of one participant: the categories granted and those refused (art. 41 UAVG)."""

    verzoek = models.ForeignKey(Verzoek, on_delete=models.PROTECT, related_name="besluiten")
    organisatie = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="+")
    uitkomst = models.CharField(max_length=20, choices=Uitkomst.choices)
    toegewezen = ArrayField(models.CharField(max_length=20, choices=Categorie.choices), default=list)
    geweigerd = ArrayField(models.CharField(max_length=20, choices=Categorie.choices), default=list)
    besloten_op = models.DateTimeField()
    besloten_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "besluit"
        verbose_name_plural = "besluiten"
        ordering = ["verzoek", "organisatie__naam"]
        constraints = [models.UniqueConstraint(fields=["verzoek", "organisatie"], name="avg_besluit_uniek")]

    def __str__(self) -> str:
        return f"besluit {self.pk}"


class Pakket(models.Model):
    """The answer's documents: the decision letter and, for inzage/overdraagbaarheid, the art. 15 information
    and the copy of the data (PDF and JSON), together as one ZIP encrypted under the request's key, expiring."""

    verzoek = models.OneToOneField(Verzoek, on_delete=models.PROTECT, related_name="pakket")
    aangevraagd_op = models.DateTimeField()
    gemaakt_op = models.DateTimeField(null=True, blank=True)
    brief = models.ForeignKey(VersleuteldBestand, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    bestand = models.ForeignKey(VersleuteldBestand, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    verloopt_op = models.DateTimeField(null=True, blank=True)
    gedownload_op = models.DateTimeField(null=True, blank=True)
    verwijderd_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "antwoordpakket"
        verbose_name_plural = "antwoordpakketten"

    def __str__(self) -> str:
        return f"pakket {self.verzoek_id}"


class UitvoeringStand(models.TextChoices):
    UITGEVOERD = "uitgevoerd", "Uitgevoerd"
    WACHT_OP_VERNIETIGING = "wacht_op_vernietiging", "Wacht op vernietiging"
    NIET_UITGEVOERD = "niet_uitgevoerd", "Niet uitgevoerd (uitzondering of afgewezen)"


class Uitvoering(models.Model):
    """How one kind of the request was carried out for one dossier."""

    verzoek = models.ForeignKey(Verzoek, on_delete=models.PROTECT, related_name="uitvoeringen")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    soort = models.CharField(max_length=30, choices=VerzoekSoort.choices)
    stand = models.CharField(max_length=30, choices=UitvoeringStand.choices)
    toelichting = models.CharField(max_length=200, blank=True, help_text="Zonder persoonsgegevens.")
    vastgelegd_op = models.DateTimeField()
    vastgelegd_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "uitvoering"
        verbose_name_plural = "uitvoeringen"
        constraints = [
            models.UniqueConstraint(fields=["verzoek", "dossier", "soort"], name="avg_uitvoering_uniek"),
        ]

    def __str__(self) -> str:
        return f"uitvoering {self.pk}"


class AanvullendBesluit(models.Model):
    """A supplementary decision (seed 002 §2.6): an invoked exception no longer applies, so the categories it
    covered are now granted for that participant's data. The ``Besluit`` is brought up to date; this row
    keeps what was refused before and when that changed."""

    besluit = models.ForeignKey(Besluit, on_delete=models.PROTECT, related_name="aanvullingen")
    toegewezen = ArrayField(models.CharField(max_length=20, choices=Categorie.choices))
    eerder_uitkomst = models.CharField(max_length=20, choices=Uitkomst.choices)
    besloten_op = models.DateTimeField()
    besloten_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "aanvullend besluit"
        verbose_name_plural = "aanvullende besluiten"
        ordering = ["besluit", "besloten_op"]

    def __str__(self) -> str:
        return f"aanvullend besluit {self.pk}"

    def categorie_labels(self) -> list[str]:
        return [Categorie(c).label for c in self.toegewezen]
