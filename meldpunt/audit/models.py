"""The log of data processing ("logboek dataverwerkingen", BIO2 8.15.01).

One :class:`LogRegel` per event: who (user and organisation ids), what (action and result), on which
object (type and id, and the convenant it belongs to), when (UTC), from where (origin) and why
(purpose). Entries hold object references only, never personal data: no names, no free text typed
by users.

The table is append-only in the database itself (a trigger refuses UPDATE, DELETE and TRUNCATE, see
migration ``0002``) and every entry carries the SHA-256 of its predecessor, so a change that bypasses
the trigger is found by ``manage.py logboek_controleren``. Entries are written by
:func:`meldpunt.audit.services.logregel_create` only. See docs/adr/0006-logboek.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact

from convenants.models import Convenant
from meldpunt.core.models import Organisatie


class Actie(models.TextChoices):
    BEKIJKEN = "bekijken", "Bekijken"
    AANMAKEN = "aanmaken", "Aanmaken"
    WIJZIGEN = "wijzigen", "Wijzigen"
    EXPORTEREN = "exporteren", "Exporteren"
    VERWIJDEREN = "verwijderen", "Verwijderen"
    INLOGGEN = "inloggen", "Inloggen"
    INLOGGEN_MISLUKT = "inloggen_mislukt", "Inloggen mislukt"
    UITLOGGEN = "uitloggen", "Uitloggen"
    AUTORISATIE_GEWEIGERD = "autorisatie_geweigerd", "Autorisatie geweigerd"


class Resultaat(models.TextChoices):
    GELUKT = "gelukt", "Gelukt"
    GEWEIGERD = "geweigerd", "Geweigerd"
    FOUT = "fout", "Fout"


class Doel:
    """The purposes used so far (``LogRegel.doel`` is a short text, so later modules may add their own)."""

    UITVOERING_CONVENANT = "uitvoering convenant"
    CONVENANTBEHEER = "convenantbeheer"
    GEBRUIKERSBEHEER = "gebruikersbeheer"
    ORGANISATIEBEHEER = "organisatiebeheer"
    BEVEILIGING = "beveiliging"
    TOEZICHT = "toezicht"


#: ``herkomst`` of changes made by a management command (a service called with ``door=None``).
HERKOMST_BEHEER_COMMANDO = "beheer-commando"
#: ``vorige_hash`` of the very first entry.
GENESIS_HASH = "0" * 64
HASH_REGEX = r"^[0-9a-f]{64}$"


def _hex64(veld: str) -> Q:
    """``veld`` is 64 lowercase hex digits (what HASH_REGEX says): 64 characters and not one outside
    ``0-9a-f``. Checked twice for every entry, so in its cheapest form for the database: searching for one
    wrong character takes some 0.5 µs per value, where the anchored HASH_REGEX or LTRIM with the sixteen
    digits take 3 to 6 µs (docs/adr/0009-intake-tienduizend-per-seconde.md)."""
    return Q(Exact(Length(veld), 64)) & ~Q(**{f"{veld}__regex": "[^0-9a-f]"})


class LogRegel(models.Model):
    # The references to user, organisation and convenant are historical facts written by the log
    # services: no database constraint (an append-only log outlives what it names; one lookup per entry
    # less). See docs/adr/0008-intake-tabellen.md.
    id = models.BigAutoField(primary_key=True)
    tijdstip = models.DateTimeField("tijdstip (UTC)")
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="gebruiker",
        db_constraint=False,
        db_index=False,  # no query selects by user (docs/adr/0009-intake-tienduizend-per-seconde.md)
    )
    organisatie = models.ForeignKey(
        Organisatie,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="organisatie van de gebruiker",
        db_constraint=False,
    )
    actie = models.CharField("actie", max_length=32, choices=Actie.choices)
    # Identifiers, compared byte by byte (the C collation): cheaper for every entry's index insert.
    object_type = models.CharField(
        "soort object", max_length=100, blank=True, db_collation="C", help_text='Bijvoorbeeld "convenants.convenant".'
    )
    object_id = models.CharField("objectnummer", max_length=64, blank=True, db_collation="C")
    convenant = models.ForeignKey(
        Convenant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="convenant",
        db_constraint=False,
    )
    resultaat = models.CharField("resultaat", max_length=16, choices=Resultaat.choices, default=Resultaat.GELUKT)
    herkomst = models.CharField(
        "herkomst",
        max_length=100,
        blank=True,
        help_text='IP-adres, "api:<sleutel>", "taak:<taak>" of "beheer-commando".',
    )
    doel = models.CharField("doel", max_length=100, blank=True)
    vorige_hash = models.CharField("hash van de vorige regel", max_length=64)
    hash = models.CharField("hash", max_length=64)

    class Meta:
        verbose_name = "logregel"
        verbose_name_plural = "logregels"
        ordering = ["-id"]
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["tijdstip"], name="logregel_tijdstip_idx"),
            models.Index(fields=["object_type", "object_id"], name="logregel_object_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(actie__in=Actie.values), name="logregel_actie_geldig"),
            models.CheckConstraint(condition=Q(resultaat__in=Resultaat.values), name="logregel_resultaat_geldig"),
            models.CheckConstraint(condition=_hex64("hash") & _hex64("vorige_hash"), name="logregel_hash_hex"),
        ]

    def __str__(self) -> str:
        return f"logregel {self.pk}"

    @property
    def object_omschrijving(self) -> str:
        return f"{self.object_type} {self.object_id}".strip()
