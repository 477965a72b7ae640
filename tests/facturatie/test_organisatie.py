"""The invoice details of an organisation, maintained by platformbeheer on the organisation's page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.services import organisatie_update
from tests.conftest import login_verified

pytestmark = pytest.mark.django_db


def test_details_are_checked_and_normalised(tenant_a, platformbeheerder):
    org = organisatie_update(
        organisatie=tenant_a.gemeente,
        naam=tenant_a.gemeente.naam,
        actief=True,
        door=platformbeheerder,
        postadres=" Wethouder  van Essenstraat 1 ",
        postcode="1111be",
        plaats="Diemen",
        kvk_nummer="3438 9227",
        oin="00000001002306608000",
        iban="nl91 abna 0417 1643 00",
        financieel_contact="Team Financiën",
        financieel_email="financien@example.org",
    )
    org.refresh_from_db()
    assert (org.postadres, org.postcode, org.kvk_nummer, org.iban) == (
        "Wethouder van Essenstraat 1",
        "1111 BE",
        "34389227",
        "NL91ABNA0417164300",
    )
    assert org.factuurgegevens_compleet


def test_wrong_details_give_field_errors_and_store_nothing(tenant_a, platformbeheerder):
    with pytest.raises(ApplicationError) as fout:
        organisatie_update(
            organisatie=tenant_a.partner,
            naam="",
            actief=True,
            door=platformbeheerder,
            postcode="0123 XY",
            kvk_nummer="123",
            oin="12",
            iban="NL00ABNA0000000000",
            financieel_email="geen-adres",
        )
    assert set(fout.value.field_errors()) == {"naam", "postcode", "kvk_nummer", "oin", "iban", "financieel_email"}
    tenant_a.partner.refresh_from_db()
    assert tenant_a.partner.postcode == ""
    with pytest.raises(TypeError):
        organisatie_update(organisatie=tenant_a.partner, naam="X", actief=True, door=platformbeheerder, onzin="x")


def test_platformbeheer_edits_them_on_the_organisation_page(client, tenant_a, platformbeheerder):
    login_verified(client, platformbeheerder)
    url = reverse("core:organisatie_detail", args=[tenant_a.partner.pk])
    assert "KvK-nummer (niet verplicht)" in client.get(url).content.decode()
    data = {"naam": tenant_a.partner.naam, "actief": "on", "postadres": "Bijlmerdreef 1", "postcode": "1102CT"}
    assert client.post(url, {**data, "plaats": "Amsterdam", "kvk_nummer": "41200970"}).status_code == 302
    tenant_a.partner.refresh_from_db()
    assert tenant_a.partner.postcode == "1102 CT" and tenant_a.partner.factuurgegevens_compleet
    antwoord = client.post(url, {**data, "iban": "XX12"})
    assert antwoord.status_code == 400 and "Dit IBAN klopt niet" in antwoord.content.decode()
