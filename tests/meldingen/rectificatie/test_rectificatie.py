"""Rectification (art. 16 AVG): corrected in every melding of the dossier, validated as at intake, the blind
indexes follow, all or nothing; carried out from an AVG request through its own page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from avg.besluiten.models import Uitvoering
from avg.besluiten.services import verzoek_besluiten
from avg.besluiten.uitvoering import verzoek_uitvoeren
from avg.verzoeken.selectors import dossiers_zoeken
from meldingen.intake.models import Melding
from meldingen.intake.services import melding_gegevens
from meldingen.rectificatie.models import Rectificatie
from meldingen.rectificatie.services import RECTIFICEERBAAR, dossier_rectificeren
from meldpunt.audit.models import LogRegel
from meldpunt.core.exceptions import ApplicationError
from tests.avg.helpers import beantwoord, met_dossier, raadpleeg
from tests.conftest import login_verified
from tests.meldingen.helpers import maak_melding
from tests.persoonsgegevens import ACHTERNAAM, GEBOORTEDATUM, HUISNUMMER

pytestmark = pytest.mark.django_db

NIEUWE_NAAM = "Van der Merel"


def test_the_correctable_fields_are_the_tenants_and_the_address():
    assert set(RECTIFICEERBAAR) == {
        "huurder.achternaam",
        "huurder.voornamen",
        "huurder.voorletters",
        "huurder.geboortedatum",
        "huurder.telefoon",
        "huurder.email",
        "adres.straat",
        "adres.huisnummer",
        "adres.toevoeging",
        "adres.postcode",
        "adres.woonplaats",
    }


def test_a_correction_changes_every_melding_and_the_search_follows(tenant_a):
    cp = tenant_a.gebruikers["contactpunt"]
    eerste = maak_melding(tenant_a)
    tweede = maak_melding(tenant_a, achterstand__bedrag="2100.00")  # a vervolgmelding: same dossier
    dossier = eerste.dossier
    assert tweede.dossier_id == dossier.pk
    verzoek, _ = met_dossier(tenant_a, ["rectificatie"])

    def gevonden(**zoek):
        return {k.dossier.pk for k in dossiers_zoeken(verzoek=verzoek, gebruiker=cp, **zoek)}

    assert dossier.pk in gevonden(achternaam=ACHTERNAAM, geboortedatum=GEBOORTEDATUM)
    rectificatie = dossier_rectificeren(
        dossier=dossier,
        door=cp,
        wijzigingen={"huurder.achternaam": NIEUWE_NAAM, "adres.postcode": "1112 AC"},
        bron="avg_verzoek",
        bron_id=str(verzoek.pk),
    )
    assert rectificatie.velden == ["adres.postcode", "huurder.achternaam"]
    for melding in Melding.objects.filter(dossier=dossier):
        gegevens = melding_gegevens(melding)
        assert gegevens["huurder"]["achternaam"] == NIEUWE_NAAM
        assert gegevens["adres"]["postcode"] == "1112 AC"
        assert gegevens["huurder"]["geboortedatum"] == GEBOORTEDATUM.isoformat()  # the rest unchanged
    assert dossier.pk in gevonden(achternaam=NIEUWE_NAAM, geboortedatum=GEBOORTEDATUM)
    assert dossier.pk not in gevonden(achternaam=ACHTERNAAM, geboortedatum=GEBOORTEDATUM)
    assert dossier.pk in gevonden(postcode="1112AC", huisnummer=str(HUISNUMMER), toevoeging="A")
    assert dossier.pk not in gevonden(postcode="1111AB", huisnummer=str(HUISNUMMER), toevoeging="A")
    assert LogRegel.objects.filter(object_id=str(dossier.pk), actie="wijzigen", doel="afhandeling AVG-verzoek").exists()


def test_invalid_values_give_field_errors_and_change_nothing(tenant_a):
    cp = tenant_a.gebruikers["contactpunt"]
    dossier = maak_melding(tenant_a).dossier
    voor = bytes(Melding.objects.get(dossier=dossier).gegevens)
    with pytest.raises(ApplicationError) as fout:
        dossier_rectificeren(
            dossier=dossier,
            door=cp,
            wijzigingen={"huurder.achternaam": "", "huurder.telefoon": "12", "adres.woonplaats": "Diemen-Noord"},
            bron="avg_verzoek",
        )
    assert set(fout.value.extra) == {"achternaam", "telefoon"}
    assert bytes(Melding.objects.get(dossier=dossier).gegevens) == voor
    assert not Rectificatie.objects.exists()
    with pytest.raises(ApplicationError) as fout:  # a house number that is not a number: a field error, no crash
        dossier_rectificeren(
            dossier=dossier,
            door=cp,
            wijzigingen={"adres.huisnummer": "12a", "huurder.geboortedatum": "31-02-1980"},
            bron="avg_verzoek",
        )
    assert set(fout.value.extra) == {"huisnummer", "geboortedatum"}
    with pytest.raises(ApplicationError) as fout:
        dossier_rectificeren(dossier=dossier, door=cp, wijzigingen={"adres.huisnummer": ""}, bron="avg_verzoek")
    assert fout.value.extra == {"huisnummer": ["Vul het huisnummer in."]}
    assert bytes(Melding.objects.get(dossier=dossier).gegevens) == voor
    with pytest.raises(ApplicationError, match="niet worden gecorrigeerd"):
        dossier_rectificeren(dossier=dossier, door=cp, wijzigingen={"referentie": "X"}, bron="avg_verzoek")
    with pytest.raises(ApplicationError, match="niets veranderd"):
        dossier_rectificeren(dossier=dossier, door=cp, wijzigingen={"huurder.achternaam": ACHTERNAAM}, bron="x")


def test_only_the_contactpunt_of_the_convenants_gemeente(tenant_a, tenant_b):
    dossier = maak_melding(tenant_a).dossier
    for door in (tenant_b.gebruikers["contactpunt"], tenant_a.gebruikers["teamleider"], tenant_a.gebruikers["fg"]):
        with pytest.raises(ApplicationError, match="contactpunt"):
            dossier_rectificeren(dossier=dossier, door=door, wijzigingen={"huurder.voornamen": "Jan"}, bron="x")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    naam=st.text(alphabet="abcdefghijklmnopqrstuvwxyzéëï -'", min_size=2, max_size=40).filter(
        lambda s: s.strip() and s.strip()[0].isalpha()
    ),
    geboren=st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2004, 12, 31)),
)
def test_a_valid_correction_round_trips(tenant_a, naam, geboren):
    dossier = Melding.objects.filter(partner=tenant_a.partner).first()
    dossier = dossier.dossier if dossier else maak_melding(tenant_a).dossier
    huidig = melding_gegevens(Melding.objects.filter(dossier=dossier).first())["huurder"]
    if huidig["achternaam"] == naam.strip() and huidig["geboortedatum"] == geboren.isoformat():
        return
    dossier_rectificeren(
        dossier=dossier,
        door=tenant_a.gebruikers["contactpunt"],
        wijzigingen={"huurder.achternaam": naam, "huurder.geboortedatum": geboren},
        bron="test",
    )
    gegevens = melding_gegevens(Melding.objects.filter(dossier=dossier).first())["huurder"]
    assert gegevens["achternaam"] == naam.strip() and gegevens["geboortedatum"] == geboren.isoformat()


def test_the_page_of_the_contactpunt_and_carrying_out(client, tenant_a, tenant_b):
    verzoek, dossier = met_dossier(tenant_a, ["rectificatie"])
    cp = tenant_a.gebruikers["contactpunt"]
    url = reverse("rectificatie:corrigeren", kwargs={"pk": verzoek.pk, "dossier_id": dossier.pk})
    login_verified(client, cp)
    assert url in client.get(reverse("verzoeken:detail", kwargs={"pk": verzoek.pk})).content.decode()
    pagina = client.get(url).content.decode()
    assert ACHTERNAAM in pagina  # pre-filled with the current data
    assert LogRegel.objects.filter(object_id=str(dossier.pk), actie="bekijken", doel="afhandeling AVG-verzoek").exists()
    formulier = {"achternaam": ACHTERNAAM, "geboortedatum": GEBOORTEDATUM.isoformat(), "toelichting": ""}
    huidig = melding_gegevens(Melding.objects.get(dossier=dossier))
    for groep in ("huurder", "adres"):
        for veld, waarde in huidig[groep].items():
            formulier.setdefault(veld, "" if waarde is None else waarde)
    fout = client.post(url, formulier | {"telefoon": "12"})
    assert fout.status_code == 400 and "telefoon" in fout.content.decode().lower()
    klaar = client.post(url, formulier | {"achternaam": NIEUWE_NAAM, "toelichting": "Naam volgens paspoort"})
    assert klaar.status_code == 302
    detail = client.get(reverse("verzoeken:detail", kwargs={"pk": verzoek.pk})).content.decode()
    assert "1 gegeven(s) gecorrigeerd" in detail and "Naam volgens paspoort" in detail

    login_verified(client, tenant_b.gebruikers["contactpunt"])
    assert client.get(url).status_code == 404
    login_verified(client, tenant_a.gebruikers["fg"])
    assert client.get(url).status_code == 403

    for r in raadpleeg(tenant_a, verzoek):
        beantwoord(tenant_a, r)
    verzoek_besluiten(verzoek=verzoek, door=cp)
    verzoek_uitvoeren(verzoek=verzoek, door=cp)
    uitvoering = Uitvoering.objects.get(verzoek=verzoek, soort="rectificatie")
    assert uitvoering.stand == "uitgevoerd" and uitvoering.toelichting == "1 gegeven(s) gecorrigeerd"
    login_verified(client, cp)
    assert client.get(url).status_code == 404  # the request is closed
