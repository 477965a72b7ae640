"""GET /api/v1/meldingen/ and /{id}/: own meldingen only, filters, pagination, status as the Partner sees it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from meldingen.ddas import Eindresultaat, Signaalstatus
from meldingen.dossiers.workflow import DossierStatus
from meldingen.models import Dossier, Melding
from meldpunt.audit.models import LogRegel
from tests.meldingen.helpers import api_melding, geef_toestemming, scherm_af, trek_in
from tests.persoonsgegevens import ACHTERNAAM

from .conftest import URL, indienen

pytestmark = pytest.mark.django_db


def nieuw(client, tenant, **wijzigingen):
    response = indienen(client, api_melding(tenant.convenant.slug, **wijzigingen))
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_the_list_holds_only_the_own_meldingen_newest_first(api_a, api_b, tenant_a, tenant_b):
    eerste = nieuw(api_a, tenant_a)
    tweede = nieuw(api_a, tenant_a, referentie="RC-2026-000124")
    nieuw(api_b, tenant_b)
    body = api_a.get(URL).json()
    assert body["count"] == 2
    assert {m["id"] for m in body["results"]} == {eerste, tweede}
    assert api_b.get(URL).json()["count"] == 1


def test_an_item_holds_the_submitted_fields_and_the_feedback(api_a, tenant_a):
    id_ = nieuw(api_a, tenant_a, adres__postcode="1111AB")
    item = api_a.get(f"{URL}{id_}/").json()
    assert item["id"] == id_
    assert item["convenant"] == tenant_a.convenant.slug and item["type"] == "VEO"
    assert item["referentie"] == "RC-2026-000123"
    assert item["huurder"]["achternaam"] == ACHTERNAAM
    assert item["huurder"]["geboortedatum"] == "1980-05-17"
    assert item["adres"]["postcode"] == "1111 AB"
    assert item["achterstand"] == {"bedrag": "1300.00", "maanden": 2, "herhaald": False, "maandhuur": "650.00"}
    assert item["huishouden"] == {"minderjarige_kinderen": 2}
    assert item["voortraject"]["herinnering_op"] == "2026-10-01"
    assert item["eo"] is None
    assert item["status"] == "nog_niet_opgepakt" and item["vervolgmelding"] is False
    assert item["eindresultaat"] is None and item["afgesloten_op"] is None
    assert item["ontvangen_op"].startswith("2026-11-22T13:00:00")


def test_every_read_is_audited(api_a, tenant_a):
    id_ = nieuw(api_a, tenant_a)
    api_a.get(f"{URL}{id_}/")
    api_a.get(URL)
    regels = LogRegel.objects.filter(object_type="meldingen.melding", object_id=id_, actie="bekijken")
    assert regels.count() == 2
    assert all(r.organisatie_id == tenant_a.partner.pk and r.herkomst.startswith("api:") for r in regels)


def test_another_organisations_melding_is_404_never_403(api_a, api_b, tenant_b):
    ander = nieuw(api_b, tenant_b)
    response = api_a.get(f"{URL}{ander}/")
    assert response.status_code == 404
    assert ACHTERNAAM not in response.content.decode()
    assert not LogRegel.objects.filter(object_id=ander, actie="bekijken").exists()


@pytest.mark.parametrize(
    "id_", ["geen-uuid", "123", "b6bf21a0-7fcb-4216-8302-5c09b7e4f099", "00000000-0000-0000-0000-000000000000"]
)
def test_unknown_or_malformed_ids_are_404(api_a, id_):
    response = api_a.get(f"{URL}{id_}/")
    assert response.status_code == 404 and set(response.json()) == {"detail"}


def test_after_retention_deletion_the_melding_is_gone(api_a, tenant_a):
    id_ = nieuw(api_a, tenant_a)
    Melding.objects.filter(pk=id_).delete()
    assert api_a.get(f"{URL}{id_}/").status_code == 404


def test_filter_by_referentie_is_exact_and_case_insensitive(api_a, tenant_a):
    eerste = nieuw(api_a, tenant_a)
    nieuw(api_a, tenant_a, referentie="RC-2026-000124")
    for referentie in ("RC-2026-000123", "rc-2026-000123"):
        body = api_a.get(URL, {"referentie": referentie}).json()
        assert [m["id"] for m in body["results"]] == [eerste]
    assert api_a.get(URL, {"referentie": "RC-2026"}).json()["count"] == 0


def test_statuses_the_partner_may_not_see_show_as_niet_opgepakt(api_a, tenant_a):
    ids = [nieuw(api_a, tenant_a, referentie=f"RC-{n}") for n in range(4)]
    statussen = [
        Signaalstatus.OVERLEDEN,
        Signaalstatus.AL_BEKEND,
        Signaalstatus.ONTERECHT_SIGNAAL,
        Signaalstatus.OPGEPAKT,
    ]
    for id_, status in zip(ids, statussen, strict=True):
        Melding.objects.filter(pk=id_).update(status=status)
    gezien = {m["id"]: m["status"] for m in api_a.get(URL).json()["results"]}
    assert gezien == {
        ids[0]: "niet_opgepakt",
        ids[1]: "niet_opgepakt",
        ids[2]: "niet_opgepakt_onterecht_signaal",
        ids[3]: "opgepakt",
    }
    assert api_a.get(f"{URL}{ids[0]}/").json()["status"] == "niet_opgepakt"
    assert "overleden" not in api_a.get(f"{URL}{ids[0]}/").content.decode().lower()
    niet = api_a.get(URL, {"status": "niet_opgepakt"}).json()["results"]
    assert {m["id"] for m in niet} == {ids[0], ids[1]}
    assert [m["id"] for m in api_a.get(URL, {"status": "opgepakt"}).json()["results"]] == [ids[3]]


@pytest.mark.parametrize("status", ["inwoner_overleden", "niet_opgepakt_andere_reden", "onbekend", "OPGEPAKT"])
def test_an_invalid_status_filter_is_a_field_error(api_a, status):
    response = api_a.get(URL, {"status": status})
    assert response.status_code == 400
    assert "Kies een van: nog_niet_opgepakt" in response.json()["status"][0]


def test_pagination(api_a, tenant_a):
    ids = [nieuw(api_a, tenant_a, referentie=f"RC-{n}") for n in range(3)]
    eerste = api_a.get(URL, {"page_size": 2}).json()
    assert eerste["count"] == 3 and len(eerste["results"]) == 2 and eerste["previous"] is None
    tweede = api_a.get(eerste["next"]).json()
    assert len(tweede["results"]) == 1 and tweede["next"] is None
    assert {m["id"] for m in eerste["results"] + tweede["results"]} == set(ids)
    assert api_a.get(URL, {"page": 9}).status_code == 404
    assert api_a.get(URL, {"page": "x"}).status_code == 404


def test_the_end_result_only_with_the_tenants_consent(api_a, tenant_a):
    id_ = nieuw(api_a, tenant_a)
    afgesloten = timezone.now()
    Dossier.objects.update(
        status=DossierStatus.AFGESLOTEN, eindresultaat=Eindresultaat.ADVIES_QUICK_FIX, afgesloten_op=afgesloten
    )
    Melding.objects.filter(pk=id_).update(status=Signaalstatus.OPGEPAKT)
    zonder = api_a.get(f"{URL}{id_}/").json()
    assert zonder["eindresultaat"] is None and zonder["afgesloten_op"] is None
    dossier = Dossier.objects.get()
    # Consent for the Gemeente is not consent for the Partner.
    geef_toestemming(tenant_a, dossier, "gemeente", "rapportage")
    assert api_a.get(f"{URL}{id_}/").json()["eindresultaat"] is None
    toestemming = geef_toestemming(tenant_a, dossier, "partner", "status")
    met = api_a.get(f"{URL}{id_}/").json()
    assert met["eindresultaat"] == "(Budget)advies en/of quick fix"
    assert met["afgesloten_op"] is not None
    assert api_a.get(URL).json()["results"][0]["eindresultaat"] == "(Budget)advies en/of quick fix"
    trek_in(tenant_a, toestemming)
    weer = api_a.get(f"{URL}{id_}/").json()
    assert weer["eindresultaat"] is None and weer["afgesloten_op"] is None
    assert weer["status"] == "opgepakt"


def test_a_restricted_dossier_is_hidden_from_the_partner_api(api_a, tenant_a):
    id_ = nieuw(api_a, tenant_a)
    scherm_af(tenant_a, Dossier.objects.get())
    assert api_a.get(f"{URL}{id_}/").status_code == 404
    assert api_a.get(URL).json()["count"] == 0


def test_an_eo_melding_shows_its_dates(api_a, tenant_a):
    eo = {"vonnisdatum": "2026-11-01", "ontruimingsdatum": "2026-12-01"}
    id_ = nieuw(api_a, tenant_a, type="EO", eo=eo)
    assert api_a.get(f"{URL}{id_}/").json()["eo"] == eo


def test_write_methods_on_the_detail_are_not_allowed(api_a, tenant_a):
    id_ = nieuw(api_a, tenant_a)
    for methode in (api_a.put, api_a.patch, api_a.delete):
        assert methode(f"{URL}{id_}/", {}, format="json").status_code == 405
    assert Melding.objects.filter(pk=id_).exists()
