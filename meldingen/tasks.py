"""Celery tasks of intake. Thin: they receive ids, load what they need and call services."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

#: Transient database errors are retried this many times before the upload is marked mislukt.
MAX_POGINGEN = 5


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_POGINGEN)
def verwerk_upload(self: object, upload_id: str) -> None:
    """Process an uploaded file from its checkpoint. Idempotent: a redelivered task resumes."""
    from .upload.services import upload_mislukt, upload_verwerken

    try:
        upload_verwerken(upload_id=upload_id)
    except (OperationalError, InterfaceError) as exc:
        pogingen = self.request.retries  # type: ignore[attr-defined]
        if pogingen < MAX_POGINGEN:
            raise self.retry(exc=exc, countdown=2 ** (pogingen + 2)) from None  # type: ignore[attr-defined]
        upload_mislukt(
            upload_id=upload_id,
            foutmelding="Het verwerken is niet gelukt: de database was niet bereikbaar. Probeer het later opnieuw.",
        )


@shared_task(acks_late=True)
def uploads_opruimen() -> int:
    """Scheduled: crypto-shred the files of uploads past their retention period (30 days)."""
    from .upload.services import uploads_opruimen as opruimen

    return opruimen()


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_POGINGEN)
def maak_rapportage_pdf(self: object, dossier_id: str) -> None:
    """Render and store the rapportage PDF of a dossier. Idempotent: an up-to-date PDF is not made again."""
    from .rapportage import rapportage_pdf_maken

    try:
        rapportage_pdf_maken(dossier_id=dossier_id)
    except (OperationalError, InterfaceError) as exc:
        pogingen = self.request.retries  # type: ignore[attr-defined]
        raise self.retry(exc=exc, countdown=2 ** (pogingen + 2)) from None  # type: ignore[attr-defined]
