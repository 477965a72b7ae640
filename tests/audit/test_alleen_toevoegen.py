"""The database itself refuses to change or remove log entries (trigger of migration 0002)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from meldpunt.audit.models import Actie, LogRegel
from meldpunt.audit.services import logregel_create

pytestmark = pytest.mark.django_db

GEWEIGERD = "alleen-toevoegen"


@pytest.fixture
def regel() -> LogRegel:
    logregel_create(actie=Actie.BEKIJKEN, object_type="core.organisatie", object_id="1")
    return logregel_create(actie=Actie.AANMAKEN, object_type="core.organisatie", object_id="2")


def _sql(sql: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_logregel SET actie = 'verwijderen' WHERE id = %s",
        "UPDATE audit_logregel SET hash = repeat('0', 64) WHERE id = %s",
        "DELETE FROM audit_logregel WHERE id = %s",
    ],
)
def test_raw_update_and_delete_are_refused(regel, sql):
    with pytest.raises(DatabaseError, match=GEWEIGERD), transaction.atomic():
        _sql(sql, [regel.pk])
    assert LogRegel.objects.get(pk=regel.pk).actie == Actie.AANMAKEN


def test_truncate_is_refused(regel):
    # The test's own inserts still have deferred foreign-key checks pending; run them first.
    _sql("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError, match=GEWEIGERD), transaction.atomic():
        _sql("TRUNCATE audit_logregel")
    assert LogRegel.objects.count() == 2


def test_orm_save_update_and_delete_are_refused(regel):
    regel.actie = Actie.VERWIJDEREN
    with pytest.raises(DatabaseError, match=GEWEIGERD), transaction.atomic():
        regel.save()
    with pytest.raises(DatabaseError, match=GEWEIGERD), transaction.atomic():
        LogRegel.objects.filter(pk=regel.pk).update(doel="iets anders")
    with pytest.raises(DatabaseError, match=GEWEIGERD), transaction.atomic():
        LogRegel.objects.get(pk=regel.pk).delete()
    with pytest.raises(DatabaseError, match=GEWEIGERD), transaction.atomic():
        LogRegel.objects.all().delete()
    assert list(LogRegel.objects.values_list("actie", flat=True).order_by("id")) == [Actie.BEKIJKEN, Actie.AANMAKEN]


def test_a_logged_user_cannot_be_deleted(tenant_a):
    from django.db.models import ProtectedError

    melder = tenant_a.gebruikers["melder"]
    logregel_create(actie=Actie.INLOGGEN, gebruiker=melder)
    with pytest.raises(ProtectedError), transaction.atomic():
        melder.delete()


@pytest.mark.parametrize(
    "waarde",
    ["", "0" * 63, "A" * 64, "g" + "0" * 63, "0" * 63 + " ", " " + "0" * 63, "é" + "0" * 63],
)
def test_the_database_refuses_a_hash_that_is_not_64_lowercase_hex_digits(waarde):
    goed = "0" * 64
    for hash_, vorige in ((waarde, goed), (goed, waarde)):
        with pytest.raises(DatabaseError, match="logregel_hash_hex"), transaction.atomic():
            _sql(
                "INSERT INTO audit_logregel (tijdstip, actie, object_type, object_id, resultaat, herkomst, doel, "
                "vorige_hash, hash) VALUES (now(), 'bekijken', '', '', 'gelukt', '', '', %s, %s)",
                [vorige, hash_],
            )
    with transaction.atomic():
        _sql(
            "INSERT INTO audit_logregel (tijdstip, actie, object_type, object_id, resultaat, herkomst, doel, "
            "vorige_hash, hash) VALUES (now(), 'bekijken', '', '', 'gelukt', '', '', %s, %s)",
            [goed, "0123456789abcdef" * 4],
        )
