"""Celery tasks of the Logboek. Thin: the work is in :mod:`meldpunt.audit.services`."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def logboek_anker_zetten() -> int | None:
    """Scheduled every hour: the day's signed checkpoint, once a day (a missed beat sets it at the next)."""
    from .services_anker import anker_zetten_als_nodig

    return anker_zetten_als_nodig()
