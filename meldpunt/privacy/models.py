"""Data keys (envelope encryption), blind indexes, encrypted files and destruction records.

Every dossier — or, before a dossier exists, every melding — gets its own :class:`DataSleutel`. Its key
is stored only wrapped (encrypted) by a master key from configuration. Destroying the data key
(crypto-shredding) makes every value encrypted under it unreadable, in the live database and in any
backup once the master key that wrapped it there is destroyed too (see docs/privacy.md).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.indexes import HashIndex
from django.db import models
from django.db.models import Q


class DataSleutel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    doel = models.CharField("doel", max_length=40, help_text="Waarvoor de sleutel dient, bijvoorbeeld 'dossier'.")
    verpakte_sleutel = models.BinaryField("verpakte sleutel", null=True, editable=False)
    master_versie = models.PositiveSmallIntegerField("versie hoofdsleutel", null=True, editable=False)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    vernietigd_op = models.DateTimeField("vernietigd op", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "datasleutel"
        verbose_name_plural = "datasleutels"
        indexes = [models.Index(fields=["master_versie"], name="datasleutel_versie_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(vernietigd_op__isnull=True, verpakte_sleutel__isnull=False, master_versie__isnull=False)
                    | Q(vernietigd_op__isnull=False, verpakte_sleutel__isnull=True, master_versie__isnull=True)
                ),
                name="datasleutel_levend_of_vernietigd",
            )
        ]

    def __str__(self) -> str:
        return f"datasleutel {self.pk}"

    @property
    def vernietigd(self) -> bool:
        return self.vernietigd_op is not None


class BlindeIndex(models.Model):
    """A keyed HMAC over a normalised value, to find records without decrypting them."""

    # Key, kind and value: the row is its own key (no surrogate id to draw and index per row). Found per
    # key through it, so the key needs no index of its own; checked by the database when a key is
    # deleted, not per inserted index (docs/adr/0009-intake-tienduizend-per-seconde.md).
    pk = models.CompositePrimaryKey("sleutel_id", "soort", "waarde")
    sleutel = models.ForeignKey(
        DataSleutel, on_delete=models.CASCADE, related_name="blinde_indexen", db_index=False, db_constraint=False
    )
    soort = models.CharField(max_length=40, db_collation="C")
    waarde = models.CharField(max_length=64, db_collation="C")

    class Meta:
        verbose_name = "blinde index"
        verbose_name_plural = "blinde indexen"
        # Found by value: a keyed hash of kind and value together, compared for equality only, so a hash
        # index (a 4-byte code per entry, no sorted pages of 64-character values to insert into at random
        # places; docs/adr/0009-intake-tienduizend-per-seconde.md). The kind is checked on the row.
        indexes = [HashIndex(fields=["waarde"], name="blinde_index_zoek_idx")]

    def __str__(self) -> str:
        return f"{self.soort} ({self.sleutel_id})"


class VersleuteldBestand(models.Model):
    """A file holding personal data (report PDF, signed consent form …), encrypted under a data key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sleutel = models.ForeignKey(DataSleutel, on_delete=models.PROTECT, related_name="bestanden")
    soort = models.CharField(max_length=40)
    mime = models.CharField(max_length=100)
    grootte = models.PositiveIntegerField()
    naam = models.BinaryField(editable=False)
    inhoud = models.BinaryField(editable=False)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "versleuteld bestand"
        verbose_name_plural = "versleutelde bestanden"

    def __str__(self) -> str:
        return f"{self.soort} ({self.pk})"


class Vernietiging(models.Model):
    """Proof of a destruction: which key, when, why and what — never the personal data itself."""

    sleutel = models.OneToOneField(DataSleutel, on_delete=models.PROTECT, related_name="vernietiging")
    tijdstip = models.DateTimeField()
    reden = models.CharField(max_length=200)
    omschrijving = models.TextField(help_text="Welke gegevens zijn vernietigd, zonder persoonsgegevens.")
    aantal_bestanden = models.PositiveIntegerField(default=0)
    aantal_blinde_indexen = models.PositiveIntegerField(default=0)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "vernietiging"
        verbose_name_plural = "vernietigingen"
        ordering = ["-tijdstip"]

    def __str__(self) -> str:
        return f"vernietiging {self.sleutel_id} op {self.tijdstip:%Y-%m-%d}"
