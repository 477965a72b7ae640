"""POST /api/v1/meldingen/ (API.md): valid meldingen, every kind of bad input, repeats and vervolgmeldingen."""

from __future__ import annotations

import json

import pytest

from convenants.models import ConvenantPartner
from meldingen.ddas import Signaalstatus
from meldingen.intake.models import Kanaal
from meldingen.intake.services import melding_gegevens
from meldingen.models import Melding
from meldpunt.audit.models import LogRegel
from tests.factories import ConvenantFactory
from tests.meldingen.helpers import api_melding
from tests.persoonsgegevens import ACHTERNAAM

from .conftest import URL, indienen, tellingen

pytestmark = pytest.mark.django_db

EO = {"vonnisdatum": "2026-11-01", "ontruimingsdatum": "2026-12-01"}


def geweigerd(client, data, *, status=400, **headers):
    """Post ``data``; assert the status and that nothing was stored; return the JSON body."""
    voor = tellingen()
    response = indienen(client, data, **headers)
    assert response.status_code == status, response.content[:2000]
    assert tellingen() == voor
    return response.json()


# --- accepted -----------------------------------------------------------------------------------------
def test_a_veo_melding_is_created(api_a, tenant_a):
    response = indienen(api_a, api_melding(tenant_a.convenant.slug))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"id", "referentie", "status", "ontvangen_op", "vervolgmelding"}
    assert body["referentie"] == "RC-2026-000123"
    assert body["status"] == "nog_niet_opgepakt" and body["vervolgmelding"] is False
    assert body["ontvangen_op"].startswith("2026-11-22T13:00:00")  # Europe/Amsterdam
    assert response["Location"].endswith(f"/api/v1/meldingen/{body['id']}/")
    melding = Melding.objects.get(pk=body["id"])
    assert melding.kanaal == Kanaal.API and melding.partner == tenant_a.partner
    assert melding.api_token is not None and melding.ingediend_door is None
    assert melding.dossier.type == "VEO" and melding.dossier.heeft_minderjarigen
    assert melding_gegevens(melding)["huurder"]["achternaam"] == ACHTERNAAM
    regel = LogRegel.objects.get(object_type="meldingen.melding", object_id=body["id"], actie="aanmaken")
    assert regel.organisatie_id == tenant_a.partner.pk
    assert regel.herkomst == f"api:{melding.api_token_id} 127.0.0.1"


def test_an_eo_melding_is_created(api_a, tenant_a):
    response = indienen(api_a, api_melding(tenant_a.convenant.slug, type="EO", eo=EO))
    assert response.status_code == 201, response.json()
    melding = Melding.objects.get(pk=response.json()["id"])
    assert melding.type == "EO" and str(melding.ontruimingsdatum) == "2026-12-01"
    assert melding_gegevens(melding)["eo"] == EO


@pytest.mark.parametrize("postcode", ["1111AB", "1111 AB", "1111 ab"])
def test_both_postcode_formats_are_accepted_and_stored_normalised(api_a, tenant_a, postcode):
    response = indienen(api_a, api_melding(tenant_a.convenant.slug, adres__postcode=postcode))
    assert response.status_code == 201, response.json()
    assert melding_gegevens(Melding.objects.get())["adres"]["postcode"] == "1111 AB"


@pytest.mark.parametrize(
    "wijzigingen",
    [
        {"huurder__telefoon": ..., "huurder__email": ...},
        {"huurder__telefoon": None, "huurder__email": None},
        {"huurder__telefoon": ...},
        {"huurder__email": ""},
        {"huurder__voornamen": ...},
        {"adres__toevoeging": None},
        {"achterstand__herhaald": ...},
        {"eo": None},
    ],
)
def test_optional_fields_may_be_left_out(api_a, tenant_a, wijzigingen):
    response = indienen(api_a, api_melding(tenant_a.convenant.slug, **wijzigingen))
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("bedrag", ["1300", "1300.5", 1300, 1300.5, "1300.50", 1300.25])
def test_amounts_as_decimal_string_or_json_number(api_a, tenant_a, bedrag):
    response = indienen(api_a, api_melding(tenant_a.convenant.slug, achterstand__bedrag=bedrag))
    assert response.status_code == 201, response.json()
    assert Melding.objects.get().achterstand_bedrag == pytest.approx(float(bedrag))


def test_one_month_is_enough_when_the_arrears_are_repeated(api_a, tenant_a):
    data = api_melding(tenant_a.convenant.slug, achterstand__maanden=1, achterstand__herhaald=True)
    assert indienen(api_a, data).status_code == 201


# --- refused: the body as a whole -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "bericht"),
    [
        ("{", "geen geldige JSON"),
        ('{"convenant": "alfa",}', "geen geldige JSON"),
        ('{"bedrag": NaN}', "geen geldige JSON"),
        ("[" * 100_000, "geen geldige JSON"),
        ("[]", "één JSON-object"),
        ('"melding"', "één JSON-object"),
        ("null", "één JSON-object"),
    ],
)
def test_malformed_json_or_not_an_object(api_a, body, bericht):
    voor = tellingen()
    response = api_a.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"detail"} and bericht in response.json()["detail"]
    assert tellingen() == voor


def test_invalid_utf8_is_refused(api_a):
    response = api_a.post(URL, b'{"referentie": "\xff"}', content_type="application/json")
    assert response.status_code == 400 and "UTF-8" in response.json()["detail"]


def test_an_empty_body_lists_every_required_field(api_a):
    body = geweigerd(api_a, {})
    for veld in ("convenant", "type", "referentie", "huurder", "adres", "huishouden", "achterstand", "voortraject"):
        assert body[veld] == ["Dit veld is verplicht."]


def test_another_media_type_is_refused(api_a):
    response = api_a.post(URL, "convenant=alfa", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415


def test_a_body_over_the_size_limit_is_refused(api_a, tenant_a):
    data = api_melding(tenant_a.convenant.slug, huurder__achternaam="x" * 3_000_000)
    body = geweigerd(api_a, data, status=413)
    assert "te groot" in body["detail"]


# --- refused: per field ---------------------------------------------------------------------------------
GROOT = "x" * 1_000_000

ONGELDIG = [
    # wrong types
    ({"adres__huisnummer": "104"}, ("adres", "huisnummer"), "Vul een geheel getal in."),
    ({"adres__huisnummer": 104.5}, ("adres", "huisnummer"), "Vul een geheel getal in."),
    ({"achterstand__maanden": True}, ("achterstand", "maanden"), "Vul een geheel getal in."),
    ({"achterstand__herhaald": "nee"}, ("achterstand", "herhaald"), "Vul true of false in."),
    ({"achterstand__herhaald": 0}, ("achterstand", "herhaald"), "Vul true of false in."),
    ({"referentie": 123}, ("referentie",), "Vul tekst in (een JSON-string)."),
    ({"huurder__achternaam": ["Jansen"]}, ("huurder", "achternaam"), "Vul tekst in (een JSON-string)."),
    ({"huurder__geboortedatum": 19800517}, ("huurder", "geboortedatum"), "Vul een datum in als JJJJ-MM-DD"),
    ({"achterstand__bedrag": True}, ("achterstand", "bedrag"), "Vul een bedrag in euro in"),
    ({"achterstand__bedrag": "1.300,00"}, ("achterstand", "bedrag"), "Vul een bedrag in euro in"),
    ({"achterstand__bedrag": "1e3"}, ("achterstand", "bedrag"), "Vul een bedrag in euro in"),
    ({"achterstand__maandhuur": {"euro": 650}}, ("achterstand", "maandhuur"), "Vul een bedrag in euro in"),
    ({"huurder": "Jansen"}, ("huurder",), "Verwacht een object"),
    ({"achterstand": [1300, 2]}, ("achterstand",), "Verwacht een object"),
    ({"eo": "2026-11-01"}, ("eo",), "Verwacht een object"),
    ({"huurder__achternaam": None}, ("huurder", "achternaam"), "Dit veld mag niet null zijn."),
    ({"huurder__achternaam": "Jan\x00sen"}, ("huurder", "achternaam"), "tekens die niet zijn toegestaan"),
    # unknown fields, top level and nested
    ({"bsn": "123456782"}, ("bsn",), "Onbekend veld"),
    ({"huurder__bsn": "123456782"}, ("huurder", "bsn"), "Onbekend veld"),
    ({"achterstand__rente": "12.00"}, ("achterstand", "rente"), "Onbekend veld"),
    # missing nested objects and fields
    ({"huurder": ...}, ("huurder",), "Dit veld is verplicht."),
    ({"voortraject": ...}, ("voortraject",), "Dit veld is verplicht."),
    ({"huishouden": ...}, ("huishouden",), "Dit veld is verplicht."),
    ({"adres__postcode": ...}, ("adres", "postcode"), "Dit veld is verplicht."),
    ({"achterstand__bedrag": ...}, ("achterstand", "bedrag"), "Dit veld is verplicht."),
    # dates: impossible, malformed, in the future
    ({"huurder__geboortedatum": "2026-02-31"}, ("huurder", "geboortedatum"), "Deze datum bestaat niet."),
    ({"voortraject__herinnering_op": "2026-13-01"}, ("voortraject", "herinnering_op"), "Deze datum bestaat niet."),
    ({"voortraject__herinnering_op": "01-10-2026"}, ("voortraject", "herinnering_op"), "JJJJ-MM-DD"),
    ({"voortraject__herinnering_op": "2026-10-01T10:00:00"}, ("voortraject", "herinnering_op"), "JJJJ-MM-DD"),
    ({"voortraject__herinnering_op": "2026-11-23"}, ("voortraject", "herinnering_op"), "ligt in de toekomst"),
    ({"voortraject__contactpoging_op": "2020-01-01"}, ("voortraject", "contactpoging_op"), "meer dan vijf jaar"),
    ({"huurder__geboortedatum": "2027-01-01"}, ("huurder", "geboortedatum"), "De geboortedatum ligt in de toekomst."),
    # age
    ({"huurder__geboortedatum": "2008-11-23"}, ("huurder", "geboortedatum"), "ten minste 18 jaar"),
    ({"huurder__geboortedatum": "1905-11-21"}, ("huurder", "geboortedatum"), "ouder dan 120 jaar"),
    # amounts: negative, zero, absurd, three decimals
    ({"achterstand__bedrag": "-5.00"}, ("achterstand", "bedrag"), "ligt tussen"),
    ({"achterstand__bedrag": -5}, ("achterstand", "bedrag"), "ligt tussen"),
    ({"achterstand__bedrag": "0.00"}, ("achterstand", "bedrag"), "ligt tussen"),
    ({"achterstand__bedrag": "99999999999.00"}, ("achterstand", "bedrag"), "ligt tussen"),
    ({"achterstand__bedrag": 1e300}, ("achterstand", "bedrag"), "ligt tussen"),
    ({"achterstand__maandhuur": "65000.00"}, ("achterstand", "maandhuur"), "De maandhuur ligt tussen"),
    ({"achterstand__bedrag": "1300.005"}, ("achterstand", "bedrag"), "Ten hoogste twee decimalen."),
    ({"achterstand__bedrag": 1300.005}, ("achterstand", "bedrag"), "Ten hoogste twee decimalen."),
    # eligibility and ranges
    ({"achterstand__maanden": 1}, ("achterstand", "maanden"), "Te weinig achterstand"),
    ({"achterstand__maanden": 0, "achterstand__herhaald": True}, ("achterstand", "maanden"), "tussen 1 en 120"),
    ({"adres__huisnummer": 0}, ("adres", "huisnummer"), "tussen 1 en 99999"),
    ({"huishouden__minderjarige_kinderen": -1}, ("huishouden", "minderjarige_kinderen"), "0 tot en met 20"),
    # postcode and other formats
    ({"adres__postcode": "1111-AB"}, ("adres", "postcode"), "Vul een postcode in zoals 1234 AB"),
    ({"adres__postcode": "111 AB"}, ("adres", "postcode"), "Vul een postcode in zoals 1234 AB"),
    ({"adres__postcode": "1111  AB"}, ("adres", "postcode"), "Vul een postcode in zoals 1234 AB"),
    ({"adres__postcode": "0111 AB"}, ("adres", "postcode"), "Vul een postcode in zoals 1234 AB"),
    ({"huurder__telefoon": "12345"}, ("huurder", "telefoon"), "Nederlands telefoonnummer"),
    ({"huurder__email": "geen-adres"}, ("huurder", "email"), "geldig e-mailadres"),
    ({"huurder__voornamen": "", "huurder__voorletters": ""}, ("huurder", "voornamen"), "voornamen of de voorletters"),
    ({"referentie": "   "}, ("referentie",), "Vul de referentie"),
    ({"type": "XEO"}, ("type",), "Kies VEO of EO."),
    # EO versus VEO
    ({"type": "EO"}, ("eo", "vonnisdatum"), "Vul de datum van het vonnis in."),
    ({"type": "EO"}, ("eo", "ontruimingsdatum"), "Vul de ontruimingsdatum in."),
    ({"type": "EO", "eo": {"vonnisdatum": "2026-11-01"}}, ("eo", "ontruimingsdatum"), "Dit veld is verplicht."),
    ({"type": "EO", "eo": {**EO, "ontruimingsdatum": "2026-11-01"}}, ("eo", "ontruimingsdatum"), "in het verleden"),
    ({"eo": EO}, ("eo",), "Een VEO-melding heeft geen vonnis- en ontruimingsdatum."),
    # 1 MB strings
    ({"huurder__achternaam": GROOT}, ("huurder", "achternaam"), "Ten hoogste 200 tekens."),
    ({"referentie": GROOT}, ("referentie",), "Ten hoogste 100 tekens."),
    ({"adres__woonplaats": GROOT}, ("adres", "woonplaats"), "Ten hoogste 100 tekens."),
    ({"convenant": GROOT}, ("convenant",), "Ten hoogste 60 tekens."),
    ({"achterstand__bedrag": "1" * 1_000_000}, ("achterstand", "bedrag"), "Vul een bedrag in euro in"),
    # the convenant
    ({"convenant": "bestaat-niet"}, ("convenant",), "Dit convenant bestaat niet."),
]


def _bij(body, pad):
    for deel in pad:
        body = body[deel]
    return body


@pytest.mark.parametrize(
    ("wijzigingen", "pad", "bericht"), ONGELDIG, ids=[f"{'.'.join(p)}-{i}" for i, (_, p, _) in enumerate(ONGELDIG)]
)
def test_bad_input_is_refused_per_field_and_nothing_is_stored(api_a, tenant_a, wijzigingen, pad, bericht):
    data = api_melding(tenant_a.convenant.slug, **wijzigingen)
    body = geweigerd(api_a, data)
    berichten = _bij(body, pad)
    assert isinstance(berichten, list) and all(isinstance(b, str) for b in berichten), body
    assert any(bericht in b for b in berichten), berichten
    assert GROOT not in json.dumps(body)


def test_all_mistakes_are_reported_at_once(api_a, tenant_a):
    data = api_melding(
        tenant_a.convenant.slug,
        adres__huisnummer="104",
        huurder__geboortedatum="2010-01-01",
        achterstand__maanden=1,
        huurder__bsn="x",
        referentie="",
    )
    body = geweigerd(api_a, data)
    assert body["adres"]["huisnummer"] == ["Vul een geheel getal in."]
    assert body["huurder"]["geboortedatum"] == ["De huurder moet ten minste 18 jaar oud zijn."]
    assert body["huurder"]["bsn"] == ["Onbekend veld; dit veld hoort niet in een melding."]
    assert "Te weinig achterstand" in body["achterstand"]["maanden"][0]
    assert body["referentie"] == ["Vul de referentie (contractnummer) in."]
    assert "straat" not in body["adres"]


def test_a_field_refused_by_type_gets_one_message_not_also_the_domain_one(api_a, tenant_a):
    body = geweigerd(api_a, api_melding(tenant_a.convenant.slug, huurder__geboortedatum="17-05-1980"))
    assert body == {"huurder": {"geboortedatum": ["Vul een datum in als JJJJ-MM-DD, bijvoorbeeld 2026-10-01."]}}


def test_a_convenant_that_is_not_active_is_refused(api_a, tenant_a):
    oud = ConvenantFactory(slug="oud", afgelopen=True, partners=[tenant_a.partner])
    body = geweigerd(api_a, api_melding(oud.slug))
    assert body == {"convenant": ["Dit convenant is niet actief; meldingen zijn niet mogelijk."]}


def test_a_convenant_that_is_not_yet_active_is_refused(api_a, tenant_a):
    nieuw = ConvenantFactory(slug="later", toekomstig=True, partners=[tenant_a.partner])
    assert "niet actief" in geweigerd(api_a, api_melding(nieuw.slug))["convenant"][0]


def test_another_partners_convenant_is_forbidden(api_a, tenant_b):
    body = geweigerd(api_a, api_melding(tenant_b.convenant.slug), status=403)
    assert body == {"detail": "Uw organisatie is geen partner in dit convenant."}


def test_forbidden_even_when_other_fields_are_wrong_too(api_a, tenant_b):
    geweigerd(api_a, api_melding(tenant_b.convenant.slug, adres__huisnummer="x"), status=403)


def test_a_partner_that_left_the_convenant_may_not_submit(api_a, tenant_a):
    ConvenantPartner.objects.filter(partner=tenant_a.partner).delete()
    geweigerd(api_a, api_melding(tenant_a.convenant.slug), status=403)


# --- the same content twice, vervolgmeldingen -----------------------------------------------------------
def test_the_same_content_twice_creates_one_melding_and_answers_200(api_a, tenant_a):
    eerste = indienen(api_a, api_melding(tenant_a.convenant.slug))
    tweede = indienen(api_a, api_melding(tenant_a.convenant.slug))
    assert eerste.status_code == 201 and tweede.status_code == 200
    assert tweede.json() == eerste.json()
    assert Melding.objects.count() == 1


def test_a_second_melding_for_the_tenancy_is_a_vervolgmelding(api_a, tenant_a):
    eerste = indienen(api_a, api_melding(tenant_a.convenant.slug)).json()
    hoger = indienen(api_a, api_melding(tenant_a.convenant.slug, achterstand__bedrag="1950.00", achterstand__maanden=3))
    assert hoger.status_code == 201
    assert hoger.json()["vervolgmelding"] is True and hoger.json()["status"] == "nog_niet_opgepakt"
    gelijk = indienen(api_a, api_melding(tenant_a.convenant.slug, voortraject__herinnering_op="2026-10-02"))
    assert gelijk.status_code == 201
    assert gelijk.json()["vervolgmelding"] is True
    assert gelijk.json()["status"] == "niet_opgepakt_herhaalde_melding"
    dossiers = set(Melding.objects.values_list("dossier_id", flat=True))
    assert len(dossiers) == 1 and Melding.objects.get(pk=eerste["id"]).dossier_id in dossiers
    assert Melding.objects.get(pk=gelijk.json()["id"]).status == Signaalstatus.HERHAALDE_MELDING
