"""Reading and checking an uploaded file, block by block, ahead of the storing: no database writes here.

A block is a run of rows from a position in the file. :func:`lees_en_controleer` reads it, parses and
validates each row (``valideer_melding``, the rules of every channel) and prepares the valid rows for
storing (:func:`meldingen.intake.voorbereiding.meldingen_voorbereiden`: ids, data keys, encryption, blind indexes,
the rows in COPY's binary format). It needs the database only to look up a convenant it has not seen.

Checking is as much work per row as storing, and both are Python: in one process they would take turns
on one core, however many the machine has. So :class:`Controleproces` checks the blocks ahead in a
child process of its own (``os.fork``), while the storing process stores the block before and PostgreSQL
works. The child never uses the database (it shares the parent's connections, so it must not): a block
that names a convenant it has not been given comes back read but unchecked, for the storing process to
check. It sends each block back as plain values (:meth:`Blok.inpakken`). Where ``fork`` is not
available, :class:`ControleHier` checks in the storing process itself, one block after the other.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import signal
from collections import deque
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.connection import Connection, Pipe
from typing import Any, Protocol

from django.db import connections
from django.utils import timezone

from convenants.models import Convenant
from meldingen.intake.validatie import ConvenantStand, Fouten, Uitkomst, convenant_stand, plat, valideer_melding
from meldingen.intake.voorbereiding import Voorbereid, meldingen_voorbereiden
from meldpunt.core.models import Organisatie

from .bestand import Bestand
from .parser import KOLOMMEN, Rij, invoer_uit_waarden, tekst


@dataclass
class Blok:
    """One block of rows, checked: the row errors, and the valid rows prepared for storing."""

    start: int
    aantal: int
    vandaag: dt.date
    afgewezen: int = 0
    fouten: list[dict[str, Any]] = field(default_factory=list)
    voorbereid: Voorbereid | None = None
    #: Read but not checked yet: the checking process met a convenant it had not been given.
    ongecontroleerd: list[Rij] | None = None

    def inpakken(self) -> bytes:
        """The block as plain values, to send through a pipe (the row errors hold no personal data)."""
        voorbereid = None if self.voorbereid is None else self.voorbereid.inpakken()
        waarden = (self.start, self.aantal, self.vandaag, self.afgewezen, self.fouten, voorbereid, self.ongecontroleerd)
        return pickle.dumps(waarden, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def uitpakken(cls, data: bytes, convenanten: dict[int, Convenant]) -> Blok:
        start, aantal, vandaag, afgewezen, fouten, voorbereid, ongecontroleerd = pickle.loads(data)  # noqa: S301 - our child
        return cls(
            start=start,
            aantal=aantal,
            vandaag=vandaag,
            afgewezen=afgewezen,
            fouten=fouten,
            voorbereid=None if voorbereid is None else Voorbereid.uitpakken(voorbereid, convenanten),
            ongecontroleerd=ongecontroleerd,
        )


class Lezer:
    """The file's rows from a position on."""

    def __init__(self, bestand: Bestand) -> None:
        self.bestand = bestand
        self._rijen = bestand.rijen()
        self._positie = 0

    def lees(self, start: int, aantal: int) -> list[Rij]:
        if start < self._positie:  # back to an earlier position: from the start of the file again
            self._rijen, self._positie = self.bestand.rijen(), 0
        for _ in range(start - self._positie):
            if next(self._rijen, None) is None:
                break
        blok = list(islice(self._rijen, aantal))
        self._positie = start + len(blok)
        return blok


#: The convenants looked up so far, per slug and day (``convenant_stand``).
Standen = dict[tuple[str, dt.date], ConvenantStand]


def lees_en_controleer(
    lezer: Lezer, start: int, aantal: int, partner: Organisatie, bekend: Standen, *, met_database: bool = True
) -> Blok:
    """Read the block from ``start`` and check it; a convenant not in ``bekend`` is looked up (and kept
    there), or, without ``met_database``, the block comes back unchecked (:attr:`Blok.ongecontroleerd`)."""
    blok = lezer.lees(start, aantal)
    vandaag = timezone.localdate()
    if not blok:  # the end of the file
        return Blok(start=start, aantal=0, vandaag=vandaag)
    if not met_database and any((slug, vandaag) not in bekend for slug in convenanten(lezer.bestand, blok)):
        return Blok(start=start, aantal=len(blok), vandaag=vandaag, ongecontroleerd=blok)
    return controleer_gelezen(lezer.bestand, blok, start, partner, bekend)


def controleer_gelezen(bestand: Bestand, blok: list[Rij], start: int, partner: Organisatie, bekend: Standen) -> Blok:
    """Check rows already read, looking up the convenants they name that are not in ``bekend``."""
    vandaag = timezone.localdate()
    standen: dict[str, ConvenantStand] = {}
    for slug in convenanten(bestand, blok):
        if (slug, vandaag) not in bekend:
            bekend[(slug, vandaag)] = convenant_stand(slug, partner, vandaag)
        standen[slug] = bekend[(slug, vandaag)]
    return controleer_blok(bestand, blok, start, partner, vandaag, standen)


def convenanten(bestand: Bestand, blok: list[Rij]) -> set[str]:
    """The convenant slugs the block's rows name, as validation reads them."""
    positie = bestand.kolommen.get("convenant")
    return {
        tekst(rij.cellen[positie] if positie is not None and positie < len(rij.cellen) else None).strip()
        for rij in blok
    }


def controleer_blok(
    bestand: Bestand,
    blok: list[Rij],
    start: int,
    partner: Organisatie,
    vandaag: dt.date,
    standen: dict[str, ConvenantStand],
) -> Blok:
    """Parse and validate the block's rows (``valideer_melding``) and prepare the valid ones for storing.

    No database access: every convenant the rows name is in ``standen``.
    """
    gecontroleerd = Blok(start=start, aantal=len(blok), vandaag=vandaag)
    geldig: list[Uitkomst] = []
    for rij in blok:
        rij_fouten = _controleer_rij(partner, bestand, rij, vandaag, standen, geldig)
        if rij_fouten:
            gecontroleerd.afgewezen += 1
            gecontroleerd.fouten += [
                {"rij": rij.nummer, "veld": veld, "bericht": bericht} for veld, bericht in rij_fouten
            ]
    gecontroleerd.voorbereid = meldingen_voorbereiden(geldig, partner_id=partner.pk)
    return gecontroleerd


def _controleer_rij(
    partner: Organisatie,
    bestand: Bestand,
    rij: Rij,
    vandaag: dt.date,
    standen: dict[str, ConvenantStand],
    geldig: list[Uitkomst],
) -> list[tuple[str, str]]:
    """The row's errors per column; a valid row's Uitkomst is appended to ``geldig`` instead."""
    if rij.fouten:
        return list(rij.fouten)
    invoer, parse_fouten = invoer_uit_waarden(bestand.waarden(rij))
    uitkomst = valideer_melding(invoer, partner=partner, vandaag=vandaag, standen=standen, overnemen=True)
    if not parse_fouten and not uitkomst.fouten:
        geldig.append(uitkomst)
        return []
    return _per_kolom(parse_fouten, uitkomst.fouten)


def _per_kolom(parse_fouten: dict[str, list[str]], validatie: Fouten) -> list[tuple[str, str]]:
    """Parse and validation errors per column; "required" after an unreadable value is left out."""
    per_kolom: dict[str, list[str]] = {kolom: list(berichten) for kolom, berichten in parse_fouten.items()}
    for pad, berichten in validatie.items():
        kolom = plat(pad)
        if kolom in parse_fouten:
            continue
        per_kolom.setdefault(kolom, []).extend(b for b in berichten if b not in per_kolom.get(kolom, []))
    return [
        (kolom, bericht)
        for kolom in sorted(per_kolom, key=lambda k: _KOLOMVOLGORDE.get(k, len(_KOLOMVOLGORDE)))
        for bericht in per_kolom[kolom]
    ]


_KOLOMVOLGORDE = {kolom: i for i, kolom in enumerate(KOLOMMEN)}


# --- who checks ahead -----------------------------------------------------------------------------------
class Controleur(Protocol):
    """Checks blocks ahead: :meth:`vraag` the block from ``start``, later its :meth:`antwoord` (in order)."""

    def vraag(self, start: int, aantal: int, bekend: Standen) -> None: ...

    def antwoord(self) -> Blok: ...

    def sluit(self) -> None: ...


class ControleHier:
    """Checks each block when its answer is asked for, in this process (where ``fork`` is not available)."""

    def __init__(self, lezer: Lezer, partner: Organisatie) -> None:
        self._lezer, self._partner = lezer, partner
        self._vragen: deque[tuple[int, int, Standen]] = deque()

    def vraag(self, start: int, aantal: int, bekend: Standen) -> None:
        self._vragen.append((start, aantal, bekend))

    def antwoord(self) -> Blok:
        start, aantal, bekend = self._vragen.popleft()
        return lees_en_controleer(self._lezer, start, aantal, self._partner, bekend)

    def sluit(self) -> None:
        self._vragen.clear()


class Controleproces:
    """Checks the blocks asked for in a child process (``os.fork``) and sends them back in order.

    The child gets the file, the partner and the convenants known so far as they are in this process at
    the moment of the fork (nothing is copied or sent for that), and with each question the convenants
    looked up since. It reads and checks with :func:`lees_en_controleer` without the database, answers
    with :meth:`Blok.inpakken`, and ends when this process closes its side of the pipes, or dies.
    """

    def __init__(self, lezer: Lezer, partner: Organisatie, bekend: Standen) -> None:
        vragen_lezen, self._vragen = Pipe(duplex=False)
        self._antwoorden, antwoorden_schrijven = Pipe(duplex=False)
        self._bekend_gestuurd = set(bekend)
        self._convenanten = _convenanten_van(bekend)
        self._pid = os.fork()
        if self._pid == 0:  # the child
            self._vragen.close()
            self._antwoorden.close()
            _kind(lezer, partner, dict(bekend), vragen_lezen, antwoorden_schrijven)  # never returns
        vragen_lezen.close()
        antwoorden_schrijven.close()

    def vraag(self, start: int, aantal: int, bekend: Standen) -> None:
        nieuw = {sleutel: stand for sleutel, stand in bekend.items() if sleutel not in self._bekend_gestuurd}
        self._bekend_gestuurd.update(nieuw)
        self._convenanten.update(_convenanten_van(nieuw))
        try:
            self._vragen.send((start, aantal, nieuw))
        except OSError as exc:  # the child is gone (a broken pipe)
            raise RuntimeError("het controleproces is onverwacht gestopt") from exc

    def antwoord(self) -> Blok:
        try:
            soort, data = self._antwoorden.recv()
        except EOFError as exc:
            raise RuntimeError("het controleproces is onverwacht gestopt") from exc
        if soort == "fout":
            raise RuntimeError(f"het controleproces stopte met een {data}")
        return Blok.uitpakken(data, self._convenanten)

    def sluit(self) -> None:
        """Close the pipes (the child then ends) and wait for the child."""
        self._vragen.close()
        self._antwoorden.close()
        os.waitpid(self._pid, 0)


def _convenanten_van(bekend: Standen) -> dict[int, Convenant]:
    return {stand.convenant.pk: stand.convenant for stand in bekend.values() if stand.convenant is not None}


def _kind(lezer: Lezer, partner: Organisatie, bekend: Standen, vragen: Connection, antwoorden: Connection) -> None:
    """The checking process: answers questions until the pipe closes, then exits without any cleanup of
    the parent's (its database connections, buffers and exit handlers are the parent's, not its own)."""
    code = 0
    try:
        for naam in ("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT"):  # not the parent's handlers (a worker's)
            if hasattr(signal, naam):
                signal.signal(getattr(signal, naam), signal.SIG_DFL)
        for verbinding in connections.all(initialized_only=True):
            verbinding.execute_wrappers.append(_geen_database)
        while True:
            try:
                start, aantal, nieuw = vragen.recv()
            except EOFError:
                break
            bekend.update(nieuw)
            try:
                blok = lees_en_controleer(lezer, start, aantal, partner, bekend, met_database=False)
                antwoord: tuple[str, Any] = ("blok", blok.inpakken())
            except Exception as exc:  # noqa: BLE001 - its message may quote the file: only the type goes back
                antwoord = ("fout", type(exc).__name__)
            try:
                antwoorden.send(antwoord)
            except (BrokenPipeError, OSError):
                break
    except BaseException:  # noqa: BLE001 - whatever happens, the child must not run the parent's code on
        code = 1
    finally:
        os._exit(code)


def _geen_database(*args: Any) -> Any:
    raise RuntimeError("het controleproces gebruikt de database niet")
