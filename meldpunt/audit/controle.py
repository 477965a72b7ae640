"""Walking the hash chain: every entry's hash recomputed, every link to its predecessor checked."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .models import GENESIS_HASH, LogRegel
from .services import HASH_VELDEN, bereken_hash


@dataclass(frozen=True)
class Breuk:
    """The first entry that does not fit the chain."""

    id: int
    #: "hash" (content changed), "vorige_hash" (an entry before it removed or replaced) or "id" (ids before it
    #: missing: ids are contiguous from 1, so a gap is a removed entry even when the rest was re-hashed)
    veld: str
    verwacht: str
    opgeslagen: str


@dataclass(frozen=True)
class KetenUitslag:
    aantal: int
    breuk: Breuk | None

    @property
    def intact(self) -> bool:
        return self.breuk is None


def _in_batches(batch_grootte: int) -> Iterator[dict[str, Any]]:
    """Every entry in id order, ``batch_grootte`` rows per query (keyset pagination on the primary key)."""
    kolommen = sorted({*HASH_VELDEN, "vorige_hash", "hash"})
    laatste_id = 0
    while True:
        batch = list(LogRegel.objects.filter(id__gt=laatste_id).order_by("id").values(*kolommen)[:batch_grootte])
        if not batch:
            return
        yield from batch
        laatste_id = batch[-1]["id"]


def keten_controleren(*, batch_grootte: int = 1000) -> KetenUitslag:
    vorige = GENESIS_HASH
    aantal = 0
    for regel in _in_batches(batch_grootte):
        if regel["id"] != aantal + 1:
            return KetenUitslag(aantal, Breuk(regel["id"], "id", str(aantal + 1), str(regel["id"])))
        if regel["vorige_hash"] != vorige:
            return KetenUitslag(aantal, Breuk(regel["id"], "vorige_hash", vorige, regel["vorige_hash"]))
        verwacht = bereken_hash(vorige_hash=regel["vorige_hash"], waarden=regel)
        if regel["hash"] != verwacht:
            return KetenUitslag(aantal, Breuk(regel["id"], "hash", verwacht, regel["hash"]))
        vorige = regel["hash"]
        aantal += 1
    return KetenUitslag(aantal, None)


def ankers_controleren() -> list[str]:
    """Check the chain against the signed checkpoints of the second store (:mod:`meldpunt.audit.ankers`).

    Every checkpoint must verify, its entry must exist with the same hash, and the chain may not have
    fewer entries than the newest checkpoint names. Returns the problems found, in Dutch (empty: all fit).
    """
    from .ankers import ankers

    problemen: list[str] = []
    hashes: dict[int, str] = {}
    geldig = []
    for tekst, anker in ankers():
        if anker is None:
            problemen.append(f"Controlepunt met ongeldige handtekening: {tekst[:40]}…")
        else:
            geldig.append(anker)
    ids = [a.id for a in geldig if a.id > 0]
    if ids:
        hashes = dict(LogRegel.objects.filter(id__in=ids).values_list("id", "hash"))
    laatste = LogRegel.objects.order_by("-id").values_list("id", flat=True).first() or 0
    for anker in sorted(geldig, key=lambda a: a.id):
        if anker.id == 0:
            continue
        if anker.id not in hashes:
            problemen.append(f"Regel {anker.id} van het controlepunt van {anker.tijdstip} ontbreekt.")
        elif hashes[anker.id] != anker.hash:
            problemen.append(
                f"Regel {anker.id} heeft niet de hash van het controlepunt van {anker.tijdstip}: "
                f"verwacht {anker.hash}, opgeslagen {hashes[anker.id]}."
            )
    if geldig and max(a.id for a in geldig) > laatste:
        problemen.append(f"Het logboek eindigt bij regel {laatste}, vóór het laatste controlepunt.")
    return problemen
