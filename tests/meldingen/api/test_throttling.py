"""Issue 15 item 11: the intake API is rate limited per API key, with a Dutch 429."""

from __future__ import annotations

import pytest

from .conftest import URL, client_met, sleutel_voor

pytestmark = pytest.mark.django_db


def test_a_key_past_its_limit_gets_429_and_other_keys_do_not(tenant_a, tenant_b, settings):
    settings.MELDPUNT_API_VERZOEKEN = 3
    api = client_met(sleutel_voor(tenant_a)[1])
    assert [api.get(URL).status_code for _ in range(3)] == [200, 200, 200]
    response = api.get(URL)
    assert response.status_code == 429
    assert set(response.json()) == {"detail"}
    assert response.json()["detail"].startswith("Te veel verzoeken met deze sleutel.")
    assert int(response["Retry-After"]) >= 1
    # A POST counts as well and is refused before anything is stored.
    assert api.post(URL, {}, format="json").status_code == 429
    # Another key (of another organisation, or a new one of the same) has its own budget.
    assert client_met(sleutel_voor(tenant_b)[1]).get(URL).status_code == 200
    assert client_met(sleutel_voor(tenant_a)[1]).get(URL).status_code == 200
