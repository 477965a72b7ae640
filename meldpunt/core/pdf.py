"""Every PDF of the project is rendered here, with a url_fetcher that fetches nothing from outside.

A template (or a value in it) could name ``file:///etc/passwd``, an internal ``http://`` address or a
``data:`` URL; WeasyPrint's default fetcher would read or request all of them. The only resources a
PDF may load are the project's own static files (``/static/...``, found by the staticfiles finders,
never a path outside them); everything else is refused before any I/O.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation

logger = logging.getLogger(__name__)

#: The base URL relative references resolve against; the host is reserved (RFC 2606) and never asked.
BASIS_URL = "https://statisch.meldpunt.invalid/"


class BronGeweigerd(ValueError):
    """A PDF asked for a resource outside the project's static files."""


def _statisch_pad(url: str) -> str | None:
    deel = urlsplit(url)
    basis = urlsplit(BASIS_URL)
    if (deel.scheme, deel.netloc) != (basis.scheme, basis.netloc) or deel.query or deel.fragment:
        return None
    pad = unquote(deel.path)
    if not pad.startswith(settings.STATIC_URL):
        return None
    relatief = pad[len(settings.STATIC_URL) :]
    if not relatief or ".." in Path(relatief).parts or relatief.startswith("/"):
        return None
    return relatief


def statisch_bestand(url: str) -> tuple[bytes, str]:
    """The bytes and MIME type of a project static file; raise for any other URL (file:, http(s):, data:)."""
    relatief = _statisch_pad(url)
    if relatief is None:
        logger.warning("pdf: bron buiten de statische bestanden geweigerd (schema %s)", urlsplit(url).scheme)
        raise BronGeweigerd("bron buiten de statische bestanden")
    try:
        gevonden = finders.find(relatief)
    except SuspiciousFileOperation as fout:
        raise BronGeweigerd("bron buiten de statische bestanden") from fout
    if not gevonden or isinstance(gevonden, list):
        raise BronGeweigerd("statisch bestand niet gevonden")
    mime_type, _ = mimetypes.guess_type(str(gevonden))
    return Path(gevonden).read_bytes(), mime_type or "application/octet-stream"


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StatischeFetcher(URLFetcher):
        """Never opens a URL itself: every request goes through :func:`statisch_bestand`."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            inhoud, mime_type = statisch_bestand(url)
            return URLFetcherResponse(url, body=inhoud, headers={"Content-Type": mime_type})

    return StatischeFetcher(allowed_protocols=["https"], allow_redirects=False)


def pdf_render(html: str, *, css: str | None = None) -> bytes:
    """The PDF of ``html`` (plus an optional stylesheet); WeasyPrint is imported here, in the worker."""
    from weasyprint import CSS, HTML

    fetcher = _fetcher()
    stylesheets = [CSS(string=css, base_url=BASIS_URL, url_fetcher=fetcher)] if css else None
    return HTML(string=html, base_url=BASIS_URL, url_fetcher=fetcher).write_pdf(stylesheets=stylesheets)
