"""A secret shown once, on the page a POST redirects to (post/redirect/get without showing it twice).

The POST keeps the secret in the session only encrypted (AES-256-GCM under a key derived from
``SECRET_KEY``, bound to the session key), and the GET that shows it takes it out again: a refresh of that
page, the back button or a copy of the database do not show it again.
"""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.http import HttpRequest

_NONCE = 12


def _sleutel() -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"meldpunt.eenmalig").derive(
        settings.SECRET_KEY.encode()
    )


def _context(request: HttpRequest, naam: str) -> bytes:
    if request.session.session_key is None:
        request.session.save()
    return f"{request.session.session_key}:{naam}".encode()


def eenmalig_bewaren(request: HttpRequest, naam: str, geheim: str) -> None:
    """Keep ``geheim`` for the next :func:`eenmalig_ophalen` of ``naam`` in this session."""
    nonce = os.urandom(_NONCE)
    versleuteld = AESGCM(_sleutel()).encrypt(nonce, geheim.encode(), _context(request, naam))
    request.session[f"eenmalig:{naam}"] = base64.b64encode(nonce + versleuteld).decode()


def eenmalig_ophalen(request: HttpRequest, naam: str) -> str | None:
    """The secret kept under ``naam``, once; None when it was shown already (or never kept)."""
    bewaard = request.session.pop(f"eenmalig:{naam}", None)
    if bewaard is None:
        return None
    ruw = base64.b64decode(bewaard)
    return AESGCM(_sleutel()).decrypt(ruw[:_NONCE], ruw[_NONCE:], _context(request, naam)).decode()
