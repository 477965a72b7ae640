"""Writes of the file upload in the web request: accept a file and queue it; read back its rejected rows.

:func:`upload_create` parses nothing: a few kilobytes of XLSX can unpack to gigabytes, and a legitimate
100,000-row file takes longer to check than a web request may last (docs/security.md). It refuses only
what it sees without parsing (size, an empty file, the old .xls format), stores the file encrypted under
the upload's own data key and enqueues ``meldingen.tasks.verwerk_upload`` after commit. The worker reads
the file within the limits of :mod:`meldingen.upload.limieten`, counts its rows and processes it
(:mod:`meldingen.upload.verwerking`); a file it cannot use ends as mislukt with the Dutch message.
"""

from __future__ import annotations

import logging
import re

from django.db import transaction
from django.utils import timezone

from meldingen.doelen import DOEL_INTAKE
from meldpunt.audit.context import huidige_herkomst
from meldpunt.audit.services import logregel_create
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import OrganisatieType, Rol, User
from meldpunt.privacy.services import datasleutel_create, versleuteld_bestand_create, versleuteld_bestand_lezen

from .bestand import CSV, MIME, XLSX, herken_soort
from .models import Bestandsupload
from .parser import BestandFout
from .tasks import verwerk_upload
from .verwerking import OBJECT_TYPE, SOORT_UPLOAD

logger = logging.getLogger(__name__)

MAX_BESTAND_BYTES = 20 * 1024 * 1024


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
        soort = herken_soort(bestand_bytes)
    except BestandFout as exc:
        raise ApplicationError(exc.bericht, extra={"bestand": [exc.bericht]}) from exc

    with transaction.atomic():
        sleutel = datasleutel_create(doel="bestandsupload")
        upload = Bestandsupload(organisatie=organisatie, door=door, sleutel=sleutel, totaal_rijen=0)
        upload.bestand = versleuteld_bestand_create(
            sleutel=sleutel,
            soort=SOORT_UPLOAD,
            naam=_bestandsnaam(bestandsnaam, soort),
            mime=MIME[soort if soort in (CSV, XLSX) else CSV],
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
            doel=DOEL_INTAKE,
        )
        verwerk_upload.delay_on_commit(str(upload.pk))
    logger.info("upload aangemaakt upload_id=%s soort=%s", upload.pk, soort)
    return upload


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
        doel=DOEL_INTAKE,
    )
    extensie = "xlsx" if "spreadsheetml" in upload.afgewezen_bestand.mime else "csv"
    naam = f"afgewezen-rijen-{timezone.localtime(upload.aangemaakt_op):%Y%m%d-%H%M}.{extensie}"
    return naam, upload.afgewezen_bestand.mime, inhoud
