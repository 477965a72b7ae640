"""Open a data key once and encrypt or decrypt several values of one record with it.

    kluis = Kluis(melding.sleutel)
    melding.persoonsgegevens = kluis.versleutel(gegevens, context=f"meldingen.melding:{melding.pk}:persoon")
    gegevens = kluis.ontsleutel(melding.persoonsgegevens, context=...)

The unwrapped key lives only as long as the Kluis object; nothing is cached across requests, so a
destroyed key cannot linger in a process.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from . import crypto
from .keys import SLEUTELLENGTE, sleutelbos
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
    #: Only set by :meth:`nieuwe`: the wrapped key and its master key version, to be stored as the
    #: DataSleutel row with id ``sleutel_id``.
    verpakte_sleutel: bytes | None = None
    master_versie: int | None = None
    #: The id of its DataSleutel (a UUID; in a batch prepared in advance, the id it will be stored with).
    sleutel_id: object

    def __init__(self, sleutel: DataSleutel) -> None:
        self.sleutel_id = sleutel.pk
        self._sleutel = open_sleutel(sleutel)

    @classmethod
    def nieuwe(cls, sleutel_ids: Sequence[object]) -> list[Kluis]:
        """A Kluis per id, each for a new random data key wrapped by the current master key (bound to its id).

        What ``datasleutel_nieuw`` + ``Kluis(sleutel)`` give for each id (the same key length, wrapping,
        context and ciphertext format), without unwrapping the keys just wrapped and without model
        instances (bulk intake): the caller stores ``sleutel_id``, ``master_versie`` and
        ``verpakte_sleutel`` as the DataSleutel rows, in the same transaction as the values encrypted
        with them.
        """
        bos = sleutelbos()
        master = AESGCM(bos.sleutels[bos.huidige_versie])
        sleutels = os.urandom(SLEUTELLENGTE * len(sleutel_ids))
        nonces = os.urandom(crypto.NONCE_LENGTE * len(sleutel_ids))
        kluizen = []
        for i, sleutel_id in enumerate(sleutel_ids):
            kluis = cls.__new__(cls)
            kluis.sleutel_id = sleutel_id
            kluis._sleutel = sleutels[i * SLEUTELLENGTE : (i + 1) * SLEUTELLENGTE]
            nonce = nonces[i * crypto.NONCE_LENGTE : (i + 1) * crypto.NONCE_LENGTE]
            kluis.master_versie = bos.huidige_versie
            kluis.verpakte_sleutel = (
                crypto.FORMAAT_V1 + nonce + master.encrypt(nonce, kluis._sleutel, verpak_context(sleutel_id))
            )
            kluizen.append(kluis)
        return kluizen

    def delen(self) -> tuple[object, bytes, bytes | None, int | None]:
        """Its id, key, wrapped key and master key version: to hand a key made with :meth:`nieuwe` to the
        process that stores it (through a pipe; never stored or logged as such)."""
        return self.sleutel_id, self._sleutel, self.verpakte_sleutel, self.master_versie

    @classmethod
    def uit_delen(
        cls, sleutel_id: object, sleutel: bytes, verpakte_sleutel: bytes | None, master_versie: int | None
    ) -> Kluis:
        """The Kluis :meth:`delen` gave the parts of."""
        kluis = cls.__new__(cls)
        kluis.sleutel_id, kluis._sleutel = sleutel_id, sleutel
        kluis.verpakte_sleutel, kluis.master_versie = verpakte_sleutel, master_versie
        return kluis

    def versleutel(self, waarde: Any, *, context: str) -> bytes:
        return crypto.versleutel_json(self._sleutel, waarde, context)

    def ontsleutel(self, blob: crypto.Versleuteld, *, context: str) -> Any:
        return crypto.ontsleutel_json(self._sleutel, blob, context)

    def versleutel_bytes(self, data: bytes, *, context: str, nonce: bytes | None = None) -> bytes:
        return crypto.versleutel(self._sleutel, data, context.encode(), nonce)

    def ontsleutel_bytes(self, blob: crypto.Versleuteld, *, context: str) -> bytes:
        return crypto.ontsleutel(self._sleutel, blob, context.encode())
