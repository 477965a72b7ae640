"""Validation rules and the intake service: dossiers, vervolgmeldingen, repeats, encryption, audit."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from meldingen.ddas import Signaalstatus
from meldingen.dossiers.workflow import DossierStatus
from meldingen.intake.models import Kanaal
from meldingen.intake.services import melding_create, melding_gegevens
from meldingen.intake.validatie import genest, valideer_melding
from meldingen.models import Dossier, Melding
from meldpunt.audit.models import LogRegel
from meldpunt.privacy.models import BlindeIndex
from tests.meldingen.helpers import VANDAAG, api_melding, invoer_uit
from tests.persoonsgegevens import ACHTERNAAM, STRAAT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vaste_datum():
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


def indienen(tenant, **wijzigingen):
    data = api_melding(tenant.convenant.slug, **wijzigingen)
    uitkomst = valideer_melding(invoer_uit(data), partner=tenant.partner, vandaag=VANDAAG)
    assert uitkomst.geldig, uitkomst.fouten
    return melding_create(
        uitkomst=uitkomst, partner=tenant.partner, kanaal=Kanaal.API, door=tenant.gebruikers["melder"]
    )


def fouten(tenant, **wijzigingen):
    data = api_melding(tenant.convenant.slug, **wijzigingen)
    return valideer_melding(invoer_uit(data), partner=tenant.partner, vandaag=VANDAAG).fouten


def test_new_tenancy_opens_a_dossier_in_the_queue(tenant_a):
    resultaat = indienen(tenant_a)
    melding = resultaat.melding
    assert resultaat.nieuw and not melding.vervolgmelding
    assert melding.status == Signaalstatus.NOG_NIET_OPGEPAKT
    dossier = melding.dossier
    assert dossier.status == DossierStatus.NIEUW and dossier.heeft_minderjarigen
    assert dossier.convenant == tenant_a.convenant and dossier.partner == tenant_a.partner
    assert dossier.postcode_cijfers == 1111
    assert melding_gegevens(melding)["huurder"]["achternaam"] == ACHTERNAAM
    assert melding_gegevens(melding)["adres"]["postcode"] == "1111 AB"


def test_personal_data_is_stored_encrypted_only(tenant_a):
    melding = indienen(tenant_a).melding
    rij = Melding.objects.filter(pk=melding.pk).values().get()
    platte_tekst = repr(rij) + repr(Dossier.objects.filter(pk=melding.dossier_id).values().get())
    for waarde in (ACHTERNAAM, STRAAT, "RC-2026-000123", "1111 AB", "0612345678"):
        assert waarde not in platte_tekst
        assert waarde.encode() not in bytes(rij["gegevens"])
    soorten = set(BlindeIndex.objects.filter(sleutel=melding.dossier.sleutel).values_list("soort", flat=True))
    assert soorten == {"naam_geboortedatum", "postcode_huisnummer"}


def test_creation_is_audited_in_the_same_transaction(tenant_a):
    melding = indienen(tenant_a).melding
    regel = LogRegel.objects.get(object_type="meldingen.melding", object_id=str(melding.pk))
    assert regel.actie == "aanmaken" and regel.convenant_id == tenant_a.convenant.pk
    assert regel.organisatie_id == tenant_a.partner.pk


def test_identical_resubmission_stores_nothing_new(tenant_a):
    eerste = indienen(tenant_a)
    tweede = indienen(tenant_a)
    assert not tweede.nieuw and tweede.melding.pk == eerste.melding.pk
    assert Melding.objects.count() == 1 and Dossier.objects.count() == 1


def test_higher_arrears_join_the_open_dossier(tenant_a):
    eerste = indienen(tenant_a).melding
    tweede = indienen(tenant_a, achterstand__bedrag="1950.00", achterstand__maanden=3).melding
    assert tweede.vervolgmelding and tweede.dossier_id == eerste.dossier_id
    assert tweede.status == Signaalstatus.NOG_NIET_OPGEPAKT
    assert Dossier.objects.count() == 1
    dossier = Dossier.objects.get()
    assert dossier.herhaald and str(dossier.achterstand_bedrag) == "1950.00"


def test_arrears_not_higher_is_a_repeated_signal(tenant_a):
    eerste = indienen(tenant_a).melding
    tweede = indienen(tenant_a, voortraject__herinnering_op="2026-10-02").melding
    assert tweede.vervolgmelding and tweede.dossier_id == eerste.dossier_id
    assert tweede.status == Signaalstatus.HERHAALDE_MELDING


def test_after_a_closed_dossier_a_new_dossier_points_to_it(tenant_a):
    eerste = indienen(tenant_a).melding
    Dossier.objects.filter(pk=eerste.dossier_id).update(status=DossierStatus.AFGESLOTEN)
    tweede = indienen(tenant_a, achterstand__bedrag="1400.00").melding
    assert not tweede.vervolgmelding and tweede.dossier_id != eerste.dossier_id
    assert tweede.dossier.vorig_dossier_id == eerste.dossier_id and tweede.dossier.herhaald


def test_reference_is_per_convenant_and_case_insensitive(tenant_a):
    eerste = indienen(tenant_a).melding
    tweede = indienen(tenant_a, referentie="rc-2026-000123 ", achterstand__bedrag="2000.00").melding
    assert tweede.dossier_id == eerste.dossier_id


def test_valid_eo_melding(tenant_a):
    melding = indienen(tenant_a, type="EO", eo={"vonnisdatum": "2026-11-01", "ontruimingsdatum": "2026-12-01"}).melding
    assert melding.dossier.type == "EO" and melding.dossier.ontruimingsdatum == dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("wijzigingen", "pad"),
    [
        ({"achterstand__maanden": 1}, "achterstand.maanden"),
        ({"achterstand__maanden": 0, "achterstand__herhaald": True}, "achterstand.maanden"),
        ({"achterstand__bedrag": "-5.00"}, "achterstand.bedrag"),
        ({"achterstand__bedrag": "99999999.00"}, "achterstand.bedrag"),
        ({"achterstand__bedrag": "10.005"}, "achterstand.bedrag"),
        ({"achterstand__maandhuur": "0"}, "achterstand.maandhuur"),
        ({"voortraject__herinnering_op": None}, "voortraject.herinnering_op"),
        ({"voortraject__contactpoging_op": "2027-01-01"}, "voortraject.contactpoging_op"),
        ({"huurder__geboortedatum": "2010-01-01"}, "huurder.geboortedatum"),
        ({"huurder__geboortedatum": "1900-01-01"}, "huurder.geboortedatum"),
        ({"huurder__geboortedatum": "2030-01-01"}, "huurder.geboortedatum"),
        ({"huurder__achternaam": ""}, "huurder.achternaam"),
        ({"huurder__achternaam": "x" * 1_000_000}, "huurder.achternaam"),
        ({"huurder__voornamen": "", "huurder__voorletters": ""}, "huurder.voornamen"),
        ({"huurder__telefoon": "12345"}, "huurder.telefoon"),
        ({"huurder__email": "geen-email"}, "huurder.email"),
        ({"adres__postcode": "0123 AB"}, "adres.postcode"),
        ({"adres__postcode": "1234"}, "adres.postcode"),
        ({"adres__huisnummer": 0}, "adres.huisnummer"),
        ({"huishouden__minderjarige_kinderen": 25}, "huishouden.minderjarige_kinderen"),
        ({"type": "XYZ"}, "type"),
        ({"type": "EO"}, "eo.vonnisdatum"),
        ({"type": "EO", "eo": {"vonnisdatum": "2026-11-01", "ontruimingsdatum": "2026-11-01"}}, "eo.ontruimingsdatum"),
        ({"type": "EO", "eo": {"vonnisdatum": "2026-10-01", "ontruimingsdatum": "2026-11-01"}}, "eo.ontruimingsdatum"),
        ({"eo": {"vonnisdatum": "2026-11-01", "ontruimingsdatum": "2026-12-01"}}, "eo"),
        ({"convenant": "bestaat-niet"}, "convenant"),
        ({"referentie": ""}, "referentie"),
    ],
)
def test_bad_input_is_refused_per_field(tenant_a, wijzigingen, pad):
    gevonden = fouten(tenant_a, **wijzigingen)
    assert pad in gevonden, gevonden
    assert all(isinstance(m, str) and m for m in gevonden[pad])


def test_one_month_is_enough_when_repeated(tenant_a):
    assert fouten(tenant_a, achterstand__maanden=1, achterstand__herhaald=True) == {}


def test_convenant_of_another_partner_or_inactive(tenant_a, tenant_b):
    data = api_melding(tenant_b.convenant.slug)
    uitkomst = valideer_melding(invoer_uit(data), partner=tenant_a.partner, vandaag=VANDAAG)
    assert uitkomst.geen_partner and "convenant" in uitkomst.fouten
    tenant_a.convenant.einddatum = dt.date(2025, 12, 31)
    tenant_a.convenant.save()
    uitkomst = valideer_melding(
        invoer_uit(api_melding(tenant_a.convenant.slug)), partner=tenant_a.partner, vandaag=VANDAAG
    )
    assert not uitkomst.geen_partner and "niet actief" in uitkomst.fouten["convenant"][0]


def test_nested_error_shape():
    assert genest({"huurder.geboortedatum": ["x"], "type": ["y"]}) == {
        "huurder": {"geboortedatum": ["x"]},
        "type": ["y"],
    }


def test_amount_messages_use_dutch_notation(tenant_a):
    bericht = fouten(tenant_a, achterstand__bedrag="-5.00")["achterstand.bedrag"][0]
    assert bericht == "Het achterstandsbedrag ligt tussen € 0,01 en € 100.000,00."
