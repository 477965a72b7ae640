"""Pages and API answers with personal data send ``Cache-Control: no-store`` (a shared or back-button cache
would otherwise keep a tenant's data after logout)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.meldingen.helpers import maak_melding

pytestmark = pytest.mark.django_db


def test_a_dossier_page_is_not_stored(client, inloggen, tenant_a):
    dossier = maak_melding(tenant_a).dossier
    inloggen(tenant_a.gebruikers["teamleider"])
    response = client.get(reverse("meldingen:dossier", args=[dossier.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"


def test_an_api_answer_with_a_key_is_not_stored(client, tenant_a):
    from meldingen.tokens.services import api_token_create

    _, sleutel = api_token_create(organisatie=tenant_a.partner, naam="cache")
    response = client.get("/api/v1/meldingen/", HTTP_AUTHORIZATION=f"Bearer {sleutel}")
    assert response["Cache-Control"] == "no-store"
