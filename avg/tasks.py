"""The beat sweeps of the avg app (discovered by Celery as ``avg.tasks``)."""

from __future__ import annotations

from celery import shared_task

from .besluiten.pakket import pakketten_opruimen
from .raadpleging.herinneringen import herbeoordeling_herinneringen, raadpleging_herinneringen
from .verzoeken.herinneringen import verzoek_herinneringen


@shared_task(name="avg.stuur_herinneringen", acks_late=True)
def stuur_avg_herinneringen() -> int:
    """Every 15 minutes: request deadlines, overdue consultations, re-checks of exceptions; expired packages."""
    pakketten_opruimen()
    return verzoek_herinneringen() + raadpleging_herinneringen() + herbeoordeling_herinneringen()
