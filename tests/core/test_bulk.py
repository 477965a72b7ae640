"""COPY in binary format (meldpunt/core/bulk.py): every encoder against PostgreSQL itself.

Each value is written with ``COPY … (FORMAT binary)`` into a column of its type and read back, so a
wrong byte anywhere in a field shows up as an error or a different value. Hypothesis draws the values.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meldpunt.audit.models import LogRegel
from meldpunt.core import bulk
from meldpunt.core.bulk import (
    B_NULL,
    b_bool,
    b_bytes,
    b_datum,
    b_int2,
    b_int4,
    b_int8,
    b_numeric,
    b_tekst,
    b_tijdstip,
    b_uuid,
    codeerder,
    kopieer_binair,
    nieuwe_uuids,
    nieuwe_uuids_met_velden,
    veld_bytes,
    veld_einde,
    veld_int2,
    veld_tekst,
)

pytestmark = pytest.mark.django_db

ZELFDE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def terug(kolomtype: str, velden: list[bytes]) -> list[object]:
    """COPY each field as a row of a one-column table of ``kolomtype``; the values as PostgreSQL reads them."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS proef_{kolomtype.split('(')[0]} (w {kolomtype})")
        tabel = f"proef_{kolomtype.split('(')[0]}"
        cursor.execute(f"TRUNCATE {tabel}")
        aantal = bulk._AANTAL.pack(1)
        with cursor.copy(f"COPY {tabel} FROM STDIN WITH (FORMAT binary)") as copy:
            copy.write(bulk._HANDTEKENING + aantal + aantal.join(velden) + bulk._SLOT)
        cursor.execute(f"SELECT w FROM {tabel}")  # noqa: S608
        return [rij[0] for rij in cursor.fetchall()]


def tekst_terug(kolomtype: str, velden: list[bytes]) -> list[str]:
    terug(kolomtype, velden)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT w::text FROM proef_{kolomtype.split('(')[0]}")  # noqa: S608
        return [rij[0] for rij in cursor.fetchall()]


@ZELFDE
@given(
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**20), max_value=10**20, places=None).filter(
        lambda d: d.as_tuple().exponent >= -30
    )
)
def test_numeric_reads_back_as_the_same_number_with_the_same_decimals(waarde):
    (tekst,) = tekst_terug("numeric", [b_numeric(waarde)])
    assert Decimal(tekst) == waarde
    # The decimals shown: as many as the decimal has (PostgreSQL has no negative zero, nor exponents).
    assert tekst == f"{waarde:f}".lstrip("-") if waarde == 0 else tekst == f"{waarde:f}"


def test_numeric_of_the_amounts_intake_stores():
    waarden = [Decimal(t) for t in ("1300.00", "0.01", "100000.00", "650.5", "1E+3", "0E-8", "-12.50")]
    assert tekst_terug("numeric", [b_numeric(w) for w in waarden]) == [
        "1300.00",
        "0.01",
        "100000.00",
        "650.5",
        "1000",
        "0.00000000",
        "-12.50",
    ]
    with pytest.raises(ValueError):
        b_numeric(Decimal("NaN"))


@ZELFDE
@given(st.text())
def test_text_of_any_characters(waarde):
    waarde = waarde.replace("\x00", "")  # PostgreSQL text holds no NUL
    assert terug("text", [b_tekst(waarde)]) == [waarde]


@ZELFDE
@given(st.binary(max_size=2000))
def test_bytea(waarde):
    assert [bytes(w) for w in terug("bytea", [b_bytes(waarde)])] == [waarde]


@ZELFDE
@given(st.integers(-(2**15), 2**15 - 1), st.integers(-(2**31), 2**31 - 1), st.integers(-(2**63), 2**63 - 1))
def test_integers(klein, normaal, groot):
    assert terug("smallint", [b_int2(klein)]) == [klein]
    assert terug("integer", [b_int4(normaal)]) == [normaal]
    assert terug("bigint", [b_int8(groot)]) == [groot]


@ZELFDE
@given(st.dates(min_value=dt.date(1, 1, 1)), st.datetimes(timezones=st.timezones(), min_value=dt.datetime(1900, 1, 1)))
def test_dates_and_moments(datum, moment):
    assert terug("date", [b_datum(datum)]) == [datum]
    # As an instant in UTC (a local time in a daylight-saving gap or fold never equals another zone's).
    assert terug("timestamptz", [b_tijdstip(moment)]) == [moment.astimezone(dt.UTC)]


def test_a_moment_without_time_zone_is_refused():
    with pytest.raises(ValueError):
        b_tijdstip(dt.datetime(2026, 11, 23, 12, 0))


def test_uuid_bool_and_null():
    u = uuid.uuid4()
    assert terug("uuid", [b_uuid(u), b_uuid(str(u)), B_NULL]) == [u, u, None]
    assert terug("boolean", [b_bool(True), b_bool(False)]) == [True, False]
    with pytest.raises(ValueError):
        b_uuid("1234")


def test_new_ids_come_with_their_fields():
    ids, velden = nieuwe_uuids_met_velden(5)
    assert velden == [b_uuid(i) for i in ids]
    assert len(set(ids) | set(nieuwe_uuids(5))) == 10


def test_copy_fills_shared_columns_and_the_model_defaults():
    """Per row the named columns; shared values once for all; every other column its model default."""
    rijen = [
        b"".join((b_int8(900_001 + i), b_tekst(f"obj-{i}"), B_NULL, b_tekst("0" * 64), b_tekst(f"{i:064x}")))
        for i in range(3)
    ]
    moment = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
    aantal = kopieer_binair(
        LogRegel,
        ("id", "object_id", "convenant_id", "vorige_hash", "hash"),
        rijen,
        gedeeld={"tijdstip": moment, "actie": "aanmaken", "object_type": "proef"},
    )
    assert aantal == 3
    regels = list(LogRegel.objects.filter(object_type="proef").order_by("id"))
    assert [(r.id, r.object_id, r.convenant_id, r.tijdstip, r.actie) for r in regels] == [
        (900_001 + i, f"obj-{i}", None, moment, "aanmaken") for i in range(3)
    ]
    # Not named: the model's default (resultaat) and blank texts, NULL for the relations.
    assert {(r.resultaat, r.herkomst, r.doel, r.gebruiker_id) for r in regels} == {("gelukt", "", "", None)}


def test_copy_refuses_an_unknown_column_and_needs_per_row_defaults_named():
    from meldingen.models import Melding

    with pytest.raises(ValueError, match="onbekende kolommen"):
        kopieer_binair(LogRegel, ("bestaat_niet",), [b""])
    with pytest.raises(ValueError, match="geef een waarde voor"):
        kopieer_binair(Melding, ("kanaal",), [b_tekst("api")])  # id has a callable default (uuid4)
    assert kopieer_binair(LogRegel, ("id",), []) == 0


def test_the_encoder_of_each_field_type_of_the_intake_tables():
    from meldingen.models import Dossier, Melding
    from meldpunt.privacy.models import BlindeIndex, DataSleutel

    for model in (Melding, Dossier, DataSleutel, BlindeIndex, LogRegel):
        for veld in model._meta.concrete_fields:
            assert codeerder(veld)(None) == B_NULL, (model, veld.name)


@settings(max_examples=200, deadline=None)
@given(
    teksten=st.lists(st.text(), max_size=4),
    blob=st.binary(max_size=300),
    getal=st.integers(min_value=-(2**15), max_value=2**15 - 1),
    null=st.booleans(),
)
def test_fields_read_back_as_they_were_written(teksten, blob, getal, null):
    """``veld_*`` read a row's fields back, each from where the previous one ends (no database needed)."""
    regel = b"".join(
        [b_uuid(uuid.UUID(int=7)), *map(b_tekst, teksten), B_NULL if null else b_bytes(blob), b_int2(getal)]
    )
    assert veld_bytes(regel, 0) == uuid.UUID(int=7).bytes
    positie = veld_einde(regel, 0)
    for tekst in teksten:
        assert veld_tekst(regel, positie) == tekst
        positie = veld_einde(regel, positie)
    assert veld_bytes(regel, positie) == (None if null else blob)
    if null:
        with pytest.raises(ValueError):
            veld_tekst(regel, positie)
    positie = veld_einde(regel, positie)
    assert veld_int2(regel, positie) == getal
    assert veld_einde(regel, positie) == len(regel)
