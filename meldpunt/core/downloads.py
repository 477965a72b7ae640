"""Downloads of files that hold personal data: as an attachment, never cached."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def bijlage(inhoud: bytes, *, naam: str, mime: str) -> HttpResponse:
    """``inhoud`` as a download named ``naam``; ``Cache-Control: no-store`` keeps it out of caches."""
    response = HttpResponse(inhoud, content_type=mime)
    response["Content-Disposition"] = content_disposition_header(True, naam)
    response["Cache-Control"] = "no-store"
    return response
