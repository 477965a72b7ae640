"""A new melding for a tenancy whose open dossier is restricted (DOMAIN.md rule 4; issue 15, item 5):
accepted and kept apart, the dossier unchanged and not revealed, until the restriction is lifted
(docs/intake.md, ADR 0017)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from meldingen.afscherming.services import afscherming_opheffen
from meldingen.models import Dossier, Melding
from tests.meldingen.helpers import api_melding, geclaimd_dossier, scherm_af

from .conftest import indienen

pytestmark = pytest.mark.django_db

HOGER = {"achterstand": {"bedrag": "2600.00", "maanden": 4, "herhaald": True, "maandhuur": "650.00"}}


def _bevroren(dossier: Dossier) -> tuple:
    dossier.refresh_from_db()
    return (dossier.achterstand_bedrag, dossier.herhaald, dossier.status, dossier.behandelaar_id)


def test_a_melding_for_a_restricted_tenancy_is_kept_apart_and_reveals_nothing(api_a, tenant_a):
    dossier = geclaimd_dossier(tenant_a)  # status "opgepakt" for the Partner
    voor = _bevroren(dossier)
    afscherming = scherm_af(tenant_a, dossier)

    response = indienen(api_a, api_melding(tenant_a.convenant.slug, **HOGER))
    assert response.status_code == 201, response.json()
    body = response.json()
    # The answer of a melding that opens a new dossier: neither the hidden dossier's status nor its existence.
    assert body["status"] == "nog_niet_opgepakt" and body["vervolgmelding"] is False
    melding = Melding.objects.get(pk=body["id"])
    assert melding.afgezonderd and not melding.vervolgmelding
    assert _bevroren(dossier) == voor  # arrears, repeat flag, status and behandelaar unchanged
    assert Dossier.objects.count() == 1  # no second dossier for the tenancy either
    # Like the tenancy's other meldingen, hidden from the Partner while restricted.
    assert api_a.get(response["Location"]).status_code == 404

    # The same content again is "al ontvangen", still apart.
    herhaald = indienen(api_a, api_melding(tenant_a.convenant.slug, **HOGER))
    assert herhaald.status_code == 200 and herhaald.json()["id"] == body["id"]

    afscherming_opheffen(afscherming=afscherming, door=tenant_a.gebruikers["contactpunt"])
    melding.refresh_from_db()
    assert melding.vervolgmelding and not melding.afgezonderd
    dossier.refresh_from_db()
    assert dossier.achterstand_bedrag == Decimal("2600.00") and dossier.herhaald
    assert api_a.get(response["Location"]).status_code == 200


def test_a_melding_for_a_tenancy_without_restriction_still_becomes_a_vervolgmelding(api_a, tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    body = indienen(api_a, api_melding(tenant_a.convenant.slug, **HOGER)).json()
    assert body["vervolgmelding"] is True and body["status"] == "opgepakt"
    dossier.refresh_from_db()
    assert dossier.achterstand_bedrag == Decimal("2600.00")


def test_lifting_one_of_two_restrictions_keeps_the_melding_apart(api_a, tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    beperking = scherm_af(tenant_a, dossier, "beperking")
    scherm_af(tenant_a, dossier, "bezwaar")
    body = indienen(api_a, api_melding(tenant_a.convenant.slug, **HOGER)).json()
    afscherming_opheffen(afscherming=beperking, door=tenant_a.gebruikers["contactpunt"])
    assert Melding.objects.get(pk=body["id"]).afgezonderd
    dossier.refresh_from_db()
    assert dossier.achterstand_bedrag == Decimal("1300.00")
