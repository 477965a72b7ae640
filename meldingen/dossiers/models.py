"""Dossiers: the Uitvoerder's case built on meldingen, with its history, contact attempts, work queues and
daily digest.

A dossier holds no personal data in the clear: its meldingen, notes and reasons are encrypted under its
data key (``Dossier.sleutel``), so destroying the key destroys them all. The plain columns are what
queues, statistics and invoices need and what stays as the anonymous record after retention deletion.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from convenants.models import Convenant
from meldingen.ddas import Contactsoort, Dagdeel, Eindresultaat
from meldpunt.core.models import Organisatie
from meldpunt.privacy.models import DataSleutel

from .workflow import DossierStatus, MeldingType


class Dossier(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    nummer = models.CharField(
        "dossiernummer", max_length=20, db_collation="C", help_text="Pseudoniem; blijft bestaan na vernietiging."
    )
    # References to reference data (convenant, organisation, user, token, upload) from the tables intake
    # fills in bulk carry no database constraint and no index of their own where a composite index
    # starts with them: see docs/adr/0008-intake-tabellen.md. Django still enforces on_delete.
    convenant = models.ForeignKey(
        Convenant, on_delete=models.PROTECT, related_name="dossiers", db_constraint=False, db_index=False
    )
    partner = models.ForeignKey(
        Organisatie,
        on_delete=models.PROTECT,
        related_name="dossiers_als_partner",
        db_constraint=False,
        db_index=False,
    )
    # Between the tables that hold personal data: checked by the database when a key is deleted, not when a
    # dossier is inserted (docs/adr/0009-intake-tienduizend-per-seconde.md).
    sleutel = models.OneToOneField(DataSleutel, on_delete=models.PROTECT, related_name="dossier", db_constraint=False)
    referentie_index = models.CharField(
        max_length=64,
        null=True,
        db_collation="C",
        help_text="Sleutel-HMAC van convenant + referentie van de partner; leeg na vernietiging.",
    )
    type = models.CharField(max_length=3, choices=MeldingType.choices)
    status = models.CharField(
        max_length=20, choices=DossierStatus.choices, default=DossierStatus.NIEUW, db_collation="C"
    )
    vorig_dossier = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="volgende_dossiers", db_index=False
    )
    # Queue and statistics fields (copied from the latest melding; no direct identifiers).
    heeft_minderjarigen = models.BooleanField(default=False)
    achterstand_bedrag = models.DecimalField(max_digits=9, decimal_places=2)
    postcode_cijfers = models.PositiveSmallIntegerField(help_text="De vier cijfers van de postcode (wijk).")
    ontruimingsdatum = models.DateField(null=True, blank=True)
    herhaald = models.BooleanField(default=False)

    behandelaar = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
        db_index=False,
    )
    eindresultaat = models.CharField(max_length=80, choices=Eindresultaat.choices, blank=True)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    geclaimd_op = models.DateTimeField(null=True, blank=True)
    afgesloten_op = models.DateTimeField(null=True, blank=True)
    vernietigd_op = models.DateTimeField(null=True, blank=True)
    # Retention (meldingen/bewaring): the day each party's access ends (closure + that party's bewaartermijn
    # of the convenant version of the closing year) and the day the personal data is destroyed (the last of
    # them). Set when the dossier is closed, cleared when it is reopened.
    toegang_uitvoerder_tot = models.DateField("toegang uitvoerder tot", null=True, blank=True)
    toegang_gemeente_tot = models.DateField("toegang gemeente tot", null=True, blank=True)
    toegang_partner_tot = models.DateField("toegang partner tot", null=True, blank=True)
    vernietigen_vanaf = models.DateField("vernietigen vanaf", null=True, blank=True)
    # Part of the anonymous record that stays after destruction (the exact amount does not).
    # A database default too: intake and the benchmarks insert dossiers with SQL (COPY) naming their columns.
    achterstand_klasse = models.CharField("achterstand (klasse)", max_length=20, blank=True, default="", db_default="")
    afgeschermd_sinds = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Gezet zolang een beperking (art. 18) of bezwaar (art. 21) loopt: het dossier is dan verborgen "
        "voor iedereen behalve contactpunt en FG, en kan niet worden gewijzigd.",
    )

    class Meta:
        verbose_name = "dossier"
        verbose_name_plural = "dossiers"
        # Object permissions, granted to an organisation's group only by the consent services
        # (meldingen/toestemming/rechten.py); rows live in DossierGroepRecht / DossierGebruikerRecht.
        permissions = [
            ("dossier_status_inzien", "Bestaan, status en resultaat van het traject inzien"),
            ("dossier_rapportage_inzien", "De rapportage inzien"),
        ]
        indexes = [
            models.Index(fields=["convenant", "status"], name="dossier_wachtrij_idx"),
            # The tenancy's open dossier is found through the unique constraint below; its closed ones here
            # (a dossier enters this index when it is closed, so intake adds no entry to it).
            models.Index(
                fields=["convenant", "referentie_index"],
                name="dossier_gesloten_idx",
                condition=Q(status=DossierStatus.AFGESLOTEN),
            ),
            # Partial: a new dossier has neither, so intake adds no entry to these.
            models.Index(
                fields=["behandelaar"], name="dossier_behandelaar_idx", condition=Q(behandelaar__isnull=False)
            ),
            models.Index(fields=["vorig_dossier"], name="dossier_vorig_idx", condition=Q(vorig_dossier__isnull=False)),
            # The destruction sweep and the vernietigingslijst: closed dossiers not yet destroyed, by due date.
            models.Index(
                fields=["vernietigen_vanaf"],
                name="dossier_vernietigen_idx",
                condition=Q(vernietigen_vanaf__isnull=False, vernietigd_op__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["nummer"], name="dossier_nummer_uniek"),
            models.UniqueConstraint(
                fields=["convenant", "referentie_index"],
                condition=~Q(status=DossierStatus.AFGESLOTEN) & Q(referentie_index__isnull=False),
                name="een_open_dossier_per_huurrelatie",
            ),
        ]

    def __str__(self) -> str:
        return self.nummer

    @property
    def rapportage_volledig(self) -> bool:
        rapportage = getattr(self, "rapportage", None) if self.pk else None
        return bool(rapportage and rapportage.volledig)

    @property
    def resultaat_bereikt(self) -> bool:
        """Resultaat "bereikt" (money sense; DOMAIN.md): a reached contact attempt AND a complete rapportage.
        Derived, never typed in."""
        if not self.pk:
            return False
        return type(self).objects.filter(pk=self.pk, rapportage__volledig=True, contactpogingen__bereikt=True).exists()


class Dagoverzicht(models.Model):
    """The daily e-mail digest to an Uitvoerder's team: one row per organisation and day ("sent" flag)."""

    organisatie = models.ForeignKey(Organisatie, on_delete=models.CASCADE, related_name="+")
    datum = models.DateField()
    verstuurd_op = models.DateTimeField(null=True, blank=True)
    aantal_nieuw = models.PositiveIntegerField(default=0)
    aantal_in_wachtrij = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "dagoverzicht"
        verbose_name_plural = "dagoverzichten"
        constraints = [models.UniqueConstraint(fields=["organisatie", "datum"], name="dagoverzicht_eenmaal_per_dag")]

    def __str__(self) -> str:
        return f"dagoverzicht {self.organisatie_id} {self.datum}"


class StatusWijziging(models.Model):
    """Every change of a dossier's status, with who and when (history as rows, never overwritten)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="statuswijzigingen")
    van = models.CharField(max_length=20, choices=DossierStatus.choices, blank=True)
    naar = models.CharField(max_length=20, choices=DossierStatus.choices)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    tijdstip = models.DateTimeField()
    # A reason typed by a person may name the tenant: encrypted under the dossier's key.
    reden = models.BinaryField(null=True, editable=False)

    class Meta:
        verbose_name = "statuswijziging"
        verbose_name_plural = "statuswijzigingen"
        ordering = ["tijdstip", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.van} → {self.naar}"


class BehandelaarWijziging(models.Model):
    """Every change of a dossier's behandelaar: who did it, from whom, to whom (history as rows).

    Claiming (``van`` empty, ``naar`` = ``door``), assigning and reassigning by a teamleider, handing back to
    the queue (``naar`` empty), and the teamleider who takes a reopened dossier without behandelaar.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="behandelaarwijzigingen")
    van = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    naar = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    tijdstip = models.DateTimeField()

    class Meta:
        verbose_name = "wijziging van behandelaar"
        verbose_name_plural = "wijzigingen van behandelaar"
        ordering = ["tijdstip", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.van_id} → {self.naar_id}"


class Contactpoging(models.Model):
    """An attempt to reach the tenant (DDAS EnumContactsoort, EnumDagdeel)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="contactpogingen")
    soort = models.CharField(max_length=30, choices=Contactsoort.choices)
    datum = models.DateField()
    dagdeel = models.CharField(max_length=10, choices=Dagdeel.choices)
    bereikt = models.BooleanField()
    # Free text about the tenant: encrypted under the dossier's key.
    notitie = models.BinaryField(null=True, editable=False)
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "contactpoging"
        verbose_name_plural = "contactpogingen"
        ordering = ["datum", "aangemaakt_op"]

    def __str__(self) -> str:
        return f"contactpoging {self.pk}"


class Werkbak(models.Model):
    """A named, filtered work queue of an Uitvoerder, defined by a teamleider, open to the whole team."""

    organisatie = models.ForeignKey(Organisatie, on_delete=models.CASCADE, related_name="werkbakken")
    naam = models.CharField(max_length=100)
    type = models.CharField(max_length=3, choices=MeldingType.choices, blank=True)
    alleen_minderjarigen = models.BooleanField(default=False)
    bedrag_vanaf = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    postcode_van = models.PositiveSmallIntegerField(null=True, blank=True)
    postcode_tot = models.PositiveSmallIntegerField(null=True, blank=True)
    alleen_herhaald = models.BooleanField(default=False)
    partner = models.ForeignKey(Organisatie, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    aangemaakt_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "werkbak"
        verbose_name_plural = "werkbakken"
        ordering = ["naam"]
        constraints = [models.UniqueConstraint(fields=["organisatie", "naam"], name="werkbak_naam_uniek")]

    def __str__(self) -> str:
        return self.naam
