"""The tasks of the avg app, discovered by Celery as ``avg.tasks``: the beat sweep here, and each capability's
tasks imported so that the worker registers them."""

from __future__ import annotations

from celery import shared_task

from .besluiten.pakket import pakketten_opruimen
from .besluiten.tasks import maak_antwoordpakket
from .raadpleging.herinneringen import herbeoordeling_herinneringen, raadpleging_herinneringen
from .verzoeken.herinneringen import verzoek_herinneringen
from .verzoeken.tasks import maak_verlengingsbrief


@shared_task(name="avg.stuur_herinneringen", acks_late=True)
def stuur_avg_herinneringen() -> int:
    """Every 15 minutes: request deadlines, overdue consultations, re-checks of exceptions; expired packages."""
    pakketten_opruimen()
    return verzoek_herinneringen() + raadpleging_herinneringen() + herbeoordeling_herinneringen()


__all__ = ["maak_antwoordpakket", "maak_verlengingsbrief", "stuur_avg_herinneringen"]
