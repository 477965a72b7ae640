"""A bezwaar against the decision on a request (Awb; seed 002 §2.9): before deciding, the contactpunt hears the
interested parties — the participants that supplied or received the data are told, say whether they want to
attend the hearing and may send a written view — and the requester, at a hearing (or the hearing is dispensed
with on a ground of art. 7:3 Awb)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from meldpunt.core.models import Organisatie

from ..besluiten.models import bezwaartermijn_einde
from ..verzoeken.models import Verzoek

#: The decision on the bezwaar is due six weeks after the term for objecting ended (art. 7:10 lid 1 Awb).
BESLISTERMIJN = dt.timedelta(weeks=6)


class BezwaarUitkomst(models.TextChoices):
    GEGROND = "gegrond", "Gegrond"
    DEELS_GEGROND = "deels_gegrond", "Deels gegrond"
    ONGEGROND = "ongegrond", "Ongegrond"
    NIET_ONTVANKELIJK = "niet_ontvankelijk", "Niet-ontvankelijk"


class AfzienVanHoren(models.TextChoices):
    """The grounds of art. 7:3 Awb on which the hearing may be dispensed with."""

    KENNELIJK_NIET_ONTVANKELIJK = "a", "Het bezwaar is kennelijk niet-ontvankelijk (art. 7:3 onder a Awb)"
    KENNELIJK_ONGEGROND = "b", "Het bezwaar is kennelijk ongegrond (art. 7:3 onder b Awb)"
    GEEN_GEBRUIK = "c", "De indiener wil niet worden gehoord (art. 7:3 onder c Awb)"
    VOLLEDIG_TEGEMOET = "e", "Aan het bezwaar wordt volledig tegemoetgekomen (art. 7:3 onder e Awb)"


class Bezwaar(models.Model):
    """A bezwaar against the decision (within 6 weeks), handled by the contactpunt."""

    verzoek = models.ForeignKey(Verzoek, on_delete=models.PROTECT, related_name="bezwaren")
    ontvangen_op = models.DateField()
    binnen_termijn = models.BooleanField()
    geregistreerd_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    geregistreerd_op = models.DateTimeField()
    # The interested parties' term to say whether they want to be heard and to send a written view.
    reactie_termijn_op = models.DateField("reactie belanghebbenden uiterlijk op", null=True, blank=True)
    # The hearing: planned, then held (with its report, context "avg.bezwaar:<id>:verslag" under the request's
    # key), or dispensed with on a ground of art. 7:3 Awb.
    hoorzitting_op = models.DateTimeField("hoorzitting op", null=True, blank=True)
    hoorzitting_plaats = models.CharField("plaats", max_length=200, blank=True)
    gehoord_op = models.DateField("hoorzitting gehouden op", null=True, blank=True)
    verslag = models.BinaryField(null=True, editable=False)
    horen_afgezien = models.CharField(max_length=1, choices=AfzienVanHoren.choices, blank=True)
    uitkomst = models.CharField(max_length=20, choices=BezwaarUitkomst.choices, blank=True)
    beslist_op = models.DateField(null=True, blank=True)
    beslist_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "bezwaar tegen een besluit"
        verbose_name_plural = "bezwaren tegen besluiten"
        ordering = ["-ontvangen_op"]

    def __str__(self) -> str:
        return f"bezwaar {self.pk}"

    @property
    def open(self) -> bool:
        return self.beslist_op is None

    @property
    def verslag_context(self) -> str:
        return f"avg.bezwaar:{self.pk}:verslag"

    @property
    def gehoord_of_afgezien(self) -> bool:
        return self.gehoord_op is not None or bool(self.horen_afgezien)

    @property
    def beslistermijn_op(self) -> dt.date | None:
        """Six weeks after the term for objecting ended, or after receipt for a late bezwaar."""
        if self.verzoek.besloten_op is None:
            return None
        return max(bezwaartermijn_einde(self.verzoek.besloten_op), self.ontvangen_op) + BESLISTERMIJN


class Belanghebbende(models.Model):
    """A participant that supplied or received the data, told of the bezwaar: whether it wants to attend the
    hearing, and its written view (context "avg.belanghebbende:<id>:zienswijze", under the request's key)."""

    bezwaar = models.ForeignKey(Bezwaar, on_delete=models.PROTECT, related_name="belanghebbenden")
    organisatie = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="avg_bezwaren")
    geinformeerd_op = models.DateTimeField()
    wil_gehoord_worden = models.BooleanField(null=True)
    zienswijze = models.BinaryField(null=True, editable=False)
    gereageerd_op = models.DateTimeField(null=True, blank=True)
    gereageerd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # "Sent" flag of the invitation to the hearing (a planned hearing mails those who want to attend once).
    uitgenodigd_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "belanghebbende bij een bezwaar"
        verbose_name_plural = "belanghebbenden bij bezwaren"
        ordering = ["bezwaar", "organisatie__naam"]
        constraints = [
            models.UniqueConstraint(fields=["bezwaar", "organisatie"], name="avg_belanghebbende_uniek"),
        ]

    def __str__(self) -> str:
        return f"belanghebbende {self.pk}"

    @property
    def zienswijze_context(self) -> str:
        return f"avg.belanghebbende:{self.pk}:zienswijze"
