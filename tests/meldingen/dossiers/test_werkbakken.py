"""Work queues (werkbakjes): filters, counts per queue in a constant number of queries, team-only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meldingen.dossiers.selectors import wachtrij_voor_uitvoerder, werkbak_filter, werkbakken_met_aantallen
from meldpunt.core.exceptions import ApplicationError
from tests.meldingen.helpers import maak_melding, maak_werkbak

pytestmark = pytest.mark.django_db

EO = {"type": "EO", "eo": {"vonnisdatum": "2026-11-01", "ontruimingsdatum": "2027-01-15"}}


@pytest.fixture
def signalen(tenant_a):
    return {
        "eo": maak_melding(tenant_a, referentie="EO", huishouden__minderjarige_kinderen=0, **EO),
        "kind": maak_melding(tenant_a, referentie="KIND", huishouden__minderjarige_kinderen=2),
        "groot": maak_melding(
            tenant_a,
            referentie="GROOT",
            achterstand__bedrag="9000.00",
            huishouden__minderjarige_kinderen=0,
            adres__postcode="2000 AA",
        ),
        "herhaald": maak_melding(
            tenant_a,
            referentie="HERH",
            achterstand__herhaald=True,
            achterstand__maanden=1,
            huishouden__minderjarige_kinderen=0,
        ),
    }


@pytest.mark.parametrize(
    ("filters", "verwacht"),
    [
        ({"type": "EO"}, {"eo"}),
        ({"alleen_minderjarigen": True}, {"kind"}),
        ({"bedrag_vanaf": Decimal("5000")}, {"groot"}),
        ({"postcode_van": 1500, "postcode_tot": 2500}, {"groot"}),
        ({"alleen_herhaald": True}, {"herhaald"}),
        ({"type": "VEO", "postcode_van": 1000, "postcode_tot": 1999}, {"kind", "herhaald"}),
    ],
)
def test_filters(tenant_a, signalen, filters, verwacht):
    werkbak = maak_werkbak(tenant_a, naam="bak", **filters)
    gebruiker = tenant_a.gebruikers["hulpverlener"]
    nummers = set(
        wachtrij_voor_uitvoerder(user=gebruiker).filter(werkbak_filter(werkbak)).values_list("nummer", flat=True)
    )
    assert nummers == {signalen[k].dossier.nummer for k in verwacht}


def test_counts_use_one_query_whatever_the_number_of_queues(tenant_a, signalen):
    gebruiker = tenant_a.gebruikers["hulpverlener"]
    maak_werkbak(tenant_a, naam="EO", type="EO")
    with CaptureQueriesContext(connection) as twee:
        werkbakken_met_aantallen(user=gebruiker)
    for i in range(8):
        maak_werkbak(tenant_a, naam=f"bak{i}", alleen_minderjarigen=bool(i % 2))
    with CaptureQueriesContext(connection) as negen:
        resultaat = werkbakken_met_aantallen(user=gebruiker)
    assert len(twee) == len(negen) == 2
    assert {w.naam: n for w, n in resultaat}["EO"] == 1


def test_validation_and_team_only(tenant_a, tenant_b):
    with pytest.raises(ApplicationError):
        maak_werkbak(tenant_a, naam="")
    with pytest.raises(ApplicationError) as exc:
        maak_werkbak(tenant_a, naam="pc", postcode_van=2000, postcode_tot=1000)
    assert "postcode_tot" in exc.value.extra
    with pytest.raises(ApplicationError):
        maak_werkbak(tenant_a, naam="ander", partner=tenant_b.partner)
    from meldingen.dossiers.services import werkbak_create

    with pytest.raises(ApplicationError):
        werkbak_create(door=tenant_a.gebruikers["hulpverlener"], naam="x")


def test_queue_page_with_queues(client, inloggen, tenant_a, tenant_b, signalen):
    maak_werkbak(tenant_b, naam="Van een ander team")
    inloggen(tenant_a.gebruikers["teamleider"])
    response = client.post(reverse("meldingen:werkbak_create"), {"naam": "Eropaf", "type": "EO"})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert signalen["eo"].dossier.nummer in html and signalen["kind"].dossier.nummer not in html
    assert 'data-werkbak="Eropaf"' in html and 'data-aantal="1"' in html
    assert "Van een ander team" not in html
    assert client.post(reverse("meldingen:werkbak_create"), {"naam": "Eropaf"}).status_code == 400


@pytest.mark.parametrize("url_name", ["meldingen:wachtrij", "meldingen:mijn_dossiers"])
def test_queue_and_caseload_pages_use_a_constant_number_of_queries(client, inloggen, tenant_a, url_name):
    from meldingen.dossiers.services import dossier_claim

    hulpverlener = tenant_a.gebruikers["hulpverlener"]
    inloggen(hulpverlener)
    maak_werkbak(tenant_a, naam="EO", type="EO")

    def tel(aantal: int, start: int) -> int:
        for i in range(start, start + aantal):
            melding = maak_melding(tenant_a, referentie=f"Q-{i}")
            if url_name == "meldingen:mijn_dossiers":
                dossier_claim(dossier_id=melding.dossier_id, door=hulpverlener)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url_name)).status_code == 200
        return len(queries)

    assert tel(2, 0) == tel(25, 100)
