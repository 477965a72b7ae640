"""A dump taken before the sweep destroyed a dossier: restored, it still opens that dossier while the old
master key exists, and opens nothing of it after one rotation (old key destroyed), while the live database
still decrypts the dossiers that were kept (docs/operations.md)."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
import time_machine
from django.db import connection

from meldingen.bewaring.services import bewaarblokkade_instellen, vernietigingsronde
from meldpunt.privacy import crypto
from meldpunt.privacy.keys import sleutelbos
from meldpunt.privacy.kluis import Kluis, verpak_context
from meldpunt.privacy.services import datasleutels_herverpakken
from tests.conftest import maak_tenant
from tests.meldingen.bewaring.helpers import afgesloten_dossier, dag
from tests.persoonsgegevens import ACHTERNAAM

pytestmark = pytest.mark.django_db(transaction=True)


def pg(naam: str) -> str:
    for kandidaat in (f"/usr/lib/postgresql/15/bin/{naam}", shutil.which(naam)):
        if kandidaat and Path(kandidaat).exists():
            return kandidaat
    pytest.fail(f"{naam} not found")


def verbinding(dbname: str) -> list[str]:
    s = connection.settings_dict
    return ["-h", s["HOST"] or "127.0.0.1", "-p", str(s["PORT"]), "-U", s["USER"]]


def omgeving() -> dict[str, str]:
    return {**os.environ, "PGPASSWORD": connection.settings_dict["PASSWORD"] or ""}


def sleutel_uit_herstel(herstel: psycopg.Connection, sleutel_id: object) -> tuple[bytes, int]:
    rij = herstel.execute(
        "SELECT verpakte_sleutel, master_versie FROM privacy_datasleutel WHERE id = %s", [sleutel_id]
    ).fetchone()
    assert rij is not None and rij[0] is not None
    return bytes(rij[0]), rij[1]


def opent(verpakt: bytes, versie: int, sleutel_id: object, sleutels: dict[int, bytes]) -> bool:
    master = sleutels.get(versie)
    if master is None:
        return False
    try:
        crypto.ontsleutel(master, verpakt, verpak_context(sleutel_id))
    except crypto.OntsleutelFout:
        return False
    return True


def test_a_dump_from_before_destruction_is_unreadable_after_one_rotation(settings, tmp_path):
    with time_machine.travel(dag(2026, 1, 15), tick=False):
        tenant = maak_tenant("herstel")
        weg = afgesloten_dossier(tenant)
        blijft = afgesloten_dossier(tenant, referentie="RC-BLIJFT")
        bewaarblokkade_instellen(dossier=blijft, grond="rechtszaak", door=None)

    dump = tmp_path / "voor-vernietiging.dump"
    naam = connection.settings_dict["NAME"]
    subprocess.run([pg("pg_dump"), "-Fc", *verbinding(naam), "-f", str(dump), naam], check=True, env=omgeving())
    assert ACHTERNAAM.encode() not in dump.read_bytes()

    with time_machine.travel(dag(2027, 1, 15), tick=False):
        assert vernietigingsronde() == 1

    oude = settings.MELDPUNT_MASTER_KEYS
    oude_sleutels = dict(sleutelbos().sleutels)
    scratch = f"herstel_{uuid.uuid4().hex[:8]}"
    subprocess.run([pg("createdb"), *verbinding(scratch), scratch], check=True, env=omgeving())
    try:
        subprocess.run(
            [pg("pg_restore"), "--no-owner", *verbinding(scratch), "-d", scratch, str(dump)], check=True, env=omgeving()
        )
        s = connection.settings_dict
        with psycopg.connect(host=s["HOST"] or "127.0.0.1", port=s["PORT"], user=s["USER"], dbname=scratch) as herstel:
            verpakt, versie = sleutel_uit_herstel(herstel, weg.sleutel_id)
        # Before the rotation the old backup is the only place the destroyed dossier still lives.
        assert opent(verpakt, versie, weg.sleutel_id, oude_sleutels)

        nieuwe = base64.b64encode(os.urandom(32)).decode()
        settings.MELDPUNT_MASTER_KEYS = f"{versie + 1}:{nieuwe},{oude}"
        assert datasleutels_herverpakken() >= 1
        settings.MELDPUNT_MASTER_KEYS = f"{versie + 1}:{nieuwe}"  # the old master key is destroyed
        assert not opent(verpakt, versie, weg.sleutel_id, dict(sleutelbos().sleutels))
    finally:
        subprocess.run([pg("dropdb"), *verbinding(scratch), scratch], check=True, env=omgeving())

    blijft.refresh_from_db()
    melding = blijft.meldingen.get()
    gegevens = Kluis(blijft.sleutel).ontsleutel(melding.gegevens, context=melding.context)
    assert gegevens["huurder"]["achternaam"] == ACHTERNAAM
