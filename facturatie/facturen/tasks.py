"""The yearly drafting (beat sweep, hourly): from the configured day (default 15 January) the previous year
is drafted once (``Opstelronde``); a missed tick drafts at the next one."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .opstellen import jaarronde_uitvoeren


def opsteldatum() -> tuple[int, int]:
    """``FACTURATIE_OPSTELDATUM`` as (month, day): "MM-DD", default "01-15"."""
    maand, dag = str(getattr(settings, "FACTURATIE_OPSTELDATUM", "01-15")).split("-")
    return int(maand), int(dag)


@shared_task(name="facturatie.jaarlijks_opstellen", acks_late=True)
def jaarlijks_opstellen() -> int | None:
    maand, dag = opsteldatum()
    ronde = jaarronde_uitvoeren(vandaag=timezone.localdate(), maand=maand, dag=dag)
    return ronde.jaar if ronde else None
