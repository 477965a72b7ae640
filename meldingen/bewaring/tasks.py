"""The retention sweeps, run by Celery beat (settings ``CELERY_BEAT_SCHEDULE``): thin and idempotent."""

from __future__ import annotations

from celery import shared_task

from .services import toegang_beeindigen, vernietigingsronde


@shared_task(name="meldingen.bewaring.vernietigingsronde", acks_late=True, reject_on_worker_lost=True)
def vernietigingsronde_taak() -> dict[str, int]:
    """End access at each party's term, then destroy what is due (a missed tick is caught up by the next)."""
    return {"toegang_beeindigd": toegang_beeindigen(), "vernietigd": vernietigingsronde()}
