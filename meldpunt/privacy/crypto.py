"""Authenticated encryption (AES-256-GCM) of values and of data keys.

Ciphertext format: one format byte (``0x01``), a 12-byte random nonce, then the AES-GCM ciphertext with
its 16-byte tag. Every encryption binds *associated data* — the context the value belongs to (e.g.
``meldingen.melding:<uuid>:persoonsgegevens``) — so a ciphertext copied to another record or field does
not decrypt. A flipped bit anywhere fails the tag check.
"""

from __future__ import annotations

import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAAT_V1 = b"\x01"
NONCE_LENGTE = 12


class OntsleutelFout(Exception):
    """The ciphertext does not decrypt: wrong key, wrong context, or tampered with."""


class SleutelVernietigd(OntsleutelFout):
    """The data key was destroyed (crypto-shredding); the data is gone for good."""


#: A ciphertext as the database gives it (a ``BinaryField`` reads as ``memoryview``), or a field emptied by
#: destruction.
Versleuteld = bytes | memoryview | None


def nieuwe_sleutel() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def versleutel(sleutel: bytes, data: bytes, context: bytes, nonce: bytes | None = None) -> bytes:
    """``nonce``: 12 random bytes, for callers that draw them for many values at once (never reuse one)."""
    if nonce is None:
        nonce = os.urandom(NONCE_LENGTE)
    elif len(nonce) != NONCE_LENGTE:
        raise ValueError("een nonce is 12 bytes")
    return FORMAAT_V1 + nonce + AESGCM(sleutel).encrypt(nonce, data, context)


def ontsleutel(sleutel: bytes, versleuteld: Versleuteld, context: bytes) -> bytes:
    if versleuteld is None:
        raise SleutelVernietigd("geen versleutelde gegevens (vernietigd)")
    blob = bytes(versleuteld)
    if len(blob) < 1 + NONCE_LENGTE + 16 or blob[:1] != FORMAAT_V1:
        raise OntsleutelFout("onbekend of beschadigd formaat")
    nonce, ciphertext = blob[1 : 1 + NONCE_LENGTE], blob[1 + NONCE_LENGTE :]
    try:
        return AESGCM(sleutel).decrypt(nonce, ciphertext, context)
    except InvalidTag as exc:
        raise OntsleutelFout("authenticatie mislukt") from exc


def versleutel_json(sleutel: bytes, waarde: Any, context: str) -> bytes:
    data = json.dumps(waarde, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    return versleutel(sleutel, data, context.encode())


def ontsleutel_json(sleutel: bytes, blob: Versleuteld, context: str) -> Any:
    return json.loads(ontsleutel(sleutel, blob, context.encode()))
