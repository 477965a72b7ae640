"""Fixtures of the API tests: a fixed today (2026-11-22), API keys and clients that carry them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from rest_framework.test import APIClient

from meldingen.models import ApiToken, Dossier, IdempotentVerzoek, Melding
from meldingen.tokens.services import api_token_create
from meldpunt.privacy.models import DataSleutel
from tests.conftest import Tenant

URL = "/api/v1/meldingen/"


@pytest.fixture(autouse=True)
def vaste_datum() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


def sleutel_voor(tenant: Tenant) -> tuple[ApiToken, str]:
    return api_token_create(organisatie=tenant.partner, naam="ERP-koppeling", door=tenant.gebruikers["partner_beheer"])


def client_met(sleutel: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {sleutel}")
    return client


@pytest.fixture
def api_a(tenant_a: Tenant) -> APIClient:
    """A machine client of tenant_a's Partner."""
    return client_met(sleutel_voor(tenant_a)[1])


@pytest.fixture
def api_b(tenant_b: Tenant) -> APIClient:
    return client_met(sleutel_voor(tenant_b)[1])


def tellingen() -> dict[str, int]:
    """What a refused request must leave unchanged."""
    return {
        "meldingen": Melding.objects.count(),
        "dossiers": Dossier.objects.count(),
        "datasleutels": DataSleutel.objects.count(),
        "idempotent": IdempotentVerzoek.objects.count(),
    }


def indienen(client: APIClient, data: Any, **headers: str) -> Any:
    return client.post(URL, data, format="json", **headers)
