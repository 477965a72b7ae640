"""Meldingen (signals) and the dossiers built on them.

Personal data of a melding (tenant, address, contact details, voortraject dates, the Partner's
reference) is stored only encrypted, under the data key of its dossier (``Dossier.sleutel``), so that
destroying the dossier's key destroys its meldingen too. The plain columns are what queues, statistics
and invoices need and what stays as the anonymous record after retention deletion: type, amounts,
months, number of minors, the four digits of the postcode (district), eviction date and statuses.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.indexes import HashIndex
from django.db import models
from django.db.models import Q
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from convenants.models import Convenant
from meldpunt.core.models import Organisatie
from meldpunt.privacy.models import DataSleutel

from .ddas import Contactsoort, Dagdeel, Eindresultaat, Signaalstatus
from .workflow import DossierStatus, Kanaal, MeldingType


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
        # (meldingen/toestemming.py); rows live in DossierGroepRecht / DossierGebruikerRecht.
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
        """Derived, never typed in (DOMAIN.md): a reached contact attempt and a complete rapportage."""
        from .rapportage import resultaat_bereikt

        return resultaat_bereikt(self)


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


class ApiToken(models.Model):
    """A machine client's key for the intake API. Only a hash is stored; the key is shown once."""

    organisatie = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="api_tokens")
    naam = models.CharField("omschrijving", max_length=100)
    prefix = models.CharField(max_length=8, help_text="De eerste tekens van de sleutel, om haar te herkennen.")
    sleutel_hash = models.CharField(max_length=64, unique=True)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    ingetrokken_op = models.DateTimeField(null=True, blank=True)
    laatst_gebruikt_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API-sleutel"
        verbose_name_plural = "API-sleutels"
        ordering = ["-aangemaakt_op"]

    def __str__(self) -> str:
        return f"{self.naam} ({self.prefix}…)"

    @property
    def actief(self) -> bool:
        return self.ingetrokken_op is None


class IdempotentVerzoek(models.Model):
    """A POST carrying an Idempotency-Key: the same key and body return the first response again."""

    organisatie = models.ForeignKey(Organisatie, on_delete=models.CASCADE, related_name="+")
    sleutel = models.CharField(max_length=255)
    verzoek_hash = models.CharField(max_length=64)
    melding = models.ForeignKey(Melding, on_delete=models.CASCADE, related_name="+")
    status_code = models.PositiveSmallIntegerField()
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "idempotent verzoek"
        verbose_name_plural = "idempotente verzoeken"
        constraints = [models.UniqueConstraint(fields=["organisatie", "sleutel"], name="idempotentie_sleutel_uniek")]

    def __str__(self) -> str:
        return f"verzoek {self.pk}"


class UploadStatus(models.TextChoices):
    WACHTRIJ = "wachtrij", "In de wachtrij"
    BEZIG = "bezig", "Wordt verwerkt"
    KLAAR = "klaar", "Verwerkt"
    MISLUKT = "mislukt", "Mislukt"


class Bestandsupload(models.Model):
    """An uploaded CSV/XLSX of meldingen, processed in the background with visible progress.

    The file itself and the file of rejected rows hold personal data: both are stored encrypted under
    the upload's own data key, which is destroyed when the upload is cleaned up.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisatie = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="uploads")
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sleutel = models.OneToOneField(DataSleutel, on_delete=models.PROTECT, related_name="upload")
    bestand = models.ForeignKey(
        "privacy.VersleuteldBestand", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    afgewezen_bestand = models.ForeignKey(
        "privacy.VersleuteldBestand", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=UploadStatus.choices, default=UploadStatus.WACHTRIJ)
    totaal_rijen = models.PositiveIntegerField(default=0)
    verwerkt_rijen = models.PositiveIntegerField(default=0, help_text="Controlepunt: rijen tot hier zijn verwerkt.")
    opgeslagen = models.PositiveIntegerField(default=0)
    vervolgmeldingen = models.PositiveIntegerField(default=0)
    al_ontvangen = models.PositiveIntegerField(default=0)
    afgewezen = models.PositiveIntegerField(default=0)
    fouten = models.JSONField(default=list, help_text="[{rij, veld, bericht}] zonder persoonsgegevens.")
    foutmelding = models.CharField(max_length=500, blank=True)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    gestart_op = models.DateTimeField(null=True, blank=True)
    klaar_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "bestandsupload"
        verbose_name_plural = "bestandsuploads"
        ordering = ["-aangemaakt_op"]

    def __str__(self) -> str:
        return f"upload {self.pk}"

    @property
    def voortgang(self) -> int:
        return 100 if not self.totaal_rijen else round(100 * self.verwerkt_rijen / self.totaal_rijen)


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


class Rapportage(models.Model):
    """The Uitvoerder's structured report of a dossier (Diemen convenant, bijlage 1).

    The content (income, expenses, debts, fixed charges, arrangements, assessment, plan of approach) is
    one JSON document encrypted under the dossier's key (context ``meldingen.rapportage:<dossier id>``).
    ``volledig`` is derived by the service from that content on every save, never typed in.
    """

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="rapportage")
    inhoud = models.BinaryField(null=True, editable=False)
    volledig = models.BooleanField(default=False)
    bijgewerkt_op = models.DateTimeField(auto_now=True)
    bijgewerkt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pdf = models.ForeignKey(
        "privacy.VersleuteldBestand", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pdf_gemaakt_op = models.DateTimeField(null=True, blank=True)
    # The same PDF for the Gemeente under consent scope "rapportage": without the contact attempts' notes.
    pdf_gemeente = models.ForeignKey(
        "privacy.VersleuteldBestand", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "rapportage"
        verbose_name_plural = "rapportages"

    def __str__(self) -> str:
        return f"rapportage {self.dossier_id}"


class InformatieplichtUitzondering(models.TextChoices):
    GEEN = "", "Geen uitzondering"
    HEEFT_INFORMATIE_AL = "heeft_informatie_al", "De huurder beschikt al over de informatie (art. 14 lid 5 sub a)"
    ONMOGELIJK = "onmogelijk_onevenredig", "Informeren is onmogelijk of vergt onevenredige inspanning (sub b)"
    WETTELIJK = "wettelijk_voorgeschreven", "Verkrijging is wettelijk voorgeschreven (sub c)"
    GEHEIMHOUDING = "geheimhoudingsplicht", "Beroepsgeheim of wettelijke geheimhoudingsplicht (sub d)"


class Informatieplicht(models.Model):
    """The art. 14 clock: inform the tenant within the convenant's term after the dossier was claimed."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="informatieplicht")
    gestart_op = models.DateField()
    termijn_op = models.DateField()
    verstuurd_op = models.DateField(null=True, blank=True)
    uitzondering = models.CharField(max_length=30, choices=InformatieplichtUitzondering.choices, blank=True)
    # Free text about the tenant's situation: encrypted under the dossier's key.
    toelichting = models.BinaryField(null=True, editable=False)
    vastgelegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # "Sent" flags of the reminder sweep: a missed tick reminds later, a repeated tick never twice.
    herinnering_voor_termijn_op = models.DateTimeField(null=True, blank=True)
    herinnering_na_termijn_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "informatieplicht"
        verbose_name_plural = "informatieplichten"
        indexes = [models.Index(fields=["termijn_op"], name="informatieplicht_termijn_idx")]

    def __str__(self) -> str:
        return f"informatieplicht {self.dossier_id}"

    @property
    def afgehandeld(self) -> bool:
        return self.verstuurd_op is not None or bool(self.uitzondering)


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


# --- consent (toestemming) and object permissions ---------------------------------------------------


class ToestemmingOntvanger(models.TextChoices):
    GEMEENTE = "gemeente", "Gemeente"
    PARTNER = "partner", "Partner (woningcorporatie)"


class ToestemmingScope(models.TextChoices):
    STATUS = "status", "Status en resultaat van het traject"
    RAPPORTAGE = "rapportage", "Status, resultaat en rapportage"


class ToestemmingWijze(models.TextChoices):
    SCHRIFTELIJK = "schriftelijk", "Schriftelijk"
    MONDELING = "mondeling", "Mondeling"
    DIGITAAL = "digitaal", "Digitaal"


class ToestemmingEinde(models.TextChoices):
    INGETROKKEN = "ingetrokken", "Ingetrokken door de huurder"
    BEWAARTERMIJN = "bewaartermijn", "Vervallen met de bewaartermijn van het dossier"


class Toestemming(models.Model):
    """The tenant's consent to share dossier information with one other organisation, per scope.

    Recorded and withdrawn only through ``meldingen.toestemming``; those services grant and revoke
    the matching object permissions (:class:`DossierGroepRecht`) in the same transaction. The evidence
    note and the signed form are encrypted under the dossier's key, so they end with the dossier.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="toestemmingen")
    ontvanger_soort = models.CharField(max_length=10, choices=ToestemmingOntvanger.choices)
    ontvanger = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="ontvangen_toestemmingen")
    scope = models.CharField(max_length=10, choices=ToestemmingScope.choices)
    gegeven_op = models.DateField()
    wijze = models.CharField(max_length=12, choices=ToestemmingWijze.choices)
    # Context "meldingen.toestemming:<id>:bewijs".
    bewijs = models.BinaryField(null=True, editable=False)
    formulier = models.ForeignKey(
        "privacy.VersleuteldBestand", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    vastgelegd_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    vastgelegd_op = models.DateTimeField(auto_now_add=True)
    beeindigd_op = models.DateField(null=True, blank=True, help_text="Datum van intrekking of verval.")
    einde = models.CharField(max_length=15, choices=ToestemmingEinde.choices, blank=True)
    beeindigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    beeindiging_vastgelegd_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "toestemming"
        verbose_name_plural = "toestemmingen"
        ordering = ["-gegeven_op", "-vastgelegd_op"]
        indexes = [models.Index(fields=["dossier", "ontvanger"], name="toestemming_dossier_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(ontvanger_soort="partner") & Q(scope="rapportage")),
                name="toestemming_partner_nooit_rapportage",
            ),
            models.CheckConstraint(
                condition=Q(beeindigd_op__isnull=True, einde="") | Q(beeindigd_op__isnull=False) & ~Q(einde=""),
                name="toestemming_einde_volledig",
            ),
        ]

    def __str__(self) -> str:
        return f"toestemming {self.pk}"

    @property
    def geldig(self) -> bool:
        return self.beeindigd_op is None

    @property
    def bewijs_context(self) -> str:
        return f"meldingen.toestemming:{self.pk}:bewijs"


class DossierGroepRecht(GroupObjectPermissionBase):
    """django-guardian object permission on a dossier for an organisation's group (direct foreign key)."""

    content_object = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="groeprechten")

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False
        verbose_name = "objectrecht (groep) op dossier"
        verbose_name_plural = "objectrechten (groep) op dossiers"


class DossierGebruikerRecht(UserObjectPermissionBase):
    """The per-user counterpart; never granted (consent is given to organisations), kept so that guardian's
    checks on dossiers use direct tables only."""

    content_object = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="gebruikerrechten")

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False
        verbose_name = "objectrecht (gebruiker) op dossier"
        verbose_name_plural = "objectrechten (gebruiker) op dossiers"


# --- restriction (art. 18) and objection (art. 21) ------------------------------------------------


class AfschermingSoort(models.TextChoices):
    BEPERKING = "beperking", "Beperking van de verwerking (art. 18 AVG)"
    BEZWAAR = "bezwaar", "Bezwaar tegen de verwerking (art. 21 AVG)"


class Afscherming(models.Model):
    """A restriction or objection on a dossier, set and lifted by the contactpunt of its convenant.

    While one is active ``Dossier.afgeschermd_sinds`` is set: the dossier is hidden from everyone but the
    contactpunt and FG of its convenant, whatever consent exists, and no service changes it.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="afschermingen")
    soort = models.CharField(max_length=10, choices=AfschermingSoort.choices)
    # Context "meldingen.afscherming:<dossier id>:reden".
    reden = models.BinaryField(null=True, editable=False)
    ingesteld_op = models.DateTimeField()
    ingesteld_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opgeheven_op = models.DateTimeField(null=True, blank=True)
    opgeheven_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "afscherming"
        verbose_name_plural = "afschermingen"
        ordering = ["-ingesteld_op"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "soort"], condition=Q(opgeheven_op__isnull=True), name="afscherming_een_actief"
            )
        ]

    def __str__(self) -> str:
        return f"afscherming {self.pk}"

    @property
    def actief(self) -> bool:
        return self.opgeheven_op is None
