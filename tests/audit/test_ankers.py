"""The Logboek cannot be rewritten unnoticed by whoever owns the database (docs/security.md, ADR 0011).

The attack as the probe ran it: triggers off, an entry deleted, the rest re-hashed so that every link fits.
Before, ``logboek_controleren`` said "Keten intact"; now the missing id is found, and when the attacker also
renumbers the ids, the signed checkpoint outside the database tells."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from meldpunt.audit import ankers
from meldpunt.audit.controle import ankers_controleren
from meldpunt.audit.models import GENESIS_HASH, Actie, LogRegel
from meldpunt.audit.services import bereken_hash, logregel_create
from meldpunt.audit.services_anker import anker_zetten, anker_zetten_als_nodig
from tests.audit.hulp import zonder_triggers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def lege_opslag():
    shutil.rmtree(settings.MELDPUNT_LOGBOEK_ANKER_OPSLAG, ignore_errors=True)
    yield Path(settings.MELDPUNT_LOGBOEK_ANKER_OPSLAG)
    shutil.rmtree(settings.MELDPUNT_LOGBOEK_ANKER_OPSLAG, ignore_errors=True)


def _schrijf(aantal: int) -> list[LogRegel]:
    return [
        logregel_create(actie=Actie.BEKIJKEN, object_type="core.organisatie", object_id=str(i)) for i in range(aantal)
    ]


def _controleer() -> str:
    out = io.StringIO()
    call_command("logboek_controleren", stdout=out)
    return out.getvalue()


def _herschrijf(*, verwijder: int, hernummer: bool) -> None:
    """As the database owner: delete entry ``verwijder`` and re-hash (and optionally renumber) the rest."""
    with zonder_triggers(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_logregel WHERE id = %s", [verwijder])
        if hernummer:
            cursor.execute("UPDATE audit_logregel SET id = id - 1 WHERE id > %s", [verwijder])
        vorige = GENESIS_HASH
        for waarden in LogRegel.objects.order_by("id").values():
            nieuw = bereken_hash(vorige_hash=vorige, waarden=waarden)
            cursor.execute(
                "UPDATE audit_logregel SET vorige_hash = %s, hash = %s WHERE id = %s", [vorige, nieuw, waarden["id"]]
            )
            vorige = nieuw


def test_a_deleted_entry_with_the_rest_rehashed_is_found_by_its_missing_id():
    _schrijf(5)
    _herschrijf(verwijder=3, hernummer=False)
    with pytest.raises(CommandError, match=r"Keten verbroken bij regel 4 .*id verwacht 3"):
        _controleer()


def test_a_rewrite_that_renumbers_the_ids_is_found_by_the_checkpoint(lege_opslag):
    _schrijf(5)
    anker_id = anker_zetten()  # the checkpoint names entry 5 (then its own entry 6 follows)
    assert anker_id == 5 and len(list(lege_opslag.glob("*.jws"))) == 1
    assert "Keten intact: 6 regels" in _controleer()
    _herschrijf(verwijder=2, hernummer=True)
    with pytest.raises(CommandError, match="Regel 5 heeft niet de hash van het controlepunt"):
        _controleer()


def test_a_truncated_chain_is_found_by_the_checkpoint():
    _schrijf(3)
    anker_zetten()
    with zonder_triggers(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_logregel WHERE id >= 3")
    problemen = ankers_controleren()
    assert any("ontbreekt" in p for p in problemen) and any("vóór het laatste controlepunt" in p for p in problemen)


def test_a_forged_checkpoint_is_reported(lege_opslag):
    _schrijf(1)
    anker_zetten()
    (pad,) = lege_opslag.glob("*.jws")
    kop, inhoud, handtekening = pad.read_text().split(".")
    (lege_opslag / "vervalst.jws").write_text(f"{kop}.{inhoud}.{handtekening[::-1]}")
    assert any("ongeldige handtekening" in p for p in ankers_controleren())


def test_a_checkpoint_is_set_once_a_day_and_never_overwritten(lege_opslag):
    _schrijf(2)
    with time_machine.travel(dt.datetime(2026, 11, 22, 3, tzinfo=dt.UTC), tick=False):
        assert anker_zetten_als_nodig() == 2
        assert anker_zetten_als_nodig() is None
        opslag = ankers.opslag()
        with pytest.raises(FileExistsError):
            opslag.bewaar(next(lege_opslag.glob("*.jws")).name, "overschreven")
    with time_machine.travel(dt.datetime(2026, 11, 23, 3, tzinfo=dt.UTC), tick=False):
        assert anker_zetten_als_nodig() == 3
    assert [a.id for _, a in ankers.ankers()] == [2, 3]  # the first checkpoint's own entry is 3
    assert ankers.publieke_sleutel().keys() == {"kty", "crv", "x"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_the_checkpoint_is_mailed_to_every_fg(tenant_a, celery_worker, mailbox):
    from meldpunt.audit.tasks import logboek_anker_zetten

    logboek_anker_zetten.delay()
    (bericht,) = mailbox.wait_for(1)
    assert bericht["To"] == tenant_a.gebruikers["fg"].email
    body = bericht.get_payload(decode=True).decode()
    (tekst,) = [regel for regel in body.splitlines() if regel.count(".") == 2 and regel.startswith("ey")]
    assert ankers.lees(tekst).id == LogRegel.objects.filter(object_type="audit.anker").get().pk - 1
