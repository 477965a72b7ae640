"""Lookups on keyed hashes go through their hash indexes, and still check what the index leaves out.

A referentie index and a blind index are keyed hashes, only compared for equality; their indexes are
hash indexes on the value alone (docs/adr/0009-intake-tienduizend-per-seconde.md). The partner of a
melding and the kind of a blind index are then checked on the row: these tests show both the index in
the plan (with sequential scans switched off and the table's other indexes dropped inside the test's
transaction, so the plan does not depend on statistics) and the check on the row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.db import connection

from convenants.models import ConvenantPartner
from meldingen.intake.selectors import melding_list_voor_partner
from meldpunt.privacy.models import BlindeIndex
from meldpunt.privacy.services import datasleutel_create, sleutels_met_index
from tests.meldingen.helpers import maak_melding

pytestmark = pytest.mark.django_db


def _plan(queryset, index: str) -> str:  # type: ignore[no-untyped-def]
    """The plan of the query when the table has no other index than ``index`` and sequential scans are off.

    Which of several usable indexes the planner takes depends on the table's statistics (a few rows, and
    whatever earlier tests left behind), so the others are dropped in the test's own transaction, which
    rolls back: what remains shows whether the hash index serves the query at all.
    """
    tabel = queryset.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks, so the table may be altered
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, c.conname FROM pg_index i"
            " LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid"
            " WHERE i.indrelid = %s::regclass AND i.indexrelid::regclass::text <> %s",
            [tabel, index],
        )
        for naam, constraint in cursor.fetchall():
            if constraint:
                cursor.execute(f'ALTER TABLE "{tabel}" DROP CONSTRAINT "{constraint}" CASCADE')
            else:
                cursor.execute(f"DROP INDEX {naam}")
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


def _definitie(naam: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [naam])
        return cursor.fetchone()[0]


def test_search_by_referentie_uses_the_hash_index_and_keeps_to_the_partner(tenant_a, tenant_b):
    # A second partner in the same convenant with the same referentie: the same keyed hash, so only the
    # partner on the row tells the meldingen apart.
    ConvenantPartner.objects.create(convenant=tenant_a.convenant, partner=tenant_b.partner, sinds=dt.date(2026, 1, 1))
    andere_partner = dataclasses.replace(
        tenant_a, partner=tenant_b.partner, gebruikers={**tenant_a.gebruikers, "melder": tenant_b.gebruikers["melder"]}
    )
    eigen = maak_melding(tenant_a, referentie="RC-ZOEK-1")
    maak_melding(tenant_a, referentie="RC-ZOEK-2")
    van_ander = maak_melding(andere_partner, referentie="RC-ZOEK-1")
    assert van_ander.referentie_index == eigen.referentie_index and van_ander.partner_id != eigen.partner_id

    gevonden = melding_list_voor_partner(organisatie=tenant_a.partner, referentie=" rc-zoek-1")
    assert list(gevonden) == [eigen]
    assert list(melding_list_voor_partner(organisatie=tenant_b.partner, referentie="RC-ZOEK-1")) == [van_ander]
    assert "melding_referentie_idx" in _plan(gevonden, "melding_referentie_idx")
    assert "USING hash (referentie_index)" in _definitie("melding_referentie_idx")
    assert list(melding_list_voor_partner(organisatie=tenant_b.partner, referentie="RC-ZOEK-2")) == []


def test_blind_index_lookup_uses_the_hash_index_and_checks_the_kind():
    a, b = datasleutel_create(doel="dossier"), datasleutel_create(doel="dossier")
    waarde = "ab" * 32
    BlindeIndex.objects.create(sleutel=a, soort="naam_geboortedatum", waarde=waarde)
    BlindeIndex.objects.create(sleutel=b, soort="postcode_huisnummer", waarde=waarde)

    assert sleutels_met_index(soort="naam_geboortedatum", waarde=waarde) == [a.pk]
    assert sleutels_met_index(soort="postcode_huisnummer", waarde=waarde) == [b.pk]
    gezocht = BlindeIndex.objects.filter(soort="naam_geboortedatum", waarde=waarde)
    assert "blinde_index_zoek_idx" in _plan(gezocht, "blinde_index_zoek_idx")
    assert "USING hash (waarde)" in _definitie("blinde_index_zoek_idx")
