"""Retention: the grounds of a hold, the outcome of a dossier in a destruction report, the arrears bands.

A hold (:class:`Bewaarblokkade`) has two states: active (``opgeheven_op`` empty and ``tot`` not passed)
and lifted. A dossier due for destruction moves once from "due" to "destroyed" (``Dossier.vernietigd_op``
set in the same transaction as the wiping); there is no way back.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models


class BlokkadeGrond(models.TextChoices):
    AVG_VERZOEK = "avg_verzoek", "Lopend AVG-verzoek"
    BEZWAAR = "bezwaar", "Bezwaar"
    RECHTSZAAK = "rechtszaak", "Juridische procedure"
    DATALEK = "datalek", "Onderzoek naar een datalek"


class BlokkadeStand(models.TextChoices):
    ACTIEF = "actief", "Actief"
    OPGEHEVEN = "opgeheven", "Opgeheven"


#: active -> lifted; a lifted hold is never active again (a new hold is a new row).
OVERGANGEN: dict[str, frozenset[str]] = {
    BlokkadeStand.ACTIEF: frozenset({BlokkadeStand.OPGEHEVEN}),
    BlokkadeStand.OPGEHEVEN: frozenset(),
}


class RegelUitkomst(models.TextChoices):
    VERNIETIGD = "vernietigd", "Vernietigd"
    TEGENGEHOUDEN = "tegengehouden", "Tegengehouden door een blokkade"


class VernietigingsAanleiding(models.TextChoices):
    BEWAARTERMIJN = "bewaartermijn", "Bewaartermijn verstreken"
    AVG_BESLUIT = "avg_besluit", "Besluit op verzoek tot wissing (art. 17 AVG)"


#: The arrears bands of the anonymous record (upper bounds, exclusive; the last is open).
ACHTERSTAND_KLASSEN: tuple[tuple[Decimal, str], ...] = (
    (Decimal("500"), "< € 500"),
    (Decimal("1000"), "€ 500 – 1.000"),
    (Decimal("2500"), "€ 1.000 – 2.500"),
    (Decimal("5000"), "€ 2.500 – 5.000"),
)
HOOGSTE_KLASSE = "≥ € 5.000"


def achterstand_klasse(bedrag: Decimal) -> str:
    for grens, label in ACHTERSTAND_KLASSEN:
        if bedrag < grens:
            return label
    return HOOGSTE_KLASSE
