"""Idempotency-Key (API.md): a retry answers the first response again; another body with the key gets 409."""

from __future__ import annotations

import threading
from unittest import mock

import pytest
from django.db import connection

from meldingen.api import views
from meldingen.models import IdempotentVerzoek, Melding
from tests.meldingen.helpers import api_melding

from .conftest import URL, client_met, indienen, sleutel_voor, tellingen

SLEUTEL = {"HTTP_IDEMPOTENCY_KEY": "erp-batch-2026-11-22-000123"}


@pytest.mark.django_db
def test_same_key_and_body_returns_the_first_response_and_stores_nothing_new(api_a, tenant_a):
    eerste = indienen(api_a, api_melding(tenant_a.convenant.slug), **SLEUTEL)
    assert eerste.status_code == 201
    voor = tellingen()
    tweede = indienen(api_a, api_melding(tenant_a.convenant.slug), **SLEUTEL)
    assert tweede.status_code == 201
    assert tweede.json() == eerste.json()
    assert tellingen() == voor
    assert Melding.objects.count() == 1 and IdempotentVerzoek.objects.count() == 1
    verzoek = IdempotentVerzoek.objects.get()
    assert verzoek.organisatie == tenant_a.partner and verzoek.status_code == 201
    assert str(verzoek.melding_id) == eerste.json()["id"]


@pytest.mark.django_db
def test_key_order_and_number_format_do_not_change_the_body(api_a, tenant_a):
    data = api_melding(tenant_a.convenant.slug)
    eerste = indienen(api_a, data, **SLEUTEL)
    omgekeerd = dict(reversed(list(data.items())))
    assert indienen(api_a, omgekeerd, **SLEUTEL).json()["id"] == eerste.json()["id"]


@pytest.mark.django_db
def test_a_replay_answers_even_when_the_content_would_no_longer_validate(api_a, tenant_a):
    eerste = indienen(api_a, api_melding(tenant_a.convenant.slug), **SLEUTEL)
    tenant_a.convenant.deelnames.all().delete()  # the partner left the convenant since
    herhaald = indienen(api_a, api_melding(tenant_a.convenant.slug), **SLEUTEL)
    assert herhaald.status_code == 201 and herhaald.json()["id"] == eerste.json()["id"]


@pytest.mark.django_db
def test_same_key_with_another_body_is_a_conflict(api_a, tenant_a):
    indienen(api_a, api_melding(tenant_a.convenant.slug), **SLEUTEL)
    voor = tellingen()
    ander = indienen(api_a, api_melding(tenant_a.convenant.slug, achterstand__bedrag="1400.00"), **SLEUTEL)
    assert ander.status_code == 409
    assert set(ander.json()) == {"detail"} and "Idempotency-Key" in ander.json()["detail"]
    assert tellingen() == voor


@pytest.mark.django_db
def test_a_repeat_of_earlier_content_with_a_key_answers_200_and_is_replayed_as_200(api_a, tenant_a):
    zonder = indienen(api_a, api_melding(tenant_a.convenant.slug))
    met = indienen(api_a, api_melding(tenant_a.convenant.slug), **SLEUTEL)
    opnieuw = indienen(api_a, api_melding(tenant_a.convenant.slug), **SLEUTEL)
    assert (zonder.status_code, met.status_code, opnieuw.status_code) == (201, 200, 200)
    assert zonder.json()["id"] == met.json()["id"] == opnieuw.json()["id"]


@pytest.mark.django_db
def test_keys_are_per_organisation(api_a, api_b, tenant_a, tenant_b):
    a = indienen(api_a, api_melding(tenant_a.convenant.slug), **SLEUTEL)
    b = indienen(api_b, api_melding(tenant_b.convenant.slug), **SLEUTEL)
    assert a.status_code == b.status_code == 201 and a.json()["id"] != b.json()["id"]
    assert IdempotentVerzoek.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_request_does_not_use_up_the_key(api_a, tenant_a):
    assert indienen(api_a, api_melding(tenant_a.convenant.slug, referentie=""), **SLEUTEL).status_code == 400
    assert IdempotentVerzoek.objects.count() == 0
    assert indienen(api_a, api_melding(tenant_a.convenant.slug), **SLEUTEL).status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("sleutel", ["", "x" * 256, "met spatie", "niet-ascii-é"])
def test_a_malformed_key_is_refused(api_a, tenant_a, sleutel):
    voor = tellingen()
    response = indienen(api_a, api_melding(tenant_a.convenant.slug), HTTP_IDEMPOTENCY_KEY=sleutel)
    assert response.status_code == 400 and "Idempotency-Key" in response.json()["detail"]
    assert tellingen() == voor


@pytest.mark.django_db
def test_when_a_concurrent_request_wins_the_key_the_loser_replays_it(api_a, tenant_a):
    """The unique constraint is the safety net behind the lock: the loser rolls back and replays."""
    winnaar = indienen(api_a, api_melding(tenant_a.convenant.slug), **SLEUTEL).json()
    rij = views.eerder_verzoek(tenant_a.partner, SLEUTEL["HTTP_IDEMPOTENCY_KEY"])
    # The loser did not see the winner's row before it created its melding (as if both ran at once).
    with mock.patch.object(views, "eerder_verzoek", side_effect=[None, None, rij]):
        verliezer = indienen(
            api_a, api_melding(tenant_a.convenant.slug, voortraject__herinnering_op="2026-10-02"), **SLEUTEL
        )
    assert verliezer.status_code == 409  # another body: the winner's row answers the conflict
    with mock.patch.object(views, "eerder_verzoek", side_effect=[None, None, rij]):
        gelijk = indienen(api_a, api_melding(tenant_a.convenant.slug), **SLEUTEL)
    assert gelijk.status_code == 201 and gelijk.json() == winnaar
    assert Melding.objects.count() == 1 and IdempotentVerzoek.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_the_same_key_store_one_melding(tenant_a):
    _, sleutel = sleutel_voor(tenant_a)
    data = api_melding(tenant_a.convenant.slug)
    start = threading.Barrier(2)
    antwoorden = []

    def verstuur():
        try:
            start.wait(timeout=10)
            antwoorden.append(client_met(sleutel).post(URL, data, format="json", **SLEUTEL))
        finally:
            connection.close()

    draden = [threading.Thread(target=verstuur) for _ in range(2)]
    for draad in draden:
        draad.start()
    for draad in draden:
        draad.join(timeout=60)
    assert [a.status_code for a in antwoorden] == [201, 201]
    assert antwoorden[0].json()["id"] == antwoorden[1].json()["id"]
    assert Melding.objects.count() == 1 and IdempotentVerzoek.objects.count() == 1
