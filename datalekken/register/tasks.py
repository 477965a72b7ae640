"""Celery tasks of the register: thin, by id, idempotent."""

from __future__ import annotations

from celery import shared_task

from .brieven import datalek_brieven_maken
from .meldingmail import registratie_mailen


@shared_task(
    name="datalekken.stuur_datalek_registratie",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def stuur_datalek_registratie(datalek_id: int) -> int:
    """E-mail the FG addresses of a newly registered breach (once: the "sent" flag is checked under a lock)."""
    return registratie_mailen(datalek_id=datalek_id)


@shared_task(name="datalekken.maak_datalekbrieven", acks_late=True, reject_on_worker_lost=True)
def maak_datalekbrieven(datalek_id: int) -> int:
    """The letters to the people affected; a redelivered task goes on where the last one stopped."""
    return datalek_brieven_maken(datalek_id=datalek_id)
