"""Celery tasks of the decisions. Thin: ids in, the package module does the work."""

from __future__ import annotations

from celery import shared_task

from .pakket import pakket_maken


@shared_task(name="avg.besluiten.maak_antwoordpakket", acks_late=True, reject_on_worker_lost=True)
def maak_antwoordpakket(verzoek_id: int) -> None:
    """Render and store the decision letter and the answer package. Idempotent."""
    pakket_maken(verzoek_id=verzoek_id)
