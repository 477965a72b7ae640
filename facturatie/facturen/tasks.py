"""Celery tasks of the invoices. Thin: ids in, the modules do the work.

The yearly drafting (beat sweep, hourly): from the configured day (default 15 January) the previous year is
drafted once (``Opstelronde``); a missed tick drafts at the next one. The same sweep ends stalled drafting
runs. Financien's *Jaar opstellen* runs on the worker as ``facturatie.opstelrun_verwerken``.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .opstellen import jaarronde_uitvoeren
from .opstelrun import opstelrun_uitvoeren, opstelruns_stilgevallen


def opsteldatum() -> tuple[int, int]:
    """``FACTURATIE_OPSTELDATUM`` as (month, day): "MM-DD", default "01-15"."""
    maand, dag = str(getattr(settings, "FACTURATIE_OPSTELDATUM", "01-15")).split("-")
    return int(maand), int(dag)


@shared_task(name="facturatie.jaarlijks_opstellen", acks_late=True)
def jaarlijks_opstellen() -> int | None:
    opstelruns_stilgevallen()
    maand, dag = opsteldatum()
    ronde = jaarronde_uitvoeren(vandaag=timezone.localdate(), maand=maand, dag=dag)
    return ronde.jaar if ronde else None


@shared_task(name="facturatie.opstelrun_verwerken", acks_late=True, reject_on_worker_lost=True)
def opstelrun_verwerken(opstelrun_id: int) -> None:
    """Draft a run convenant by convenant. Idempotent: a redelivered task on a finished run does nothing."""
    opstelrun_uitvoeren(run_id=opstelrun_id)
