"""Celery tasks of the rapportage. Thin: they receive ids and call the PDF module."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .pdf import rapportage_pdf_maken


# The task keeps the name it was queued under before the app was split into capabilities.
@shared_task(
    name="meldingen.tasks.maak_rapportage_pdf", bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5
)
def maak_rapportage_pdf(self: object, dossier_id: str) -> None:
    """Render and store the rapportage PDF of a dossier. Idempotent: an up-to-date PDF is not made again."""
    try:
        rapportage_pdf_maken(dossier_id=dossier_id)
    except (OperationalError, InterfaceError) as exc:
        pogingen = self.request.retries  # type: ignore[attr-defined]  # Celery's bound task
        raise self.retry(exc=exc, countdown=2 ** (pogingen + 2)) from None  # type: ignore[attr-defined]  # Celery's bound task
