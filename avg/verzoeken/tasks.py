"""Celery tasks of the requests. Thin: ids in, the letter module does the work."""

from __future__ import annotations

from celery import shared_task

from .verlengingsbrief import verlengingsbrief_maken


@shared_task(name="avg.verzoeken.maak_verlengingsbrief", acks_late=True, reject_on_worker_lost=True)
def maak_verlengingsbrief(verzoek_id: int) -> None:
    """Render and store the extension letter. Idempotent."""
    verlengingsbrief_maken(verzoek_id=verzoek_id)
