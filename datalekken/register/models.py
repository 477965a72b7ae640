"""The breach register (DOMAIN.md "Breaches"; the sections of the AP's notification form).

Structured answers are plain columns, so the FG can filter and export them. Free text and the reporter's
contact details are encrypted under the breach's own data key (``inhoud``, one JSON object) and so are the
notes of the progress logbook; reading them is logged by the views.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from convenants.models import Convenant
from meldingen.dossiers.models import Dossier
from meldpunt.core.models import Organisatie
from meldpunt.privacy.models import DataSleutel, VersleuteldBestand

from .workflow import (
    Aard,
    ApBesluit,
    ApMeldingSoort,
    BetrokkenenBesluit,
    Categorie,
    DatalekStatus,
    Drempel,
    Klok,
    Oorzaak,
    Soort,
    Versleuteling,
)


class Datalek(models.Model):
    melder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gemelde_datalekken")
    melder_organisatie = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="+")
    convenanten = models.ManyToManyField(Convenant, related_name="datalekken")
    sleutel = models.OneToOneField(DataSleutel, on_delete=models.PROTECT, related_name="datalek")
    status = models.CharField(max_length=12, choices=DatalekStatus.choices, default=DatalekStatus.OPEN)

    # Clocks (timestamps with time: the deadlines are in clock hours).
    ontdekt_op = models.DateTimeField("ontdekt op")
    gemeld_op = models.DateTimeField("geregistreerd op")
    fg_geinformeerd_op = models.DateTimeField("verwerkingsverantwoordelijke (FG) geïnformeerd op")
    verwerker_uren = models.PositiveSmallIntegerField(default=24)
    ap_uren = models.PositiveSmallIntegerField(default=72)
    #: The processor's complete report (the questions of bijlage 3) reached the controller: ends the 24h clock.
    verwerker_compleet_op = models.DateTimeField(null=True, blank=True)
    #: The first notification to the AP (voorlopig or definitief): ends the 72h clock when notifying.
    ap_gemeld_op = models.DateTimeField(null=True, blank=True)
    #: "Sent" flag of the registration e-mail to the FG addresses (the sweep retries until it is set).
    fg_gemaild_op = models.DateTimeField(null=True, blank=True)

    # What happened.
    soort = ArrayField(models.CharField(max_length=20, choices=Soort.choices), default=list)
    aard = ArrayField(models.CharField(max_length=20, choices=Aard.choices), default=list, blank=True)
    oorzaak = models.CharField(max_length=30, choices=Oorzaak.choices, blank=True)
    periode_van = models.DateTimeField(null=True, blank=True)
    periode_tot = models.DateTimeField(null=True, blank=True)
    voortdurend = models.BooleanField(null=True, blank=True)
    categorieen = ArrayField(models.CharField(max_length=20, choices=Categorie.choices), default=list, blank=True)
    aantal_min = models.PositiveIntegerField(null=True, blank=True)
    aantal_max = models.PositiveIntegerField(null=True, blank=True)
    betreft_kinderen = models.BooleanField(null=True, blank=True)
    betreft_kwetsbaren = models.BooleanField(null=True, blank=True)
    contactgegevens_bekend = models.BooleanField(null=True, blank=True)
    versleuteling = models.CharField(max_length=20, choices=Versleuteling.choices, blank=True)
    organisatieonderdeel = models.CharField(max_length=200, blank=True)
    #: Encrypted JSON under ``sleutel``: what happened, system, contact person, consequences, measures, reasons.
    inhoud = models.BinaryField(null=True, editable=False)

    # Decisions of the controller's FG.
    ap_besluit = models.CharField(max_length=20, choices=ApBesluit.choices, blank=True)
    ap_besloten_op = models.DateTimeField(null=True, blank=True)
    ap_besloten_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    betrokkenen_besluit = models.CharField(max_length=20, choices=BetrokkenenBesluit.choices, blank=True)
    betrokkenen_besloten_op = models.DateTimeField(null=True, blank=True)
    betrokkenen_besloten_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The letters to the people affected, made by the worker: requested (by whom), and finished.
    brieven_aangevraagd_op = models.DateTimeField(null=True, blank=True)
    brieven_aangevraagd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    brieven_gemaakt_op = models.DateTimeField(null=True, blank=True)
    afgesloten_op = models.DateTimeField(null=True, blank=True)
    afgesloten_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "datalek"
        verbose_name_plural = "datalekken"
        indexes = [models.Index(fields=["status", "ontdekt_op"], name="datalek_status_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=DatalekStatus.values), name="datalek_status_geldig"),
            models.CheckConstraint(
                condition=models.Q(aantal_min__isnull=True)
                | models.Q(aantal_max__isnull=True)
                | models.Q(aantal_min__lte=models.F("aantal_max")),
                name="datalek_aantal_min_max",
            ),
        ]

    def __str__(self) -> str:
        return self.nummer

    @property
    def nummer(self) -> str:
        return f"DL-{self.gemeld_op:%Y}-{self.pk:05d}" if self.pk and self.gemeld_op else "DL-nieuw"

    @property
    def inhoud_context(self) -> str:
        return f"datalekken:{self.sleutel_id}:inhoud"

    @property
    def convenant_id(self) -> int | None:
        """The first convenant concerned (for the Logboek's convenant column)."""
        pks = [c.pk for c in self.convenanten.all()]
        return min(pks) if pks else None


class DatalekDossier(models.Model):
    """A dossier concerned by the breach (by dossier number; optional)."""

    datalek = models.ForeignKey(Datalek, on_delete=models.CASCADE, related_name="koppelingen")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    gekoppeld_op = models.DateTimeField()
    gekoppeld_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    #: The letter to the people affected, encrypted under the dossier's key.
    brief = models.ForeignKey(VersleuteldBestand, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "dossier bij datalek"
        verbose_name_plural = "dossiers bij datalek"
        constraints = [models.UniqueConstraint(fields=["datalek", "dossier"], name="datalek_dossier_uniek")]

    def __str__(self) -> str:
        return f"{self.datalek_id} / {self.dossier_id}"


class ApMelding(models.Model):
    """A notification to the Autoriteit Persoonsgegevens, a later addition, or its withdrawal."""

    datalek = models.ForeignKey(Datalek, on_delete=models.CASCADE, related_name="ap_meldingen")
    soort = models.CharField(max_length=12, choices=ApMeldingSoort.choices)
    referentie = models.CharField("meldnummer AP", max_length=60, blank=True)
    gemeld_op = models.DateTimeField()
    vastgelegd_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "melding aan de AP"
        verbose_name_plural = "meldingen aan de AP"
        ordering = ["gemeld_op", "pk"]

    def __str__(self) -> str:
        return f"{self.get_soort_display()} {self.referentie}"


class Voortgang(models.Model):
    """One entry of the progress logbook: who, when, what. Append-only (database trigger)."""

    datalek = models.ForeignKey(Datalek, on_delete=models.CASCADE, related_name="voortgang")
    tijdstip = models.DateTimeField()
    door = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    gebeurtenis = models.CharField(max_length=200)
    #: An optional note, encrypted under the breach's key.
    notitie = models.BinaryField(null=True, editable=False)

    class Meta:
        verbose_name = "voortgang"
        verbose_name_plural = "voortgang"
        ordering = ["tijdstip", "pk"]

    def __str__(self) -> str:
        return self.gebeurtenis

    @property
    def notitie_context(self) -> str:
        return f"datalekken:{self.datalek_id}:voortgang"


class Herinnering(models.Model):
    """A reminder sent ("sent" flag): one row per breach, clock and threshold, never two."""

    datalek = models.ForeignKey(Datalek, on_delete=models.CASCADE, related_name="herinneringen")
    klok = models.CharField(max_length=2, choices=Klok.choices)
    drempel = models.CharField(max_length=10, choices=Drempel.choices)
    verstuurd_op = models.DateTimeField()

    class Meta:
        verbose_name = "herinnering"
        verbose_name_plural = "herinneringen"
        constraints = [
            models.UniqueConstraint(fields=["datalek", "klok", "drempel"], name="datalek_herinnering_eenmaal")
        ]

    def __str__(self) -> str:
        return f"{self.datalek_id} {self.klok} {self.drempel}"
