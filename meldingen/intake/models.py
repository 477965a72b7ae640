"""Meldingen (signals) as a Partner submitted them.

Personal data of a melding (tenant, address, contact details, voortraject dates, the Partner's
reference) is stored only encrypted, under the data key of its dossier (``Dossier.sleutel``), so that
destroying the dossier's key destroys its meldingen too. The plain columns are what queues, statistics
and invoices need: type, amounts, months, number of minors, the four digits of the postcode (district),
eviction date and statuses.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.indexes import HashIndex
from django.db import models

from convenants.models import Convenant
from meldingen.ddas import Signaalstatus
from meldingen.dossiers.models import Dossier
from meldingen.dossiers.workflow import MeldingType
from meldpunt.core.models import Organisatie


class Kanaal(models.TextChoices):
    FORMULIER = "formulier", "Formulier"
    BESTAND = "bestand", "Bestand"
    API = "api", "API"


class Melding(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Checked by the database when a dossier is deleted, not per inserted melding (docs/adr/0009-…).
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="meldingen", db_constraint=False)
    # Reference data: no database constraint, no index of their own (docs/adr/0008-intake-tabellen.md).
    convenant = models.ForeignKey(
        Convenant, on_delete=models.PROTECT, related_name="meldingen", db_constraint=False, db_index=False
    )
    partner = models.ForeignKey(
        Organisatie, on_delete=models.PROTECT, related_name="meldingen", db_constraint=False, db_index=False
    )
    ingediend_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    api_token = models.ForeignKey(
        "ApiToken",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    upload = models.ForeignKey(
        "Bestandsupload",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meldingen",
        db_constraint=False,
        db_index=False,
    )
    kanaal = models.CharField(max_length=10, choices=Kanaal.choices)
    ontvangen_op = models.DateTimeField(auto_now_add=True)
    type = models.CharField(max_length=3, choices=MeldingType.choices)
    status = models.CharField(max_length=40, choices=Signaalstatus.choices, default=Signaalstatus.NOG_NIET_OPGEPAKT)
    vervolgmelding = models.BooleanField(default=False)
    #: A melding for a tenancy whose open dossier is restricted: stored under that dossier's key but kept apart
    #: (the dossier unchanged) until the restriction is lifted (docs/intake.md, ADR 0017).
    afgezonderd = models.BooleanField(default=False, db_default=False)
    # Statistics (no direct identifiers).
    achterstand_bedrag = models.DecimalField(max_digits=9, decimal_places=2)
    achterstand_maanden = models.PositiveSmallIntegerField()
    herhaald = models.BooleanField(default=False)
    maandhuur = models.DecimalField(max_digits=8, decimal_places=2)
    minderjarige_kinderen = models.PositiveSmallIntegerField(default=0)
    postcode_cijfers = models.PositiveSmallIntegerField()
    vonnisdatum = models.DateField(null=True, blank=True)
    ontruimingsdatum = models.DateField(null=True, blank=True)
    # Identification without personal data in the clear.
    referentie_index = models.CharField(max_length=64, null=True, db_collation="C")
    inhoud_index = models.CharField(
        max_length=64,
        null=True,
        db_collation="C",
        help_text="Sleutel-HMAC van de volledige inhoud: dezelfde melding twee keer = één.",
    )
    # Encrypted under dossier.sleutel: the submitted data as submitted (huurder, adres, voortraject,
    # referentie, contact details), context "meldingen.melding:<id>:gegevens".
    gegevens = models.BinaryField(null=True, editable=False)

    class Meta:
        verbose_name = "melding"
        verbose_name_plural = "meldingen"
        ordering = ["-ontvangen_op"]
        indexes = [
            models.Index(fields=["partner", "-ontvangen_op"], name="melding_partner_idx"),
            # A keyed hash is only ever compared for equality, and its values arrive in random order: a hash
            # index keeps a 4-byte code per entry where a B-tree keeps the 64 characters in sorted pages
            # (docs/adr/0009-intake-tienduizend-per-seconde.md). The partner is checked on the row.
            HashIndex(fields=["referentie_index"], name="melding_referentie_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["partner", "inhoud_index"], name="melding_inhoud_eenmaal"),
        ]

    def __str__(self) -> str:
        return f"melding {self.pk}"

    @property
    def context(self) -> str:
        return f"meldingen.melding:{self.pk}:gegevens"
