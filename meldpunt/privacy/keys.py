"""The master keyring, read from configuration (never from the database).

``MELDPUNT_MASTER_KEYS`` holds one or more ``version:base64key`` entries separated by commas. The first
entry is the current key: it wraps every new data key and every key re-wrapped by a rotation. The other
entries can only unwrap, and are removed from the configuration (destroyed) once
``manage.py sleutels_roteren`` reports that no data key uses them any more.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SLEUTELLENGTE = 32  # AES-256


@dataclass(frozen=True)
class Sleutelbos:
    huidige_versie: int
    sleutels: dict[int, bytes]

    def sleutel(self, versie: int) -> bytes | None:
        return self.sleutels.get(versie)


@lru_cache(maxsize=8)
def _parse(configuratie: str) -> Sleutelbos:
    sleutels: dict[int, bytes] = {}
    volgorde: list[int] = []
    for deel in (d.strip() for d in configuratie.split(",")):
        if not deel:
            continue
        versie_tekst, sep, sleutel_tekst = deel.partition(":")
        if not sep or not versie_tekst.strip().isdigit():
            raise ImproperlyConfigured("MELDPUNT_MASTER_KEYS: every entry must look like 'version:base64key'.")
        versie = int(versie_tekst)
        try:
            sleutel = base64.b64decode(sleutel_tekst.strip(), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ImproperlyConfigured(f"MELDPUNT_MASTER_KEYS: key version {versie} is not valid base64.") from exc
        if len(sleutel) != SLEUTELLENGTE:
            raise ImproperlyConfigured(f"MELDPUNT_MASTER_KEYS: key version {versie} must be 32 bytes.")
        if versie in sleutels:
            raise ImproperlyConfigured(f"MELDPUNT_MASTER_KEYS: key version {versie} appears twice.")
        sleutels[versie] = sleutel
        volgorde.append(versie)
    if not volgorde:
        raise ImproperlyConfigured("MELDPUNT_MASTER_KEYS is empty: configure at least one master key.")
    return Sleutelbos(huidige_versie=volgorde[0], sleutels=sleutels)


def sleutelbos() -> Sleutelbos:
    return _parse(settings.MELDPUNT_MASTER_KEYS)


@lru_cache(maxsize=4)
def _blind_index_sleutel(configuratie: str) -> bytes:
    try:
        sleutel = base64.b64decode(configuratie, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured("MELDPUNT_BLIND_INDEX_KEY is not valid base64.") from exc
    if len(sleutel) != SLEUTELLENGTE:
        raise ImproperlyConfigured("MELDPUNT_BLIND_INDEX_KEY must be 32 bytes (base64).")
    return sleutel


def blind_index_sleutel() -> bytes:
    return _blind_index_sleutel(settings.MELDPUNT_BLIND_INDEX_KEY)
