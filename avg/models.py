"""The models of the avg app, one module per capability (as in the meldingen app: Django registers them here)."""

from __future__ import annotations

from .besluiten.models import AanvullendBesluit, Besluit, Pakket, Uitvoering
from .bezwaren.models import Belanghebbende, Bezwaar
from .raadpleging.models import Antwoord, Raadpleging
from .verzoeken.models import Verlengingsbrief, Verzoek, VerzoekDossier

__all__ = [
    "AanvullendBesluit",
    "Antwoord",
    "Belanghebbende",
    "Besluit",
    "Bezwaar",
    "Pakket",
    "Raadpleging",
    "Uitvoering",
    "Verlengingsbrief",
    "Verzoek",
    "VerzoekDossier",
]
