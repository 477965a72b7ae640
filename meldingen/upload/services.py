"""Writes of the file upload: accept a file, process it in the background, clean it up.

:func:`upload_create` checks the file's shape at once (type by content, header, row count) so that a
file that cannot be used is refused in the browser and nothing is stored. It stores the file encrypted
under the upload's own data key and enqueues :func:`meldingen.tasks.verwerk_upload` after commit.

:func:`upload_verwerken` (run by that task) works through the rows in blocks. Each block is one
transaction that validates its rows with the same rules as every channel (``valideer_melding``), stores
the valid ones with one ``meldingen_bulk_create`` call, appends the row errors and advances the counters
and the checkpoint ``verwerkt_rijen`` together, under a lock on the upload row. A worker that dies mid-block
loses only that uncommitted block; the redelivered task re-reads the file, skips to the checkpoint and
continues, so no row is lost or stored twice (and a row whose content was stored before is recognised
anyway: "al ontvangen"). Two deliveries running at once take turns per block.

The counters partition the processed rows: ``opgeslagen`` (a new melding with a new dossier) +
``vervolgmeldingen`` (a new melding added to the tenancy's open dossier) + ``al_ontvangen`` (identical
content stored before: nothing new) + ``afgewezen`` = ``verwerkt_rijen``.

At the end the rejected rows are written to a file in the uploaded format (original cells plus a
``fout`` column, formula-like text neutralised) and stored encrypted under the same key.
:func:`upload_opruimen` crypto-shreds that key, destroying both files; :func:`uploads_opruimen` does so
for every upload older than :data:`BEWAARTERMIJN`.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db import InterfaceError, OperationalError, connections, transaction
from django.db.models import F, JSONField, Value
from django.db.models.expressions import CombinedExpression
from django.utils import timezone

from meldingen.models import Bestandsupload, UploadStatus
from meldingen.services import Voorbereiding, meldingen_bulk_create, meldingen_voorbereiden
from meldingen.validatie import ConvenantStand, Fouten, Uitkomst, convenant_stand, plat, valideer_melding
from meldingen.workflow import Kanaal
from meldpunt.audit.context import huidige_herkomst
from meldpunt.audit.services import logregel_create
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Organisatie, OrganisatieType, Rol, User
from meldpunt.core.voorrang import wacht_op_voorrang
from meldpunt.privacy.services import (
    datasleutel_create,
    datasleutel_vernietigen,
    versleuteld_bestand_create,
    versleuteld_bestand_lezen,
)

from .parser import (
    KOLOMMEN,
    Bestand,
    BestandFout,
    Rij,
    afgewezen_bestand,
    invoer_uit_waarden,
    lees_bestand,
    tekst,
    tel_rijen,
    vergeet_celwaarden,
)

logger = logging.getLogger(__name__)

#: Rows per transaction: the valid rows of a block are stored with one ``meldingen_bulk_create`` call,
#: which appends to the audit chain last, so its lock is held only briefly before the block commits. A
#: worker that dies loses (and redoes) at most one block; fewer, larger blocks cost the database less.
BLOKGROOTTE = 2000
MAX_BESTAND_BYTES = 20 * 1024 * 1024
BEWAARTERMIJN = dt.timedelta(days=30)
DOEL = "vroegsignalering huurachterstand"
OBJECT_TYPE = "meldingen.bestandsupload"

SOORT_UPLOAD = "upload"
SOORT_AFGEWEZEN = "upload_afgewezen"


# --- accepting a file -----------------------------------------------------------------------------------
def _bestandsnaam(naam: str, soort: str) -> str:
    naam = re.split(r"[\\/]", naam or "")[-1].strip()
    return naam[-200:] or f"upload.{soort}"


def upload_create(*, bestand_bytes: bytes, bestandsnaam: str, door: User) -> Bestandsupload:
    """Check and store an uploaded file and queue it; raises ApplicationError (field ``bestand``)."""
    organisatie = door.organisatie
    if organisatie.type != OrganisatieType.PARTNER or not door.heeft_rol(Rol.MELDER):
        raise ApplicationError("Alleen melders van een partner kunnen een bestand met meldingen uploaden.")
    if len(bestand_bytes) > MAX_BESTAND_BYTES:
        bericht = f"Het bestand is groter dan {MAX_BESTAND_BYTES // (1024 * 1024)} MB: splits het bestand."
        raise ApplicationError(bericht, extra={"bestand": [bericht]})
    try:
        bestand = lees_bestand(bestand_bytes)
        aantal = tel_rijen(bestand)
    except BestandFout as exc:
        raise ApplicationError(exc.bericht, extra={"bestand": [exc.bericht]}) from exc

    with transaction.atomic():
        sleutel = datasleutel_create(doel="bestandsupload")
        upload = Bestandsupload(organisatie=organisatie, door=door, sleutel=sleutel, totaal_rijen=aantal)
        upload.bestand = versleuteld_bestand_create(
            sleutel=sleutel,
            soort=SOORT_UPLOAD,
            naam=_bestandsnaam(bestandsnaam, bestand.soort),
            mime=bestand.mime,
            inhoud=bestand_bytes,
        )
        upload.save(force_insert=True)
        logregel_create(
            actie="aanmaken",
            object_type=OBJECT_TYPE,
            object_id=str(upload.pk),
            gebruiker=door,
            organisatie=organisatie,
            herkomst=huidige_herkomst(),
            doel=DOEL,
        )
        from meldingen.tasks import verwerk_upload

        verwerk_upload.delay_on_commit(str(upload.pk))
    logger.info("upload aangemaakt upload_id=%s soort=%s rijen=%s", upload.pk, bestand.soort, aantal)
    return upload


# --- processing -------------------------------------------------------------------------------------------
def _starten(upload_id: Any) -> bool:
    with transaction.atomic():
        upload = Bestandsupload.objects.select_for_update().filter(pk=upload_id).first()
        if upload is None or upload.status in (UploadStatus.KLAAR, UploadStatus.MISLUKT):
            return False
        if upload.status == UploadStatus.WACHTRIJ:
            upload.status = UploadStatus.BEZIG
            upload.gestart_op = timezone.now()
            upload.save(update_fields=["status", "gestart_op"])
    return True


def upload_mislukt(*, upload_id: Any, foutmelding: str) -> None:
    with transaction.atomic():
        upload = Bestandsupload.objects.select_for_update().filter(pk=upload_id).first()
        if upload is None or upload.status in (UploadStatus.KLAAR, UploadStatus.MISLUKT):
            return
        upload.status = UploadStatus.MISLUKT
        upload.foutmelding = foutmelding[:500]
        upload.klaar_op = timezone.now()
        upload.save(update_fields=["status", "foutmelding", "klaar_op"])
    logger.warning("upload mislukt upload_id=%s", upload_id)


def upload_verwerken(*, upload_id: Any, blokgrootte: int | None = None) -> None:
    """Process an upload from its checkpoint to the end. Idempotent; safe to run again after a crash.

    Transient database errors propagate (the task retries them); any other error marks the upload
    mislukt with a Dutch message. Only ids and counts are logged.
    """
    if not _starten(upload_id):
        return
    try:
        _verwerk(upload_id, blokgrootte or BLOKGROOTTE)
    except (OperationalError, InterfaceError):
        raise
    except BestandFout as exc:
        upload_mislukt(upload_id=upload_id, foutmelding=exc.bericht)
    except Exception as exc:  # noqa: BLE001 - the message may quote file content, so only its type is logged
        logger.error("upload verwerken mislukt upload_id=%s fout=%s", upload_id, type(exc).__name__)
        verwerkt = Bestandsupload.objects.filter(pk=upload_id).values_list("verwerkt_rijen", flat=True).first()
        upload_mislukt(
            upload_id=upload_id,
            foutmelding=(
                f"Het verwerken is gestopt door een technische fout, na {verwerkt or 0} rijen. Upload het bestand "
                "opnieuw om de rest te verwerken: rijen die al zijn opgeslagen worden herkend en niet dubbel "
                "opgeslagen."
            ),
        )


def _verwerk(upload_id: Any, blokgrootte: int) -> None:
    try:
        _verwerk_blokken(upload_id, blokgrootte)
    finally:
        vergeet_celwaarden()  # no dates of this file stay in the worker's memory


def _verwerk_blokken(upload_id: Any, blokgrootte: int) -> None:
    """Work through the blocks from the checkpoint; the next block is read and checked while this one is stored.

    Reading and checking (parsing, validating, hashing, encrypting: :func:`_lees_en_controleer`) need the
    database only to look up a convenant not seen before, so a second thread does them for block N+1 while
    this thread stores block N and PostgreSQL works (a block with such a convenant is checked here). Each
    block is still stored in its own transaction in file order, and the checkpoint decides: a block checked
    ahead whose start is not the checkpoint (another delivery moved it) is dropped and the file is read
    again from the checkpoint.
    """
    upload = Bestandsupload.objects.select_related("bestand__sleutel", "organisatie", "door").get(pk=upload_id)
    if upload.bestand is None:
        raise BestandFout("Het geüploade bestand is opgeruimd en kan niet meer worden verwerkt.")
    _, inhoud = versleuteld_bestand_lezen(upload.bestand)
    bestand = lees_bestand(inhoud)
    lezer = _Lezer(bestand)
    partner = upload.organisatie
    #: The convenants named so far, per day (see _standen), for both threads.
    bekend: dict[tuple[str, dt.date], ConvenantStand] = {}
    #: The block being checked in the background: (its first row's position, the future).
    vooruit: tuple[int, Future[_Blok]] | None = None
    with _bulkmodus(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-controle") as controle:
        while True:
            with transaction.atomic():
                upload = (
                    Bestandsupload.objects.select_for_update().select_related("organisatie", "door").get(pk=upload_id)
                )
                if upload.status != UploadStatus.BEZIG:
                    return
                start = upload.verwerkt_rijen
                if vooruit is not None and vooruit[0] == start:
                    gecontroleerd = vooruit[1].result()
                    if gecontroleerd.ongecontroleerd is not None:  # a convenant to look up first: here
                        gecontroleerd = _controleer_gelezen(
                            bestand, gecontroleerd.ongecontroleerd, start, partner, timezone.localdate(), bekend
                        )
                else:
                    if vooruit is not None:  # checked ahead for a start that is no longer the checkpoint
                        futures_wait([vooruit[1]])  # the reader is free again
                    gecontroleerd = _lees_en_controleer(lezer, start, blokgrootte, partner, bekend)
                vooruit = None
                if not gecontroleerd.aantal:
                    _afronden(upload, bestand)
                    return
                if gecontroleerd.aantal == blokgrootte:  # there may be more rows: check them meanwhile
                    volgende = start + blokgrootte
                    vooruit = (
                        volgende,
                        controle.submit(_vooruit_controleren, lezer, volgende, blokgrootte, partner, bekend),
                    )
                _verwerk_blok(upload, gecontroleerd)


#: How long the interpreter lets one thread run while another waits (Python's default is 5 ms). While a
#: file is processed the storing thread hands the interpreter to the checking thread at every database
#: call, and needs it back as soon as PostgreSQL answers: with the default it would wait up to 5 ms each
#: time, while PostgreSQL has nothing to do.
BEURT = 0.0005
#: Allocations between two runs of Python's cycle collector over new objects (Python's default is 700).
#: Checking a file allocates some hundred objects per row, nearly all freed at once by reference
#: counting; with the default the collector runs every few rows and walks every live object each time
#: it reaches the older generations (measured: a quarter of the checking time).
OPRUIMDREMPEL = 50_000


@contextmanager
def _bulkmodus() -> Iterator[None]:
    """The interpreter set for processing a file: short turns between the threads, and the cycle collector
    leaving alone the objects that existed before (``gc.freeze``) and running over new ones less often.
    Everything is restored afterwards."""
    beurt = sys.getswitchinterval()
    drempels = gc.get_threshold()
    sys.setswitchinterval(min(beurt, BEURT))
    gc.freeze()
    gc.set_threshold(max(drempels[0], OPRUIMDREMPEL), *drempels[1:])
    try:
        yield
    finally:
        gc.set_threshold(*drempels)
        gc.unfreeze()
        sys.setswitchinterval(beurt)


class _Lezer:
    """The file's rows from a position on; used by one thread at a time (the other waits for its result)."""

    def __init__(self, bestand: Bestand) -> None:
        self.bestand = bestand
        self._rijen = bestand.rijen()
        self._positie = 0

    def lees(self, start: int, aantal: int) -> list[Rij]:
        if start < self._positie:  # back to an earlier position: from the start of the file again
            self._rijen, self._positie = self.bestand.rijen(), 0
        _sla_over(self._rijen, start - self._positie)
        blok = list(islice(self._rijen, aantal))
        self._positie = start + len(blok)
        return blok


def _vooruit_controleren(*args: Any) -> _Blok:
    """:func:`_lees_en_controleer` in the checking thread, which never uses the database (it would see
    only what others committed, and holds no connection): a block naming a convenant not looked up yet
    comes back read but unchecked, for the storing thread to check."""
    try:
        return _lees_en_controleer(*args, met_database=False)
    finally:
        connections.close_all()


def _lees_en_controleer(
    lezer: _Lezer,
    start: int,
    aantal: int,
    partner: Organisatie,
    bekend: dict[tuple[str, dt.date], ConvenantStand],
    *,
    met_database: bool = True,
) -> _Blok:
    blok = lezer.lees(start, aantal)
    vandaag = timezone.localdate()
    if not blok:  # the end of the file
        return _Blok(start=start, aantal=0, vandaag=vandaag, afgewezen=0, fouten=[], geldig=[], voorbereidingen=[])
    if not met_database and any((slug, vandaag) not in bekend for slug in _convenanten(lezer.bestand, blok)):
        return _Blok(
            start=start,
            aantal=len(blok),
            vandaag=vandaag,
            afgewezen=0,
            fouten=[],
            geldig=[],
            voorbereidingen=[],
            ongecontroleerd=blok,
        )
    return _controleer_gelezen(lezer.bestand, blok, start, partner, vandaag, bekend)


def _controleer_gelezen(
    bestand: Bestand,
    blok: list[Rij],
    start: int,
    partner: Organisatie,
    vandaag: dt.date,
    bekend: dict[tuple[str, dt.date], ConvenantStand],
) -> _Blok:
    standen = _standen(bestand, blok, partner, vandaag, bekend)
    return _controleer_blok(bestand, blok, start, partner, vandaag, standen)


def _sla_over(rijen: Iterator[Rij], aantal: int) -> None:
    for _ in range(aantal):
        if next(rijen, None) is None:
            return


@dataclass
class _Blok:
    """One block of rows, checked: the row errors, and the valid rows with what intake derives from them."""

    start: int
    aantal: int
    vandaag: dt.date
    afgewezen: int
    fouten: list[dict[str, Any]]
    geldig: list[Uitkomst]
    voorbereidingen: list[Voorbereiding]
    #: Read but not checked yet: the checking thread met a convenant it could not look up.
    ongecontroleerd: list[Rij] | None = None


def _standen(
    bestand: Bestand,
    blok: list[Rij],
    partner: Organisatie,
    vandaag: dt.date,
    bekend: dict[tuple[str, dt.date], ConvenantStand] | None = None,
) -> dict[str, ConvenantStand]:
    """The convenants the block's rows name (as validation will look them up), each looked up once.

    ``bekend`` keeps them for the rest of one processing run, per day: a file names the same few.
    """
    bekend = {} if bekend is None else bekend
    standen: dict[str, ConvenantStand] = {}
    for slug in _convenanten(bestand, blok):
        if (slug, vandaag) not in bekend:
            bekend[(slug, vandaag)] = convenant_stand(slug, partner, vandaag)
        standen[slug] = bekend[(slug, vandaag)]
    return standen


def _convenanten(bestand: Bestand, blok: list[Rij]) -> set[str]:
    """The convenant slugs the block's rows name, as validation reads them."""
    positie = bestand.kolommen.get("convenant")
    return {
        tekst(rij.cellen[positie] if positie is not None and positie < len(rij.cellen) else None).strip()
        for rij in blok
    }


def _controleer_blok(
    bestand: Bestand,
    blok: list[Rij],
    start: int,
    partner: Organisatie,
    vandaag: dt.date,
    standen: dict[str, ConvenantStand],
) -> _Blok:
    """Parse and validate the block's rows (``valideer_melding``) and derive what storing needs.

    No database access: every convenant the rows name is in ``standen``.
    """
    gecontroleerd = _Blok(
        start=start, aantal=len(blok), vandaag=vandaag, afgewezen=0, fouten=[], geldig=[], voorbereidingen=[]
    )
    for rij in blok:
        wacht_op_voorrang()  # the storing thread's own work goes first (meldpunt/core/voorrang.py)
        rij_fouten = _controleer_rij(partner, bestand, rij, vandaag, standen, gecontroleerd.geldig)
        if rij_fouten:
            gecontroleerd.afgewezen += 1
            gecontroleerd.fouten += [
                {"rij": rij.nummer, "veld": veld, "bericht": bericht} for veld, bericht in rij_fouten
            ]
    gecontroleerd.voorbereidingen = meldingen_voorbereiden(gecontroleerd.geldig, partner_id=partner.pk)
    return gecontroleerd


def _verwerk_blok(upload: Bestandsupload, blok: _Blok) -> None:
    """Store the block's valid rows with one bulk intake call (one audit append), then the counters and the
    row errors, and advance the checkpoint."""
    tellers = {"opgeslagen": 0, "vervolgmeldingen": 0, "al_ontvangen": 0, "afgewezen": blok.afgewezen}
    for resultaat in meldingen_bulk_create(
        uitkomsten=blok.geldig,
        partner=upload.organisatie,
        kanaal=Kanaal.BESTAND,
        door=upload.door,
        upload=upload,
        herkomst=f"upload:{upload.pk}",
        voorbereidingen=blok.voorbereidingen,
    ):
        if not resultaat.nieuw:
            tellers["al_ontvangen"] += 1
        elif resultaat.vervolgmelding:
            tellers["vervolgmeldingen"] += 1
        else:
            tellers["opgeslagen"] += 1
    updates: dict[str, Any] = {naam: F(naam) + aantal for naam, aantal in tellers.items() if aantal}
    if blok.fouten:
        updates["fouten"] = CombinedExpression(F("fouten"), "||", Value(blok.fouten, output_field=JSONField()))
    Bestandsupload.objects.filter(pk=upload.pk).update(verwerkt_rijen=blok.start + blok.aantal, **updates)


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


def _afronden(upload: Bestandsupload, bestand: Bestand) -> None:
    """Write the rejected-rows file and mark the upload klaar (inside the last block's transaction)."""
    per_rij: dict[int, list[str]] = defaultdict(list)
    for fout in upload.fouten:
        per_rij[fout["rij"]].append(f"{fout['veld']}: {fout['bericht']}" if fout["veld"] else fout["bericht"])
    velden = ["status", "klaar_op", "totaal_rijen"]
    if per_rij:
        upload.afgewezen_bestand = versleuteld_bestand_create(
            sleutel=upload.sleutel,
            soort=SOORT_AFGEWEZEN,
            naam=f"afgewezen-rijen.{bestand.soort}",
            mime=bestand.mime,
            inhoud=afgewezen_bestand(bestand, per_rij),
        )
        velden.append("afgewezen_bestand")
    upload.status = UploadStatus.KLAAR
    upload.klaar_op = timezone.now()
    upload.totaal_rijen = upload.verwerkt_rijen
    upload.save(update_fields=velden)
    logger.info(
        "upload verwerkt upload_id=%s rijen=%s opgeslagen=%s vervolgmeldingen=%s al_ontvangen=%s afgewezen=%s",
        upload.pk,
        upload.verwerkt_rijen,
        upload.opgeslagen,
        upload.vervolgmeldingen,
        upload.al_ontvangen,
        upload.afgewezen,
    )


# --- reading the rejected rows ----------------------------------------------------------------------------
def afgewezen_rijen_lezen(*, upload: Bestandsupload, gebruiker: User, herkomst: str) -> tuple[str, str, bytes]:
    """The rejected-rows file (name, mime, content), decrypted; the export is written to the log."""
    if upload.afgewezen_bestand is None:
        raise ApplicationError("Er is geen bestand met afgewezen rijen.")
    _, inhoud = versleuteld_bestand_lezen(upload.afgewezen_bestand)
    logregel_create(
        actie="exporteren",
        object_type=OBJECT_TYPE,
        object_id=str(upload.pk),
        gebruiker=gebruiker,
        organisatie=upload.organisatie,
        herkomst=herkomst,
        doel=DOEL,
    )
    extensie = "xlsx" if "spreadsheetml" in upload.afgewezen_bestand.mime else "csv"
    naam = f"afgewezen-rijen-{timezone.localtime(upload.aangemaakt_op):%Y%m%d-%H%M}.{extensie}"
    return naam, upload.afgewezen_bestand.mime, inhoud


# --- cleaning up ------------------------------------------------------------------------------------------
def upload_opruimen(*, upload: Bestandsupload, door: User | None = None) -> bool:
    """Crypto-shred the upload's key: the uploaded file and the rejected rows are gone for good.

    The counts and the row errors (no personal data) stay. Returns False when already cleaned up.
    """
    with transaction.atomic():
        upload = Bestandsupload.objects.select_for_update().select_related("sleutel").get(pk=upload.pk)
        if upload.sleutel.vernietigd:
            return False
        datasleutel_vernietigen(
            sleutel=upload.sleutel,
            reden="bewaartermijn bestandsupload",
            omschrijving=f"Geüpload bestand en bestand met afgewezen rijen van bestandsupload {upload.pk}.",
            door=door,
        )
        upload.refresh_from_db()
        if upload.status in (UploadStatus.WACHTRIJ, UploadStatus.BEZIG):
            upload.status = UploadStatus.MISLUKT
            upload.foutmelding = "Het bestand is opgeruimd voordat het was verwerkt."
            upload.klaar_op = timezone.now()
            upload.save(update_fields=["status", "foutmelding", "klaar_op"])
        logregel_create(
            actie="verwijderen",
            object_type=OBJECT_TYPE,
            object_id=str(upload.pk),
            gebruiker=door,
            organisatie=upload.organisatie,
            herkomst=huidige_herkomst(),
            doel="bewaartermijn",
        )
    logger.info("upload opgeruimd upload_id=%s", upload.pk)
    return True


def uploads_opruimen(*, nu: dt.datetime | None = None) -> int:
    """Clean up every upload older than the retention period; returns how many."""
    grens = (nu or timezone.now()) - BEWAARTERMIJN
    oud = Bestandsupload.objects.filter(aangemaakt_op__lt=grens, sleutel__vernietigd_op__isnull=True)
    return sum(upload_opruimen(upload=upload) for upload in oud.order_by("aangemaakt_op"))
