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
    veld: str  # "hash" (content changed) or "vorige_hash" (an entry before it removed or replaced)
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
        if regel["vorige_hash"] != vorige:
            return KetenUitslag(aantal, Breuk(regel["id"], "vorige_hash", vorige, regel["vorige_hash"]))
        verwacht = bereken_hash(vorige_hash=regel["vorige_hash"], waarden=regel)
        if regel["hash"] != verwacht:
            return KetenUitslag(aantal, Breuk(regel["id"], "hash", verwacht, regel["hash"]))
        vorige = regel["hash"]
        aantal += 1
    return KetenUitslag(aantal, None)
