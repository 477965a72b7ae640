"""Data-subject requests (AVG-verzoeken) handled by the contactpunt of a Gemeente for the joint processing.

The requester's identifying data is personal data: it is encrypted under the request's own data key
(``Verzoek.sleutel``). What links the request to the tenant's dossiers (``VerzoekDossier``) holds no
personal data in the clear; the tenant's own statement (rectification refused) is encrypted under the
dossier's key, so it is destroyed with the dossier.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from meldingen.dossiers.models import Dossier
from meldpunt.core.models import Organisatie
from meldpunt.privacy.models import DataSleutel, VersleuteldBestand

from .workflow import VerzoekStatus


class VerzoekSoort(models.TextChoices):
    INZAGE = "inzage", "Inzage (art. 15 AVG)"
    RECTIFICATIE = "rectificatie", "Rectificatie (art. 16 AVG)"
    WISSING = "wissing", "Wissing (art. 17 AVG)"
    BEPERKING = "beperking", "Beperking van de verwerking (art. 18 AVG)"
    OVERDRAAGBAARHEID = "overdraagbaarheid", "Overdraagbaarheid (art. 20 AVG)"
    BEZWAAR = "bezwaar", "Bezwaar tegen de verwerking (art. 21 AVG)"
    INTREKKING_TOESTEMMING = "intrekking_toestemming", "Intrekking van toestemming (art. 7 lid 3 AVG)"


class VerzoekKanaal(models.TextChoices):
    BRIEF = "brief", "Brief"
    EMAIL = "email", "E-mail"
    DIGITAAL = "digitaal", "Digitaal formulier (DigiD)"
    BALIE = "balie", "Aan de balie"
    TELEFOON = "telefoon", "Telefoon"
    DOORGESTUURD = "doorgestuurd", "Doorgestuurd door een deelnemer"


class IdentiteitMethode(models.TextChoices):
    DIGID = "digid", "DigiD"
    PERSOONLIJK = "persoonlijk", "Persoonlijk, met een geldig identiteitsbewijs"
    KOPIE_ID = "kopie_id", "Kopie identiteitsbewijs (na controle vernietigd)"


class Verzoek(models.Model):
    gemeente = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="avg_verzoeken")
    nummer = models.CharField("kenmerk", max_length=20, unique=True, db_collation="C")
    sleutel = models.OneToOneField(DataSleutel, on_delete=models.PROTECT, related_name="avg_verzoek")
    ontvangen_op = models.DateField("ontvangen op")
    kanaal = models.CharField(max_length=20, choices=VerzoekKanaal.choices)
    soorten = ArrayField(models.CharField(max_length=30, choices=VerzoekSoort.choices))
    door_vertegenwoordiger = models.BooleanField(default=False)
    # Context "avg.verzoek:<id>:verzoeker": achternaam, voornamen, geboortedatum, postcode, huisnummer,
    # toevoeging, e-mail, and the representative's name and mandate when one acts for the tenant.
    verzoeker = models.BinaryField(null=True, editable=False)
    status = models.CharField(max_length=20, choices=VerzoekStatus.choices, default=VerzoekStatus.ONTVANGEN)

    identiteit_methode = models.CharField(max_length=20, choices=IdentiteitMethode.choices, blank=True)
    identiteit_vastgesteld_op = models.DateField(null=True, blank=True)
    identiteit_vastgesteld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    termijn_op = models.DateField("uiterlijk beantwoorden op", null=True, blank=True)
    # The one extension: recorded with its reasons (a letter is made), in force once the letter was sent to the
    # requester, which must be within the first month (``verlenging_bericht_op``).
    verlengd_tot = models.DateField(null=True, blank=True)
    # Context "avg.verzoek:<id>:verlenging".
    verlenging_reden = models.BinaryField(null=True, editable=False)
    verlenging_bericht_op = models.DateField("verlenging aan de verzoeker verzonden op", null=True, blank=True)
    verlengd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # "Sent" flags of the reminder sweep (a missed tick reminds later, a repeated tick never twice).
    herinnering_voor_termijn_op = models.DateTimeField(null=True, blank=True)
    herinnering_na_termijn_op = models.DateTimeField(null=True, blank=True)

    geregistreerd_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    geregistreerd_op = models.DateTimeField(auto_now_add=True)
    besloten_op = models.DateField(null=True, blank=True)
    afgehandeld_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "AVG-verzoek"
        verbose_name_plural = "AVG-verzoeken"
        ordering = ["-ontvangen_op", "-pk"]
        indexes = [models.Index(fields=["gemeente", "status"], name="avg_verzoek_gemeente_idx")]

    def __str__(self) -> str:
        return self.nummer

    @property
    def verzoeker_context(self) -> str:
        return f"avg.verzoek:{self.pk}:verzoeker"

    @property
    def verlenging_context(self) -> str:
        return f"avg.verzoek:{self.pk}:verlenging"

    @property
    def uiterste_datum(self) -> dt.date | None:
        """The deadline in force: the extended one once the requester was sent the extension letter, else one
        month from identity established."""
        if self.verlengd_tot and self.verlenging_bericht_op:
            return self.verlengd_tot
        return self.termijn_op

    @property
    def verlenging_verzonden(self) -> bool:
        return self.verlenging_bericht_op is not None

    @property
    def is_open(self) -> bool:
        return self.status != VerzoekStatus.AFGEHANDELD

    def soort_labels(self) -> list[str]:
        return [VerzoekSoort(s).label for s in self.soorten]


class VerzoekDossier(models.Model):
    """A dossier the contactpunt confirmed as the requester's (found through the blind indexes)."""

    verzoek = models.ForeignKey(Verzoek, on_delete=models.PROTECT, related_name="dossiers")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="avg_verzoeken")
    bevestigd_op = models.DateTimeField()
    bevestigd_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The tenant's own statement when a rectification is refused (art. 16: added to the data), encrypted under
    # the dossier's key (context "avg.verzoekdossier:<id>:verklaring").
    verklaring = models.BinaryField(null=True, editable=False)

    class Meta:
        verbose_name = "dossier van een AVG-verzoek"
        verbose_name_plural = "dossiers van AVG-verzoeken"
        constraints = [models.UniqueConstraint(fields=["verzoek", "dossier"], name="avg_verzoekdossier_uniek")]

    def __str__(self) -> str:
        return f"{self.verzoek_id}: {self.dossier_id}"

    @property
    def verklaring_context(self) -> str:
        return f"avg.verzoekdossier:{self.pk}:verklaring"


class Verlengingsbrief(models.Model):
    """The letter telling the requester of the extension, its reasons and the new deadline (seed 002 §2.5).

    Made by the worker when the extension is recorded, stored encrypted under the request's key
    (``VersleuteldBestand`` soort ``avg_verlengingsbrief``); remade when the extension is changed before it was
    sent. ``datum`` is the letter's date: the day the extension was recorded.
    """

    verzoek = models.OneToOneField(Verzoek, on_delete=models.PROTECT, related_name="verlengingsbrief")
    datum = models.DateField("datum van de brief")
    aangevraagd_op = models.DateTimeField()
    gemaakt_op = models.DateTimeField(null=True, blank=True)
    bestand = models.ForeignKey(VersleuteldBestand, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    gedownload_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "verlengingsbrief"
        verbose_name_plural = "verlengingsbrieven"

    def __str__(self) -> str:
        return f"verlengingsbrief {self.verzoek_id}"

    @property
    def klaar(self) -> bool:
        return self.gemaakt_op is not None and self.bestand_id is not None
