"""Celery tasks of the file upload. Thin: they receive ids and call the processing module."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from .verwerking import upload_mislukt, upload_verwerken, uploads_stilgevallen
from .verwerking import uploads_opruimen as opruimen

#: Transient database errors are retried this many times before the upload is marked mislukt.
MAX_POGINGEN = 5


# The tasks keep the names they were queued and scheduled under before the app was split into capabilities.
@shared_task(
    name="meldingen.tasks.verwerk_upload",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_POGINGEN,
    # Below the broker's visibility timeout, so Redis never hands a running upload to a second worker; an
    # upload stopped by this limit stays "bezig" and the sweep below resumes it from its checkpoint.
    time_limit=settings.UPLOAD_TAAK_TIJDSLIMIET,
)
def verwerk_upload(self: object, upload_id: str) -> None:
    """Process an uploaded file from its checkpoint. Idempotent: a redelivered task resumes."""
    try:
        upload_verwerken(upload_id=upload_id)
    except (OperationalError, InterfaceError) as exc:
        pogingen = self.request.retries  # type: ignore[attr-defined]  # Celery's bound task
        if pogingen < MAX_POGINGEN:
            raise self.retry(exc=exc, countdown=2 ** (pogingen + 2)) from None  # type: ignore[attr-defined]  # Celery's bound task
        upload_mislukt(
            upload_id=upload_id,
            foutmelding="Het verwerken is niet gelukt: de database was niet bereikbaar. Probeer het later opnieuw.",
        )


@shared_task(name="meldingen.tasks.uploads_opruimen", acks_late=True)
def uploads_opruimen() -> int:
    """Scheduled: crypto-shred the files of uploads past their retention period (30 days)."""
    return opruimen()


@shared_task(name="meldingen.upload.uploads_hervatten", acks_late=True)
def uploads_hervatten() -> int:
    """Scheduled every minute: queue again the uploads without progress for five minutes (a crashed worker)."""
    ids = uploads_stilgevallen()
    for upload_id in ids:
        verwerk_upload.delay(upload_id)
    return len(ids)
