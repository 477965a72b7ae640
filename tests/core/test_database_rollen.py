"""The application's database role cannot rewrite the Logboek (ADR 0012): as that role, appending and
reading work, but UPDATE, DELETE, TRUNCATE, disabling the trigger, COPY … PROGRAM and creating roles are
refused. The suite itself runs as the owner (it creates the test database); this test creates the
application role in the test cluster with the same command bin/run and the compose file run."""

from __future__ import annotations

import io
import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def app_verbinding():
    rol = f"meldpunt_app_test_{uuid.uuid4().hex[:8]}"
    out = io.StringIO()
    call_command("database_rollen", rol, stdout=out)
    assert "SELECT/INSERT op het logboek" in out.getvalue()
    call_command("database_rollen", rol, stdout=io.StringIO())  # idempotent
    instellingen = connection.settings_dict
    conn = psycopg.connect(
        host=instellingen["HOST"],
        port=instellingen["PORT"],
        dbname=instellingen["NAME"],
        user=rol,
        password="",
        autocommit=True,
    )
    yield conn
    conn.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{rol}"')
        cursor.execute(f'DROP ROLE "{rol}"')


REGEL = (
    "INSERT INTO audit_logregel (id, tijdstip, actie, object_type, object_id, resultaat, herkomst, doel, "
    "vorige_hash, hash) VALUES (%s, now(), 'bekijken', '', '', 'gelukt', '', '', repeat('a', 64), repeat('b', 64))"
)


@pytest.mark.parametrize(
    "aanval",
    [
        "UPDATE audit_logregel SET hash = 'x'",
        "DELETE FROM audit_logregel",
        "TRUNCATE audit_logregel",
        "ALTER TABLE audit_logregel DISABLE TRIGGER ALL",
        "SET session_replication_role = replica",
        "COPY (SELECT 1) TO PROGRAM 'true'",
        "CREATE ROLE indringer SUPERUSER",
        "CREATE TABLE public.eigen (id int)",
    ],
)
def test_the_application_role_cannot_rewrite_the_logboek(app_verbinding, aanval):
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        app_verbinding.execute(aanval)


def test_the_application_role_appends_and_reads_the_logboek_and_writes_other_tables(app_verbinding):
    app_verbinding.execute("SELECT pg_advisory_xact_lock(1)")
    app_verbinding.execute("SELECT setval(pg_get_serial_sequence('audit_logregel', 'id'), 1000)")
    app_verbinding.execute(REGEL, [1001])
    assert app_verbinding.execute("SELECT count(*) FROM audit_logregel WHERE id = 1001").fetchone() == (1,)
    app_verbinding.execute("UPDATE core_organisatie SET actief = actief")
    rol = app_verbinding.execute(
        "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    assert rol == (False, False, False)
