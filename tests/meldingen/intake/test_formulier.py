"""The melder's browser form, list and detail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from meldingen.ddas import Signaalstatus
from meldingen.models import Dossier, Melding
from meldpunt.audit.models import LogRegel
from tests.meldingen.helpers import maak_melding
from tests.persoonsgegevens import ACHTERNAAM, STRAAT

pytestmark = pytest.mark.django_db


def formulier(tenant, **wijzigingen):
    vandaag = dt.date.today()
    data = {
        "convenant": tenant.convenant.slug,
        "type": "VEO",
        "referentie": "RC-1",
        "achternaam": ACHTERNAAM,
        "voornamen": "Pieternella",
        "voorletters": "",
        "geboortedatum": "1980-05-17",
        "telefoon": "06 1234 5678",
        "email": "",
        "straat": STRAAT,
        "huisnummer": "104",
        "toevoeging": "",
        "postcode": "1111ab",
        "woonplaats": "Diemen",
        "minderjarige_kinderen": "1",
        "achterstand_bedrag": "1.300,00",
        "achterstand_maanden": "2",
        "maandhuur": "650,00",
        "herinnering_op": (vandaag - dt.timedelta(days=30)).isoformat(),
        "contactpoging_op": (vandaag - dt.timedelta(days=20)).isoformat(),
        "informatie_doorgifte_op": (vandaag - dt.timedelta(days=20)).isoformat(),
        "vonnisdatum": "",
        "ontruimingsdatum": "",
    }
    data.update(wijzigingen)
    return data


def test_melder_submits_and_sees_the_confirmation(client, inloggen, tenant_a):
    inloggen(tenant_a.gebruikers["melder"])
    form = client.get(reverse("meldingen:create")).content.decode()
    assert tenant_a.convenant.naam in form
    response = client.post(reverse("meldingen:create"), formulier(tenant_a))
    assert response.status_code == 302, response.content.decode()[:3000]
    melding = Melding.objects.get()
    assert response["Location"] == reverse("meldingen:detail", args=[melding.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "De melding is ontvangen." in detail
    assert ACHTERNAAM in detail and "1111 AB" in detail and "Nog niet opgepakt" in detail
    assert Dossier.objects.get().status == "nieuw"
    assert LogRegel.objects.filter(actie="bekijken", object_id=str(melding.pk)).exists()
    # Submitting the same form again stores nothing new.
    response = client.post(reverse("meldingen:create"), formulier(tenant_a), follow=True)
    assert "al ontvangen" in response.content.decode()
    assert Melding.objects.count() == 1


def test_form_shows_rule_errors_per_field(client, inloggen, tenant_a):
    inloggen(tenant_a.gebruikers["melder"])
    response = client.post(
        reverse("meldingen:create"),
        formulier(
            tenant_a, achterstand_maanden="1", geboortedatum="2015-01-01", postcode="0000", vonnisdatum="2026-01-01"
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Te weinig achterstand" in html
    assert "ten minste 18 jaar" in html
    assert "postcode in zoals 1234 AB" in html
    assert "VEO-melding heeft geen vonnis" in html
    assert 'aria-invalid="true"' in html
    assert not Melding.objects.exists()


def test_form_offers_only_own_active_convenants(client, inloggen, tenant_a, tenant_b):
    inloggen(tenant_a.gebruikers["melder"])
    html = client.get(reverse("meldingen:create")).content.decode()
    assert tenant_b.convenant.naam not in html
    response = client.post(reverse("meldingen:create"), formulier(tenant_a, convenant=tenant_b.convenant.slug))
    assert response.status_code == 400
    assert not Melding.objects.exists()


def test_list_search_and_partner_status(client, inloggen, tenant_a, tenant_b):
    eerste = maak_melding(tenant_a, referentie="RC-1")
    tweede = maak_melding(tenant_a, referentie="RC-2")
    maak_melding(tenant_b, referentie="RC-3")
    Melding.objects.filter(pk=tweede.pk).update(status=Signaalstatus.OVERLEDEN)
    inloggen(tenant_a.gebruikers["melder"])
    html = client.get(reverse("meldingen:list")).content.decode()
    assert "RC-1" in html and "RC-2" in html and "RC-3" not in html
    assert "overleden" not in html.lower()
    assert 'data-status="niet_opgepakt"' in html
    html = client.post(reverse("meldingen:list"), {"referentie": "rc-1"}, follow=True).content.decode()
    assert "RC-1" in html and "RC-2" not in html
    html = client.get(reverse("meldingen:list"), {"status": "niet_opgepakt"}).content.decode()
    assert "RC-2" in html and "RC-1" not in html
    assert client.get(reverse("meldingen:detail", args=[eerste.pk])).status_code == 200


def test_result_is_hidden_without_consent(client, inloggen, tenant_a):
    melding = maak_melding(tenant_a)
    Dossier.objects.filter(pk=melding.dossier_id).update(
        status="afgesloten", eindresultaat="(Budget)advies en/of quick fix"
    )
    inloggen(tenant_a.gebruikers["melder"])
    html = client.get(reverse("meldingen:detail", args=[melding.pk])).content.decode()
    assert "quick fix" not in html
