"""Open a data key once and encrypt or decrypt several values of one record with it.

    kluis = Kluis(melding.sleutel)
    melding.persoonsgegevens = kluis.versleutel(gegevens, context=f"meldingen.melding:{melding.pk}:persoon")
    gegevens = kluis.ontsleutel(melding.persoonsgegevens, context=...)

The unwrapped key lives only as long as the Kluis object; nothing is cached across requests, so a
destroyed key cannot linger in a process.
"""

from __future__ import annotations

from typing import Any

from . import crypto
from .keys import sleutelbos
from .models import DataSleutel


def verpak_context(sleutel_id: object) -> bytes:
    return f"privacy.datasleutel:{sleutel_id}".encode()


def open_sleutel(sleutel: DataSleutel) -> bytes:
    """Unwrap a data key with the master key version that wrapped it."""
    if sleutel.vernietigd or sleutel.verpakte_sleutel is None or sleutel.master_versie is None:
        raise crypto.SleutelVernietigd(f"datasleutel {sleutel.pk} is vernietigd")
    master = sleutelbos().sleutel(sleutel.master_versie)
    if master is None:
        raise crypto.OntsleutelFout(f"hoofdsleutel versie {sleutel.master_versie} is niet (meer) geconfigureerd")
    return crypto.ontsleutel(master, sleutel.verpakte_sleutel, verpak_context(sleutel.pk))


class Kluis:
    def __init__(self, sleutel: DataSleutel) -> None:
        self.sleutel_id = sleutel.pk
        self._sleutel = open_sleutel(sleutel)

    def versleutel(self, waarde: Any, *, context: str) -> bytes:
        return crypto.versleutel_json(self._sleutel, waarde, context)

    def ontsleutel(self, blob: bytes, *, context: str) -> Any:
        return crypto.ontsleutel_json(self._sleutel, blob, context)

    def versleutel_bytes(self, data: bytes, *, context: str) -> bytes:
        return crypto.versleutel(self._sleutel, data, context.encode())

    def ontsleutel_bytes(self, blob: bytes, *, context: str) -> bytes:
        return crypto.ontsleutel(self._sleutel, blob, context.encode())
