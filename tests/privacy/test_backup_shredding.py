"""A dump taken before a deletion yields nothing of the deleted data once the master key rotated.

Steps, on the real PostgreSQL: store two encrypted files (one to be deleted, one live); ``pg_dump``;
crypto-shred the first; rotate the master key and destroy the old one; restore the dump into a scratch
database. The scratch copy still holds the deleted record's wrapped key and ciphertext, but with the
keys that exist after the rotation nothing of it decrypts — while the live database still decrypts every
live record.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from meldpunt.privacy import crypto
from meldpunt.privacy.keys import _parse
from meldpunt.privacy.kluis import verpak_context
from meldpunt.privacy.models import DataSleutel, VersleuteldBestand
from meldpunt.privacy.services import (
    datasleutel_create,
    datasleutel_vernietigen,
    datasleutels_herverpakken,
    versleuteld_bestand_create,
    versleuteld_bestand_lezen,
)
from tests.persoonsgegevens import ACHTERNAAM

pytestmark = pytest.mark.django_db(transaction=True)


def _pg_bin(naam: str) -> str:
    for kandidaat in (f"/usr/lib/postgresql/15/bin/{naam}", shutil.which(naam)):
        if kandidaat and Path(kandidaat).exists():
            return kandidaat
    pytest.fail(f"{naam} not found")


def _conninfo(dbname: str) -> dict[str, str]:
    s = connection.settings_dict
    return {"host": s["HOST"], "port": str(s["PORT"]), "user": s["USER"], "dbname": dbname}


def _env() -> dict[str, str]:
    return {**os.environ, "PGPASSWORD": connection.settings_dict["PASSWORD"] or ""}


def test_dump_before_deletion_is_useless_after_rotation(settings, tmp_path):
    oude_master = settings.MELDPUNT_MASTER_KEYS
    te_wissen = datasleutel_create(doel="dossier")
    levend = datasleutel_create(doel="dossier")
    geheim = f"rapportage over {ACHTERNAAM}".encode()
    gewist_bestand = versleuteld_bestand_create(
        sleutel=te_wissen, soort="rapportage_pdf", naam=f"{ACHTERNAAM}.pdf", mime="application/pdf", inhoud=geheim
    )
    levend_bestand = versleuteld_bestand_create(
        sleutel=levend, soort="rapportage_pdf", naam="levend.pdf", mime="application/pdf", inhoud=b"live data"
    )

    dump = tmp_path / "voor-verwijdering.dump"
    info = _conninfo(connection.settings_dict["NAME"])
    subprocess.run(
        [
            _pg_bin("pg_dump"),
            "-Fc",
            "-h",
            info["host"],
            "-p",
            info["port"],
            "-U",
            info["user"],
            "-f",
            str(dump),
            info["dbname"],
        ],
        check=True,
        env=_env(),
    )
    assert ACHTERNAAM.encode() not in dump.read_bytes()  # only ciphertext in the backup

    datasleutel_vernietigen(sleutel=te_wissen, reden="bewaartermijn verstreken", omschrijving="rapportage")
    nieuwe_master = base64.b64encode(os.urandom(32)).decode()
    settings.MELDPUNT_MASTER_KEYS = f"2:{nieuwe_master},{oude_master}"
    assert datasleutels_herverpakken() == 1
    settings.MELDPUNT_MASTER_KEYS = f"2:{nieuwe_master}"  # the old master key is destroyed

    scratch = f"herstel_{uuid.uuid4().hex[:8]}"
    createdb = [_pg_bin("createdb"), "-h", info["host"], "-p", info["port"], "-U", info["user"], scratch]
    subprocess.run(createdb, check=True, env=_env())
    try:
        subprocess.run(
            [
                _pg_bin("pg_restore"),
                "--no-owner",
                "-h",
                info["host"],
                "-p",
                info["port"],
                "-U",
                info["user"],
                "-d",
                scratch,
                str(dump),
            ],
            check=True,
            env=_env(),
        )
        with psycopg.connect(**_conninfo(scratch)) as herstel:
            verpakt, versie = herstel.execute(
                "SELECT verpakte_sleutel, master_versie FROM privacy_datasleutel WHERE id = %s", [te_wissen.pk]
            ).fetchone()
            inhoud = herstel.execute(
                "SELECT inhoud FROM privacy_versleuteldbestand WHERE id = %s", [gewist_bestand.pk]
            ).fetchone()[0]
        # The restored copy still has the old wrapped key and the ciphertext …
        assert verpakt is not None and versie == 1 and inhoud
        # … but no key that still exists opens it.
        bos = _parse(settings.MELDPUNT_MASTER_KEYS)
        assert bos.sleutel(versie) is None
        for master in bos.sleutels.values():
            with pytest.raises(crypto.OntsleutelFout):
                crypto.ontsleutel(master, bytes(verpakt), verpak_context(te_wissen.pk))
    finally:
        subprocess.run(
            [_pg_bin("dropdb"), "-h", info["host"], "-p", info["port"], "-U", info["user"], scratch],
            check=True,
            env=_env(),
        )

    # The live database decrypts every live record with the new master key alone.
    assert not VersleuteldBestand.objects.filter(pk=gewist_bestand.pk).exists()
    live = VersleuteldBestand.objects.select_related("sleutel").get(pk=levend_bestand.pk)
    assert versleuteld_bestand_lezen(live) == ("levend.pdf", b"live data")
    assert set(DataSleutel.objects.filter(vernietigd_op__isnull=True).values_list("master_versie", flat=True)) == {2}
