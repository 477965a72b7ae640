"""Convenants: the agreement binding one Gemeente, one or more Partners and one Uitvoerder.

The looptijd (term) is stored as start date, first term length and whether it renews tacitly; a notice
(opzegging) ends it at the end of the first term that still respects the notice period. Every numeric
parameter of DOMAIN.md lives in :class:`ConvenantParameters`, one row per calendar year.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from meldpunt.core.models import Organisatie


class Convenant(models.Model):
    naam = models.CharField("naam", max_length=200)
    slug = models.SlugField("korte naam", max_length=60, unique=True)
    gemeente = models.ForeignKey(
        Organisatie, on_delete=models.PROTECT, related_name="convenanten_als_gemeente", verbose_name="gemeente"
    )
    uitvoerder = models.ForeignKey(
        Organisatie, on_delete=models.PROTECT, related_name="convenanten_als_uitvoerder", verbose_name="uitvoerder"
    )
    partners = models.ManyToManyField(
        Organisatie, through="ConvenantPartner", related_name="convenanten_als_partner", verbose_name="partners"
    )
    startdatum = models.DateField("ingangsdatum")
    looptijd_maanden = models.PositiveSmallIntegerField(
        "eerste looptijd (maanden)", default=12, validators=[MinValueValidator(1)]
    )
    stilzwijgend_verlengen = models.BooleanField("stilzwijgend verlengen", default=True)
    verlenging_maanden = models.PositiveSmallIntegerField(
        "verlenging telkens met (maanden)", default=12, validators=[MinValueValidator(1)]
    )
    opzegtermijn_maanden = models.PositiveSmallIntegerField("opzegtermijn (maanden)", default=3)
    opgezegd_op = models.DateField("opgezegd op", null=True, blank=True)
    einddatum = models.DateField(
        "einddatum",
        null=True,
        blank=True,
        help_text="Afgeleid uit looptijd, verlenging en opzegging; leeg zolang het convenant doorloopt.",
    )
    fg_email = models.EmailField("e-mailadres FG", help_text="Ontvangt meldingen van datalekken (bijlage 4).")
    evaluatie_maand = models.PositiveSmallIntegerField("maand jaarlijkse evaluatie", default=9)
    uitgebreide_evaluatie_jaren = models.PositiveSmallIntegerField("uitgebreide evaluatie elke (jaren)", default=3)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "convenant"
        verbose_name_plural = "convenanten"
        ordering = ["naam"]
        constraints = [
            models.CheckConstraint(condition=Q(evaluatie_maand__gte=1, evaluatie_maand__lte=12), name="evaluatiemaand"),
            models.CheckConstraint(
                condition=Q(einddatum__isnull=True) | Q(einddatum__gte=models.F("startdatum")),
                name="einddatum_na_start",
            ),
        ]

    def __str__(self) -> str:
        return self.naam

    # -- looptijd ---------------------------------------------------------------------------
    def termijneinden(self) -> TermijnIterator:
        return TermijnIterator(self)

    def einde_termijn_op(self, datum: dt.date) -> dt.date | None:
        """The last day of the term that contains ``datum`` (None when ``datum`` is after the end)."""
        for einde in self.termijneinden():
            if einde >= datum:
                return einde
        return None

    def bereken_einddatum(self, opgezegd_op: dt.date | None = None) -> dt.date | None:
        """The end date given a notice on ``opgezegd_op`` (or the stored one), None if indefinite.

        A notice takes effect at the end of the first term that ends at least ``opzegtermijn_maanden``
        after the notice (art. 20: tacitly renewed, notice period 3 months).
        """
        opgezegd_op = opgezegd_op or self.opgezegd_op
        if not self.stilzwijgend_verlengen:
            return self.startdatum + relativedelta(months=self.looptijd_maanden) - dt.timedelta(days=1)
        if opgezegd_op is None:
            return None
        vroegst = opgezegd_op + relativedelta(months=self.opzegtermijn_maanden)
        for einde in self.termijneinden():
            if einde >= vroegst:
                return einde
        raise AssertionError("unreachable: terms renew indefinitely")  # pragma: no cover

    def is_actief(self, op: dt.date | None = None) -> bool:
        op = op or dt.date.today()
        return self.startdatum <= op and (self.einddatum is None or op <= self.einddatum)

    # -- parameters -------------------------------------------------------------------------
    def parameters_voor(self, jaar: int) -> ConvenantParameters | None:
        """The parameter version in force in ``jaar``: that year's, or else the latest earlier one."""
        return self.parameters.filter(jaar__lte=jaar).order_by("-jaar").first()


class TermijnIterator:
    """Yields the last day of each successive term: the first term, then each renewal."""

    def __init__(self, convenant: Convenant) -> None:
        self.convenant = convenant

    def __iter__(self):
        c = self.convenant
        maanden = c.looptijd_maanden
        yield c.startdatum + relativedelta(months=maanden) - dt.timedelta(days=1)
        if not c.stilzwijgend_verlengen:
            return
        while True:
            maanden += c.verlenging_maanden
            yield c.startdatum + relativedelta(months=maanden) - dt.timedelta(days=1)


class ConvenantPartner(models.Model):
    convenant = models.ForeignKey(Convenant, on_delete=models.CASCADE, related_name="deelnames")
    partner = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="convenant_deelnames")
    sinds = models.DateField("deelnemer sinds")

    class Meta:
        verbose_name = "partner in convenant"
        verbose_name_plural = "partners in convenant"
        constraints = [models.UniqueConstraint(fields=["convenant", "partner"], name="partner_eenmaal_per_convenant")]

    def __str__(self) -> str:
        return f"{self.partner} in {self.convenant}"


class ConvenantParameters(models.Model):
    """Every numeric parameter of a convenant for one calendar year (DOMAIN.md, defaults from Diemen)."""

    convenant = models.ForeignKey(Convenant, on_delete=models.CASCADE, related_name="parameters")
    jaar = models.PositiveSmallIntegerField("jaar")
    tarief_cofinanciering = models.DecimalField(
        "tarief cofinanciering (per VEO met resultaat bereikt)",
        max_digits=9,
        decimal_places=2,
        default=Decimal("234.00"),
    )
    tarief_interventie = models.DecimalField(
        "tarief interventie (per VEO of EO met resultaat bereikt)",
        max_digits=9,
        decimal_places=2,
        default=Decimal("624.00"),
    )
    btw_verschuldigd = models.BooleanField("btw verschuldigd", default=False)
    min_achterstand_maanden = models.PositiveSmallIntegerField("minimale achterstand (maanden)", default=2)
    min_achterstand_maanden_herhaald = models.PositiveSmallIntegerField(
        "minimale achterstand bij herhaalde achterstand (maanden)", default=1
    )
    bewaartermijn_uitvoerder_maanden = models.PositiveSmallIntegerField(
        "bewaartermijn uitvoerder na afsluiting (maanden)", default=12
    )
    bewaartermijn_gemeente_maanden = models.PositiveSmallIntegerField(
        "bewaartermijn gemeente na afsluiting (maanden)", default=12
    )
    bewaartermijn_partner_maanden = models.PositiveSmallIntegerField(
        "bewaartermijn partner na afsluiting (maanden)", default=12
    )
    datalek_verwerker_uren = models.PositiveSmallIntegerField(
        "datalek: verwerker meldt aan FG binnen (uren)", default=24
    )
    datalek_ap_uren = models.PositiveSmallIntegerField("datalek: melding aan AP binnen (uren)", default=72)
    avg_termijn_maanden = models.PositiveSmallIntegerField("AVG-verzoek: beslistermijn (maanden)", default=1)
    avg_verlenging_max_maanden = models.PositiveSmallIntegerField(
        "AVG-verzoek: verlenging ten hoogste (maanden)", default=2
    )
    avg_bezwaartermijn_weken = models.PositiveSmallIntegerField("bezwaartermijn (weken)", default=6)
    informatieplicht_maanden = models.PositiveSmallIntegerField(
        "informatieplicht (art. 14): huurder informeren binnen (maanden)", default=1
    )
    gewijzigd_op = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "parameters per jaar"
        verbose_name_plural = "parameters per jaar"
        ordering = ["convenant", "jaar"]
        constraints = [
            models.UniqueConstraint(fields=["convenant", "jaar"], name="parameters_eenmaal_per_jaar"),
            models.CheckConstraint(
                condition=Q(tarief_cofinanciering__gte=0, tarief_interventie__gte=0), name="tarieven_niet_negatief"
            ),
            models.CheckConstraint(
                condition=Q(min_achterstand_maanden__gte=1)
                & Q(min_achterstand_maanden_herhaald__gte=1)
                & Q(min_achterstand_maanden_herhaald__lte=models.F("min_achterstand_maanden")),
                name="minimale_achterstand_consistent",
            ),
            models.CheckConstraint(
                condition=Q(datalek_verwerker_uren__gte=1, datalek_ap_uren__gte=1), name="datalektermijnen_positief"
            ),
            models.CheckConstraint(condition=Q(jaar__gte=2000, jaar__lte=2100), name="jaar_plausibel"),
        ]

    def __str__(self) -> str:
        return f"{self.convenant} {self.jaar}"
