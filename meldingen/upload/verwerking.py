"""Processing an uploaded file in the background, and cleaning uploads up after their retention period.

:func:`upload_verwerken` (run by the task ``meldingen.tasks.verwerk_upload``) works through the rows in
blocks. Each block is one transaction that validates its rows with the same rules as every channel
(``valideer_melding``), stores the valid ones with one ``meldingen_bulk_create`` call, appends the row
errors and advances the counters and the checkpoint ``verwerkt_rijen`` together, under a lock on the
upload row. A worker that dies mid-block loses only that uncommitted block; the redelivered task re-reads
the file, skips to the checkpoint and continues, so no row is lost or stored twice (and a row whose content
was stored before is recognised anyway: "al ontvangen"). Two deliveries running at once take turns per
block.

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
import os
from collections import defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, JSONField, Q, Value
from django.db.models.expressions import CombinedExpression
from django.utils import timezone

from meldingen.intake.models import Kanaal
from meldingen.intake.services import meldingen_bulk_create
from meldpunt.audit.context import huidige_herkomst
from meldpunt.audit.services import logregel_create
from meldpunt.core.models import Organisatie, User
from meldpunt.privacy.services import datasleutel_vernietigen, versleuteld_bestand_create, versleuteld_bestand_lezen

from .bestand import Bestand, lees_bestand, tel_rijen
from .controle import (
    Blok,
    ControleHier,
    Controleproces,
    Controleur,
    Lezer,
    Standen,
    controleer_gelezen,
    lees_en_controleer,
)
from .models import Bestandsupload, UploadStatus
from .parser import BestandFout, vergeet_celwaarden
from .schrijven import afgewezen_bestand

logger = logging.getLogger(__name__)

#: Rows per transaction: the valid rows of a block are stored with one ``meldingen_bulk_create`` call,
#: which appends to the audit chain last, so its lock is held only briefly before the block commits. A
#: worker that dies loses (and redoes) at most one block; fewer, larger blocks cost the database less.
BLOKGROOTTE = 2000
BEWAARTERMIJN = dt.timedelta(days=30)
OBJECT_TYPE = "meldingen.bestandsupload"
SOORT_UPLOAD = "upload"
SOORT_AFGEWEZEN = "upload_afgewezen"


def _starten(upload_id: Any) -> bool:
    with transaction.atomic():
        upload = Bestandsupload.objects.select_for_update().filter(pk=upload_id).first()
        if upload is None or upload.status in (UploadStatus.KLAAR, UploadStatus.MISLUKT):
            return False
        if upload.status == UploadStatus.WACHTRIJ:
            upload.status = UploadStatus.BEZIG
            upload.gestart_op = timezone.now()
        upload.voortgang_op = timezone.now()
        upload.save(update_fields=["status", "gestart_op", "voortgang_op"])
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
    """Work through the blocks from the checkpoint; the next blocks are read and checked while this one is
    stored (meldingen/upload/controle.py: in a process of their own).

    Each block is stored in its own transaction in file order, and the checkpoint decides: a block checked
    ahead whose start is not the checkpoint (another delivery moved it) is dropped and the file is read
    again from the checkpoint.
    """
    upload = (
        Bestandsupload.objects.select_related("bestand__sleutel", "organisatie", "door")
        .defer("bestand__inhoud")  # fetched in binary by versleuteld_bestand_lezen
        .get(pk=upload_id)
    )
    if upload.bestand is None:
        raise BestandFout("Het geüploade bestand is opgeruimd en kan niet meer worden verwerkt.")
    _, inhoud = versleuteld_bestand_lezen(upload.bestand)
    bestand = lees_bestand(inhoud)
    if not upload.totaal_rijen:  # the first delivery counts the rows (the web request parses nothing)
        Bestandsupload.objects.filter(pk=upload_id).update(totaal_rijen=tel_rijen(bestand))
    lezer = Lezer(bestand)
    partner = upload.organisatie
    #: The convenants named so far, per day, looked up here (the checking process is given them).
    bekend: Standen = {}
    controleur: Controleur | None = None
    #: The starts of the blocks asked for and not yet answered, in order.
    gevraagd: deque[int] = deque()
    try:
        with _bulkmodus():
            while True:
                with transaction.atomic():
                    upload = (
                        Bestandsupload.objects.select_for_update()
                        .select_related("organisatie", "door")
                        .get(pk=upload_id)
                    )
                    if upload.status != UploadStatus.BEZIG:
                        return
                    start = upload.verwerkt_rijen
                    gecontroleerd = None
                    while gevraagd and gecontroleerd is None:  # answers come in order; others are dropped
                        blok = controleur.antwoord()  # type: ignore[union-attr]  # a Controleproces here
                        if gevraagd.popleft() == start:
                            gecontroleerd = blok
                    if gecontroleerd is None:
                        gecontroleerd = lees_en_controleer(lezer, start, blokgrootte, partner, bekend)
                    elif gecontroleerd.ongecontroleerd is not None:  # a convenant to look up first: here
                        gecontroleerd = controleer_gelezen(
                            bestand, gecontroleerd.ongecontroleerd, start, partner, bekend
                        )
                    if not gecontroleerd.aantal:
                        _afronden(upload, bestand)
                        return
                    if gecontroleerd.aantal == blokgrootte:  # there may be more rows: check them meanwhile
                        if controleur is None:
                            controleur = _controleur(lezer, partner, bekend)
                        volgende = (gevraagd[-1] if gevraagd else start) + blokgrootte
                        while len(gevraagd) < VOORUIT:
                            controleur.vraag(volgende, blokgrootte, bekend)
                            gevraagd.append(volgende)
                            volgende += blokgrootte
                    _verwerk_blok(upload, gecontroleerd)
    finally:
        if controleur is not None:
            controleur.sluit()


#: Blocks checked ahead of the one being stored.
VOORUIT = 2


def _controleur(lezer: Lezer, partner: Organisatie, bekend: Standen) -> Controleur:
    """Who checks ahead: a process of its own where the system can fork one, else this process."""
    if hasattr(os, "fork"):
        return Controleproces(lezer, partner, bekend)
    return ControleHier(lezer, partner)


#: Allocations between two runs of Python's cycle collector over new objects (Python's default is 700).
#: Checking a file allocates some hundred objects per row, nearly all freed at once by reference
#: counting; with the default the collector runs every few rows and walks every live object each time
#: it reaches the older generations (measured on a 100,000-row file: some 25 µs of every row's work).
OPRUIMDREMPEL = 50_000


@contextmanager
def _bulkmodus() -> Iterator[None]:
    """The cycle collector set for processing a file (in this process and the checking process forked
    from it): it leaves alone the objects that existed before (``gc.freeze``) and runs over new ones less
    often. Restored afterwards."""
    drempels = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(drempels[0], OPRUIMDREMPEL), *drempels[1:])
    try:
        yield
    finally:
        gc.set_threshold(*drempels)
        gc.unfreeze()


def _verwerk_blok(upload: Bestandsupload, blok: Blok) -> None:
    """Store the block's valid rows with one bulk intake call (one audit append), then the counters and the
    row errors, and advance the checkpoint."""
    tellers = {"opgeslagen": 0, "vervolgmeldingen": 0, "al_ontvangen": 0, "afgewezen": blok.afgewezen}
    resultaten = (
        meldingen_bulk_create(
            voorbereid=blok.voorbereid,
            partner=upload.organisatie,
            kanaal=Kanaal.BESTAND,
            door=upload.door,
            upload=upload,
            herkomst=f"upload:{upload.pk}",
        )
        if blok.voorbereid is not None
        else []
    )
    for resultaat in resultaten:
        if not resultaat.nieuw:
            tellers["al_ontvangen"] += 1
        elif resultaat.vervolgmelding:
            tellers["vervolgmeldingen"] += 1
        else:
            tellers["opgeslagen"] += 1
    updates: dict[str, Any] = {naam: F(naam) + aantal for naam, aantal in tellers.items() if aantal}
    if blok.fouten:
        updates["fouten"] = CombinedExpression(F("fouten"), "||", Value(blok.fouten, output_field=JSONField()))
    Bestandsupload.objects.filter(pk=upload.pk).update(
        verwerkt_rijen=blok.start + blok.aantal, voortgang_op=timezone.now(), **updates
    )


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


# --- resuming a stalled upload ----------------------------------------------------------------------------
#: An upload waiting or in progress without progress for this long has lost its worker (or its task).
STILSTAND = dt.timedelta(minutes=5)


def uploads_stilgevallen(*, nu: dt.datetime | None = None) -> list[str]:
    """For the beat sweep ``uploads_hervatten``: every upload in the queue or in progress that shows no
    progress for :data:`STILSTAND` (a worker that crashed, a task the broker lost), to be queued again.

    Resuming is safe to repeat and safe next to a delivery still running: processing resumes from the
    checkpoint under the upload's lock, and a block whose start is no longer the checkpoint is dropped, so
    no block is stored twice. ``voortgang_op`` is moved on here, so the same upload is returned again only
    after another :data:`STILSTAND` without progress (a lost enqueue is retried then).
    """
    nu = nu or timezone.now()
    grens = nu - STILSTAND
    hervat: list[str] = []
    with transaction.atomic():
        stil = (
            Bestandsupload.objects.select_for_update(skip_locked=True)
            .filter(status__in=(UploadStatus.WACHTRIJ, UploadStatus.BEZIG), bestand__isnull=False)
            .filter(Q(voortgang_op__lt=grens) | Q(voortgang_op__isnull=True, aangemaakt_op__lt=grens))
            .order_by("aangemaakt_op")
        )
        for upload in stil:
            upload.voortgang_op = nu
            upload.save(update_fields=["voortgang_op"])
            hervat.append(str(upload.pk))
    for upload_id in hervat:
        logger.warning("upload hervat na stilstand upload_id=%s", upload_id)
    return hervat


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
