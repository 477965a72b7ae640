"""Issue 15 item 10 at intake: the form refuses hidden characters; referenties are
compared after NFKC normalisation, and indexes made before it still match."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meldingen.intake.selectors import melding_list_voor_partner
from meldingen.intake.voorbereiding import referentie_index
from meldingen.models import Melding
from meldpunt.privacy.blind import blinde_index
from tests.meldingen.helpers import maak_melding

from .test_formulier import formulier

pytestmark = pytest.mark.django_db


def test_the_form_refuses_them_too(client, inloggen, tenant_a):
    inloggen(tenant_a.gebruikers["melder"])
    response = client.post(reverse("meldingen:create"), formulier(tenant_a, straat="Dorpsstraat\u2066"))
    assert response.status_code == 400
    assert "onzichtbare besturingstekens" in response.content.decode()
    assert not Melding.objects.exists()


def test_a_referentie_is_compared_after_nfkc():
    gewoon = referentie_index(7, "RC-2026-123")
    assert referentie_index(7, "ＲＣ－２０２６－１２３") == gewoon  # full-width forms
    assert referentie_index(7, " rc-2026-123 ") == gewoon
    assert referentie_index(7, "Cafe\u0301-1") == referentie_index(7, "CAFÉ-1")  # decomposed accent
    # An ASCII referentie keeps the index it had before normalisation was added.
    assert gewoon == blinde_index("referentie", "7", "RC-2026-123")


def test_the_partner_finds_a_melding_with_a_full_width_referentie(tenant_a):
    melding = maak_melding(tenant_a, referentie="RC-NFKC-1")
    gevonden = melding_list_voor_partner(organisatie=tenant_a.partner, referentie="ＲＣ－ＮＦＫＣ－１", status="")
    assert list(gevonden) == [melding]
