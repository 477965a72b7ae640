"""Invoices (cofinancieringsfacturen) and subsidy statements (subsidie-afrekeningen) with their lines.

Made from the anonymous record of a dossier only (number, convenant, partner, type, closure date, resultaat
bereikt), so they survive retention destruction. An issued invoice and its lines are immutable in the database
(migration 0002: a trigger refuses UPDATE and DELETE); a correction is a credit invoice.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from convenants.models import Convenant
from meldingen.dossiers.models import Dossier
from meldingen.dossiers.workflow import MeldingType
from meldpunt.core.models import Organisatie

from .workflow import OPSTELRUN_LOPEND, FactuurSoort, FactuurStatus, OpstelrunStatus, RegelStatus


class Factuur(models.Model):
    soort = models.CharField("soort", max_length=20, choices=FactuurSoort.choices)
    status = models.CharField("status", max_length=20, choices=FactuurStatus.choices, default=FactuurStatus.CONCEPT)
    convenant = models.ForeignKey(Convenant, on_delete=models.PROTECT, related_name="facturen")
    gemeente = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="facturen_als_gemeente")
    ontvanger = models.ForeignKey(
        Organisatie,
        on_delete=models.PROTECT,
        related_name="facturen_als_ontvanger",
        help_text="De Partner (cofinanciering) of de Uitvoerder (subsidie).",
    )
    jaar = models.PositiveSmallIntegerField("jaar")
    credit_van = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="creditfacturen",
        verbose_name="credit van",
    )
    nummer = models.CharField("factuurnummer", max_length=40, blank=True, db_collation="C")
    volgnummer = models.PositiveIntegerField(null=True, blank=True)
    factuurdatum = models.DateField("factuurdatum", null=True, blank=True)
    vervaldatum = models.DateField("vervaldatum", null=True, blank=True)
    uitgegeven_op = models.DateTimeField(null=True, blank=True)
    uitgegeven_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: Snapshots taken when issuing: what the invoice says, whatever changes later.
    afzender_gegevens = models.JSONField(default=dict, blank=True)
    ontvanger_gegevens = models.JSONField(default=dict, blank=True)
    totaal = models.DecimalField("totaal", max_digits=12, decimal_places=2, default=Decimal("0.00"))
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "factuur"
        verbose_name_plural = "facturen"
        ordering = ["-jaar", "soort", "nummer", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["nummer"], condition=~Q(nummer=""), name="factuurnummer_uniek"),
            models.UniqueConstraint(
                fields=["soort", "convenant", "ontvanger", "jaar"],
                condition=Q(status=FactuurStatus.CONCEPT, credit_van__isnull=True),
                name="een_concept_per_ontvanger_per_jaar",
            ),
            models.CheckConstraint(
                condition=Q(status=FactuurStatus.CONCEPT) | ~Q(nummer="") & Q(factuurdatum__isnull=False),
                name="uitgegeven_heeft_nummer",
            ),
        ]
        indexes = [models.Index(fields=["gemeente", "jaar"], name="factuur_gemeente_jaar_idx")]

    def __str__(self) -> str:
        return self.nummer or f"concept {self.get_soort_display().lower()} {self.jaar}"

    @property
    def is_credit(self) -> bool:
        return self.credit_van_id is not None

    @property
    def titel(self) -> str:
        if self.is_credit:
            return "Creditfactuur"
        return self.get_soort_display()


class FactuurRegel(models.Model):
    """One dossier on an invoice: pseudonymous number, type, closure date, amount; never personal data.

    ``factuur`` is empty while a line that was disputed at issuing waits to move to the next invoice.
    A dossier is on one line of each kind, ever (constraint ``dossier_eenmaal_per_soort``); credit lines
    (negated copies) are exempt.
    """

    factuur = models.ForeignKey(Factuur, null=True, blank=True, on_delete=models.PROTECT, related_name="regels")
    soort = models.CharField(max_length=20, choices=FactuurSoort.choices)
    convenant = models.ForeignKey(Convenant, on_delete=models.PROTECT, related_name="+", db_index=False)
    ontvanger = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="+", db_index=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="factuurregels", db_constraint=False)
    dossiernummer = models.CharField("dossiernummer", max_length=20, db_collation="C")
    dossiertype = models.CharField("type", max_length=3, choices=MeldingType.choices)
    afgesloten_op = models.DateField("afgesloten op")
    jaar = models.PositiveSmallIntegerField("jaar")
    bedrag = models.DecimalField("bedrag", max_digits=9, decimal_places=2)
    credit = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=RegelStatus.choices, default=RegelStatus.OPEN)
    betwist_door = models.ForeignKey(
        Organisatie, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = "factuurregel"
        verbose_name_plural = "factuurregels"
        ordering = ["dossiernummer", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "soort"], condition=Q(credit=False), name="dossier_eenmaal_per_soort"
            ),
            models.CheckConstraint(condition=Q(credit=True) | Q(bedrag__gte=0), name="regelbedrag_niet_negatief"),
        ]
        indexes = [
            models.Index(
                fields=["soort", "convenant", "ontvanger"], name="regel_wachtend_idx", condition=Q(factuur__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return self.dossiernummer

    @property
    def omschrijving(self) -> str:
        return f"{self.dossiertype} bereikt, dossier {self.dossiernummer}"


class Opstelronde(models.Model):
    """The yearly drafting run of the beat job: done once per year ("sent" flag)."""

    jaar = models.PositiveSmallIntegerField(unique=True)
    uitgevoerd_op = models.DateTimeField()

    class Meta:
        verbose_name = "opstelronde"
        verbose_name_plural = "opstelrondes"

    def __str__(self) -> str:
        return f"opstelronde {self.jaar}"


class Opstelrun(models.Model):
    """One drafting of a year for a Gemeente, started by financien and done by the worker.

    The worker drafts convenant by convenant (each in its own transaction) and records the progress after
    each one, so the list page shows "n van m convenanten" and then the result or the error.
    """

    gemeente = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="opstelruns")
    jaar = models.PositiveSmallIntegerField("jaar")
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "status", max_length=10, choices=OpstelrunStatus.choices, default=OpstelrunStatus.WACHTRIJ
    )
    convenanten_totaal = models.PositiveIntegerField(default=0)
    convenanten_klaar = models.PositiveIntegerField(default=0)
    nieuwe_regels = models.PositiveIntegerField(default=0)
    facturen = models.ManyToManyField(Factuur, blank=True, related_name="+", verbose_name="geraakte concepten")
    foutmelding = models.CharField("foutmelding", max_length=500, blank=True)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    gestart_op = models.DateTimeField(null=True, blank=True)
    klaar_op = models.DateTimeField(null=True, blank=True)
    voortgang_op = models.DateTimeField(
        null=True, blank=True, help_text="Laatste voortgang; een run die zo lang stilstaat geldt als mislukt."
    )

    class Meta:
        verbose_name = "opstelrun"
        verbose_name_plural = "opstelruns"
        ordering = ["-aangemaakt_op", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["gemeente", "jaar"],
                condition=Q(status__in=OPSTELRUN_LOPEND),
                name="een_lopende_opstelrun_per_jaar",
            ),
        ]
        indexes = [models.Index(fields=["gemeente", "-aangemaakt_op"], name="opstelrun_gemeente_idx")]

    def __str__(self) -> str:
        return f"opstelrun {self.jaar} ({self.get_status_display().lower()})"

    @property
    def lopend(self) -> bool:
        return self.status in OPSTELRUN_LOPEND

    @property
    def procent(self) -> int:
        if self.status == OpstelrunStatus.KLAAR:
            return 100
        if not self.convenanten_totaal:
            return 0
        return min(100, round(100 * self.convenanten_klaar / self.convenanten_totaal))
