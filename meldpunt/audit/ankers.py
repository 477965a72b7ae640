"""Anchoring the Logboek's hash chain outside the database (ADR 0011, docs/security.md).

Whoever owns the database can disable the append-only trigger, delete an entry and re-hash the rest: the
chain alone would still look intact. So at least once a day the head of the chain is written down where
the database owner cannot reach it: a *checkpoint* (the id and hash of the last entry, the number of
entries and the time), signed with an Ed25519 key (JWS, joserfc) that the application holds and the
database does not, is

- kept by a second store behind the :class:`AnkerOpslag` adapter (:class:`BestandOpslag`: a folder, to be
  mounted from another host or synchronised to an object store with retention lock), and
- mailed to every FG, who keeps it outside the system.

``manage.py logboek_controleren`` then checks that every checkpoint's entry still exists with the same
hash, that no id is missing (ids are contiguous by construction), and that the chain did not shrink.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from .models import GENESIS_HASH, LogRegel

ALGORITME = "EdDSA"


@dataclass(frozen=True)
class Anker:
    """A checkpoint of the chain: entries 1..``id`` with ``hash`` as the last one's hash, at ``tijdstip``."""

    id: int
    hash: str
    tijdstip: str

    def als_json(self) -> bytes:
        return json.dumps({"id": self.id, "hash": self.hash, "tijdstip": self.tijdstip}, sort_keys=True).encode()


class AnkerOpslag(Protocol):
    """The second store of the signed checkpoints (compact JWS texts)."""

    def bewaar(self, naam: str, jws_tekst: str) -> None: ...

    def alle(self) -> list[str]: ...


class BestandOpslag:
    """Checkpoints as files ``<id>-<time>.jws`` in a folder; a file is never overwritten."""

    def __init__(self, map_: str) -> None:
        self.map = Path(map_)

    def bewaar(self, naam: str, jws_tekst: str) -> None:
        self.map.mkdir(parents=True, exist_ok=True)
        with open(self.map / naam, "x", encoding="ascii") as uit:  # "x": refuses to overwrite
            uit.write(jws_tekst)

    def alle(self) -> list[str]:
        if not self.map.is_dir():
            return []
        return [p.read_text(encoding="ascii").strip() for p in sorted(self.map.glob("*.jws"))]


def opslag() -> AnkerOpslag:
    waarde = settings.MELDPUNT_LOGBOEK_ANKER_OPSLAG
    return BestandOpslag(waarde.removeprefix("bestand:"))


def _sleutel() -> OKPKey:
    tekst = settings.MELDPUNT_LOGBOEK_ANKER_SLEUTEL
    if not tekst:
        raise ImproperlyConfigured("MELDPUNT_LOGBOEK_ANKER_SLEUTEL is niet ingesteld (een Ed25519-sleutel als JWK).")
    return OKPKey.import_key(json.loads(tekst))


def publieke_sleutel() -> dict[str, str]:
    """The public half, for the FG and the deployment checklist (verifying needs nothing secret)."""
    return {k: v for k, v in _sleutel().as_dict(private=False).items() if isinstance(v, str)}


def onderteken(anker: Anker) -> str:
    return jws.serialize_compact({"alg": ALGORITME}, anker.als_json(), _sleutel(), algorithms=[ALGORITME])


def lees(jws_tekst: str) -> Anker:
    """The checkpoint of a signed text; raises ValueError when the signature does not verify."""
    try:
        inhoud = jws.deserialize_compact(jws_tekst, _sleutel(), algorithms=[ALGORITME]).payload
    except (JoseError, ValueError) as exc:
        raise ValueError("handtekening ongeldig") from exc
    data = json.loads(inhoud)
    return Anker(id=int(data["id"]), hash=str(data["hash"]), tijdstip=str(data["tijdstip"]))


def huidige_kop() -> Anker:
    laatste = LogRegel.objects.order_by("-id").values("id", "hash").first()
    nu = timezone.now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if laatste is None:
        return Anker(id=0, hash=GENESIS_HASH, tijdstip=nu)
    return Anker(id=laatste["id"], hash=laatste["hash"], tijdstip=nu)


def ankers() -> list[tuple[str, Anker | None]]:
    """Every stored checkpoint as (its text, the checkpoint or None when its signature is invalid)."""
    uit: list[tuple[str, Anker | None]] = []
    for tekst in opslag().alle():
        try:
            uit.append((tekst, lees(tekst)))
        except ValueError:
            uit.append((tekst, None))
    return uit


def laatste_anker_datum() -> dt.date | None:
    geldig = [a for _, a in ankers() if a is not None]
    if not geldig:
        return None
    return max(dt.datetime.fromisoformat(a.tijdstip.replace("Z", "+00:00")).date() for a in geldig)
