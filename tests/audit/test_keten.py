"""The hash chain: how entries are chained, the canonical form, the check command, concurrency."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from meldpunt.audit.controle import keten_controleren
from meldpunt.audit.models import GENESIS_HASH, Actie, LogRegel, Resultaat
from meldpunt.audit.services import bereken_hash, canonieke_inhoud, logregel_create
from meldpunt.core.exceptions import ApplicationError
from tests.audit.hulp import regels, zonder_triggers

pytestmark = pytest.mark.django_db


def _schrijf(aantal: int, **velden: object) -> list[LogRegel]:
    return [
        logregel_create(actie=Actie.BEKIJKEN, object_type="core.organisatie", object_id=str(i), **velden)  # type: ignore[arg-type]
        for i in range(aantal)
    ]


def _controleer(*args: str) -> str:
    out = io.StringIO()
    call_command("logboek_controleren", *args, stdout=out)
    return out.getvalue()


def test_entries_are_chained_by_the_hash_of_their_predecessor(tenant_a):
    gebruiker = tenant_a.gebruikers["fg"]
    eerste, tweede, derde = _schrijf(3, gebruiker=gebruiker, convenant=tenant_a.convenant, herkomst="10.0.0.1")
    assert eerste.vorige_hash == GENESIS_HASH
    assert tweede.vorige_hash == eerste.hash
    assert derde.vorige_hash == tweede.hash
    assert eerste.id < tweede.id < derde.id
    # The organisation defaults to the user's; the timestamp is UTC.
    assert eerste.organisatie_id == tenant_a.gemeente.pk
    assert eerste.tijdstip.utcoffset() == dt.timedelta(0)
    # What is stored is what was hashed.
    opgeslagen = LogRegel.objects.values().get(pk=tweede.pk)
    assert bereken_hash(vorige_hash=eerste.hash, waarden=opgeslagen) == tweede.hash
    assert len(tweede.hash) == 64 and int(tweede.hash, 16) >= 0


def test_the_canonical_form_is_the_documented_one():
    waarden = {
        "id": 42,
        "tijdstip": dt.datetime(2026, 3, 1, 10, 15, 2, 123456, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        "gebruiker_id": 7,
        "organisatie_id": 1,
        "actie": "wijzigen",
        "object_type": "convenants.convenant",
        "object_id": "3",
        "convenant_id": 3,
        "resultaat": "gelukt",
        "herkomst": "10.0.0.1",
        "doel": "convenantbeheer",
        "niet_gehasht": "genegeerd",
    }
    inhoud = canonieke_inhoud(waarden)
    assert inhoud == (
        '{"actie":"wijzigen","convenant_id":3,"doel":"convenantbeheer","gebruiker_id":7,"herkomst":"10.0.0.1",'
        '"id":42,"object_id":"3","object_type":"convenants.convenant","organisatie_id":1,"resultaat":"gelukt",'
        '"tijdstip":"2026-03-01T09:15:02.123456Z"}'
    )
    assert bereken_hash(vorige_hash=GENESIS_HASH, waarden=waarden) == (
        hashlib.sha256((GENESIS_HASH + inhoud).encode()).hexdigest()
    )


def test_an_intact_chain_is_reported_with_its_length():
    _schrijf(5)
    assert _controleer().strip() == "Keten intact: 5 regels"
    assert _controleer("--batch", "2").strip() == "Keten intact: 5 regels"


def test_an_empty_log_is_intact():
    assert _controleer().strip() == "Keten intact: 0 regels"


def test_the_check_reads_in_batches():
    _schrijf(5)
    with CaptureQueriesContext(connection) as queries:
        assert keten_controleren(batch_grootte=2).aantal == 5
    selects = [q["sql"] for q in queries.captured_queries if "audit_logregel" in q["sql"]]
    assert len(selects) == 4  # 2 + 2 + 1 rows, then an empty batch
    assert all("LIMIT 2" in sql for sql in selects)


def test_a_changed_entry_is_reported_exactly(tenant_a):
    geschreven = _schrijf(4, convenant=tenant_a.convenant)
    doelwit = geschreven[2]
    with zonder_triggers(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_logregel SET actie = 'verwijderen' WHERE id = %s", [doelwit.pk])
    assert LogRegel.objects.get(pk=doelwit.pk).actie == "verwijderen"

    with pytest.raises(CommandError) as fout:
        _controleer("--batch", "3")
    assert fout.value.returncode == 1
    melding = str(fout.value)
    assert f"regel {doelwit.pk} " in melding
    verwacht = bereken_hash(vorige_hash=doelwit.vorige_hash, waarden=LogRegel.objects.values().get(pk=doelwit.pk))
    assert f"hash verwacht {verwacht}, opgeslagen {doelwit.hash}" in melding
    uitslag = keten_controleren()
    assert uitslag.breuk is not None and uitslag.breuk.id == doelwit.pk and uitslag.aantal == 2


def test_a_rehashed_entry_breaks_the_link_to_the_next_one():
    geschreven = _schrijf(4)
    doelwit = geschreven[1]
    waarden = {**LogRegel.objects.values().get(pk=doelwit.pk), "resultaat": Resultaat.FOUT}
    nieuwe_hash = bereken_hash(vorige_hash=doelwit.vorige_hash, waarden=waarden)
    with zonder_triggers(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_logregel SET resultaat = 'fout', hash = %s WHERE id = %s", [nieuwe_hash, doelwit.pk]
        )
    uitslag = keten_controleren()
    assert uitslag.breuk is not None
    assert (uitslag.breuk.id, uitslag.breuk.veld) == (geschreven[2].pk, "vorige_hash")
    assert (uitslag.breuk.verwacht, uitslag.breuk.opgeslagen) == (nieuwe_hash, doelwit.hash)


def test_a_removed_entry_is_found():
    geschreven = _schrijf(3)
    with zonder_triggers(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_logregel WHERE id = %s", [geschreven[1].pk])
    with pytest.raises(CommandError, match=f"regel {geschreven[2].pk} "):
        _controleer()


def test_the_entry_joins_the_callers_transaction_without_a_savepoint():
    class Terugdraaien(Exception):
        pass

    with pytest.raises(Terugdraaien), transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            logregel_create(actie=Actie.AANMAKEN)
        assert not any("SAVEPOINT" in q["sql"] for q in queries.captured_queries)
        assert any("pg_advisory_xact_lock" in q["sql"] for q in queries.captured_queries)
        assert LogRegel.objects.count() == 1
        raise Terugdraaien
    assert LogRegel.objects.count() == 0


def test_unknown_values_and_overlong_references_are_refused():
    with pytest.raises(ApplicationError) as fout:
        logregel_create(actie="lezen", resultaat="misschien", object_id="x" * 65)
    assert set(fout.value.extra) == {"actie", "resultaat", "object_id"}
    assert regels() == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    """Two transactions appending at once: the advisory lock makes one wait for the other."""

    def schrijver(nummer: int) -> None:
        try:
            for i in range(10):
                with transaction.atomic():
                    logregel_create(actie=Actie.BEKIJKEN, object_id=f"{nummer}-{i}")
                    time.sleep(0.005)  # hold the lock for a moment so the other writer has to wait
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        for klaar in [pool.submit(schrijver, n) for n in range(2)]:
            klaar.result(timeout=60)  # re-raises what went wrong in the thread
    alle = regels()
    assert len(alle) == 20
    assert len({r.vorige_hash for r in alle}) == 20
    assert keten_controleren().intact
