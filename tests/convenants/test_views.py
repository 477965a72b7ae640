"""Platformbeheer manages convenants in the browser; participants read their own."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from convenants.models import Convenant
from tests.factories import OrganisatieFactory

pytestmark = pytest.mark.django_db


def test_platformbeheer_creates_a_convenant(client, inloggen, platformbeheerder):
    gemeente = OrganisatieFactory(gemeente=True, naam="Gemeente Diemen")
    uitvoerder = OrganisatieFactory(uitvoerder=True, naam="MaDiZo")
    partner = OrganisatieFactory(partner=True, naam="Rochdale")
    inloggen(platformbeheerder)
    data = {
        "naam": "Convenant Diemen",
        "slug": "diemen",
        "gemeente": gemeente.pk,
        "uitvoerder": uitvoerder.pk,
        "partners": [partner.pk],
        "startdatum": "2019-01-01",
        "fg_email": "fg@diemen.nl",
        "looptijd_maanden": 12,
        "stilzwijgend_verlengen": "on",
        "verlenging_maanden": 12,
        "opzegtermijn_maanden": 3,
    }
    response = client.post(reverse("convenanten:create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    convenant = Convenant.objects.get(slug="diemen")
    detail = client.get(reverse("convenanten:detail", args=["diemen"])).content.decode()
    assert ("fg@diemen.nl" in detail and "234,00" in detail) or "234.00" in detail
    assert convenant.parameters_voor(2019).tarief_interventie == Decimal("624.00")


def test_form_errors_are_shown_per_field_in_dutch(client, inloggen, platformbeheerder):
    inloggen(platformbeheerder)
    response = client.post(reverse("convenanten:create"), {"naam": "X", "opzegtermijn_maanden": "drie"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Controleer het formulier" in html
    assert "Dit veld is vereist." in html
    assert 'aria-invalid="true"' in html
    assert not Convenant.objects.exists()


def test_service_errors_reach_the_form_fields(client, inloggen, platformbeheerder, tenant_a):
    inloggen(platformbeheerder)
    url = reverse("convenanten:parameters", args=[tenant_a.convenant.slug, dt.date.today().year + 1])
    form = client.get(url)
    assert form.status_code == 200
    data = {
        "tarief_cofinanciering": "234.00",
        "tarief_interventie": "624.00",
        "min_achterstand_maanden": 2,
        "min_achterstand_maanden_herhaald": 3,
        "bewaartermijn_uitvoerder_maanden": 12,
        "bewaartermijn_gemeente_maanden": 12,
        "bewaartermijn_partner_maanden": 12,
        "datalek_verwerker_uren": 24,
        "datalek_ap_uren": 72,
        "avg_termijn_maanden": 1,
        "avg_verlenging_max_maanden": 2,
        "avg_bezwaartermijn_weken": 6,
        "informatieplicht_maanden": 1,
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "kan het minimum niet hoger zijn" in response.content.decode()
    data["min_achterstand_maanden_herhaald"] = 1
    data["tarief_cofinanciering"] = "250.00"
    assert client.post(url, data).status_code == 302
    assert tenant_a.convenant.parameters_voor(dt.date.today().year + 1).tarief_cofinanciering == Decimal("250.00")


def test_participants_see_their_convenant_read_only(client, inloggen, tenant_a):
    inloggen(tenant_a.gebruikers["fg"])
    html = client.get(reverse("convenanten:detail", args=[tenant_a.convenant.slug])).content.decode()
    assert tenant_a.convenant.naam in html
    assert reverse("convenanten:update", args=[tenant_a.convenant.slug]) not in html


def test_notice_via_the_browser(client, inloggen, platformbeheerder, tenant_a):
    inloggen(platformbeheerder)
    url = reverse("convenanten:opzeggen", args=[tenant_a.convenant.slug])
    response = client.post(url, {"opgezegd_op": "2099-01-01"})
    assert response.status_code == 400
    assert "vandaag of eerder" in response.content.decode()
    response = client.post(url, {"opgezegd_op": dt.date.today().isoformat()})
    assert response.status_code == 302
    tenant_a.convenant.refresh_from_db()
    assert tenant_a.convenant.einddatum is not None


def test_edit_convenant(client, inloggen, platformbeheerder, tenant_a):
    inloggen(platformbeheerder)
    url = reverse("convenanten:update", args=[tenant_a.convenant.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "naam": "Hernoemd",
            "uitvoerder": tenant_a.uitvoerder.pk,
            "partners": [tenant_a.partner.pk],
            "fg_email": "fg@elders.nl",
            "looptijd_maanden": 12,
            "verlenging_maanden": 12,
            "opzegtermijn_maanden": 3,
        },
    )
    assert response.status_code == 302
    tenant_a.convenant.refresh_from_db()
    assert tenant_a.convenant.naam == "Hernoemd"
    assert not tenant_a.convenant.stilzwijgend_verlengen
