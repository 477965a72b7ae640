"""Issue 15 item 10 in the API: hidden characters are refused with field-level Dutch errors."""

from __future__ import annotations

import pytest

from meldpunt.core.invoercontrole import BERICHT_BESTURING, BERICHT_LEEG
from tests.meldingen.helpers import api_melding

from .conftest import indienen, tellingen

pytestmark = pytest.mark.django_db


def test_the_api_refuses_hidden_characters_per_field(api_a, tenant_a):
    voor = tellingen()
    data = api_melding(
        tenant_a.convenant.slug,
        referentie="RC-1\u202e321",
        huurder__achternaam="\u200b",
        adres__woonplaats="Diemen\x1b[2J",
    )
    response = indienen(api_a, data)
    assert response.status_code == 400
    fouten = response.json()
    assert fouten["referentie"] == [BERICHT_BESTURING]
    assert fouten["huurder"]["achternaam"] == [BERICHT_LEEG]
    assert fouten["adres"]["woonplaats"] == [BERICHT_BESTURING]
    assert tellingen() == voor
