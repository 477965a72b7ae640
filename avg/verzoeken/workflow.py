"""The states of a data-subject request and the transitions between them."""

from __future__ import annotations

from django.db import models


class VerzoekStatus(models.TextChoices):
    ONTVANGEN = "ontvangen", "Ontvangen, identiteit nog niet vastgesteld"
    IN_BEHANDELING = "in_behandeling", "In behandeling"
    BESLOTEN = "besloten", "Besloten"
    AFGEHANDELD = "afgehandeld", "Afgehandeld"


#: Allowed transitions: from -> to.
OVERGANGEN: dict[str, frozenset[str]] = {
    VerzoekStatus.ONTVANGEN: frozenset({VerzoekStatus.IN_BEHANDELING}),
    VerzoekStatus.IN_BEHANDELING: frozenset({VerzoekStatus.BESLOTEN}),
    VerzoekStatus.BESLOTEN: frozenset({VerzoekStatus.AFGEHANDELD}),
    VerzoekStatus.AFGEHANDELD: frozenset(),
}

OPEN_STATUSSEN = (VerzoekStatus.ONTVANGEN, VerzoekStatus.IN_BEHANDELING, VerzoekStatus.BESLOTEN)


def mag_overgaan(van: str, naar: str) -> bool:
    return naar in OVERGANGEN.get(van, frozenset())
