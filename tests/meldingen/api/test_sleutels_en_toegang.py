"""API keys (create once, hash only, revoke, command, browser pages) and who may call the API."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from rest_framework.test import APIClient

from meldingen.models import ApiToken, Melding
from meldingen.tokens.services import api_token_create, api_token_intrekken
from meldpunt.audit.models import LogRegel
from meldpunt.core.exceptions import ApplicationError
from tests.conftest import login_verified
from tests.factories import OrganisatieFactory
from tests.meldingen.helpers import api_melding

from .conftest import URL, client_met, indienen, sleutel_voor

pytestmark = pytest.mark.django_db


# --- keys ---------------------------------------------------------------------------------------------
def test_a_key_is_random_and_only_its_hash_and_prefix_are_stored(tenant_a):
    token, sleutel = sleutel_voor(tenant_a)
    _, andere = sleutel_voor(tenant_a)
    assert len(sleutel) >= 43 and sleutel != andere
    token.refresh_from_db()
    assert token.sleutel_hash == hashlib.sha256(sleutel.encode()).hexdigest()
    assert token.prefix == sleutel[:8]
    rij = repr(ApiToken.objects.filter(pk=token.pk).values().get())
    assert sleutel not in rij
    regel = LogRegel.objects.get(object_type="meldingen.apitoken", object_id=str(token.pk))
    assert regel.actie == "aanmaken" and regel.gebruiker == tenant_a.gebruikers["partner_beheer"]
    assert regel.organisatie_id == tenant_a.partner.pk


def test_only_the_own_partner_beheer_creates_keys_and_only_for_a_partner(tenant_a, tenant_b):
    with pytest.raises(ApplicationError):
        api_token_create(organisatie=tenant_b.partner, naam="x", door=tenant_a.gebruikers["partner_beheer"])
    with pytest.raises(ApplicationError):
        api_token_create(organisatie=tenant_a.partner, naam="x", door=tenant_a.gebruikers["melder"])
    with pytest.raises(ApplicationError):
        api_token_create(organisatie=tenant_a.gemeente, naam="x")
    with pytest.raises(ApplicationError) as exc:
        api_token_create(organisatie=tenant_a.partner, naam="  ", door=tenant_a.gebruikers["partner_beheer"])
    assert "naam" in exc.value.extra
    assert not ApiToken.objects.exists()


def test_a_valid_key_is_accepted_and_its_use_recorded_at_most_once_a_minute(tenant_a):
    token, sleutel = sleutel_voor(tenant_a)
    client = client_met(sleutel)
    assert client.get(URL).status_code == 200
    token.refresh_from_db()
    eerst = token.laatst_gebruikt_op
    assert eerst is not None
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, 0, 30, tzinfo=dt.UTC), tick=False):
        client.get(URL)
    token.refresh_from_db()
    assert token.laatst_gebruikt_op == eerst
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, 2, tzinfo=dt.UTC), tick=False):
        client.get(URL)
    token.refresh_from_db()
    assert token.laatst_gebruikt_op > eerst


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Token",
        "Token onbekende-sleutel",
        "Token twee delen",
        "Token " + "x" * 500,
        "Bearer iets",
        "Basic dXNlcjpwYXNz",
    ],
)
def test_no_or_a_bad_key_gets_401_with_www_authenticate(tenant_a, header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    for response in (client.get(URL), client.post(URL, api_melding(tenant_a.convenant.slug), format="json")):
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        assert set(response.json()) == {"detail"}
    assert not Melding.objects.exists()


def test_a_revoked_key_gets_401(tenant_a):
    token, sleutel = sleutel_voor(tenant_a)
    client = client_met(sleutel)
    assert client.get(URL).status_code == 200
    api_token_intrekken(token=token, door=tenant_a.gebruikers["partner_beheer"])
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "Ongeldige of ingetrokken API-sleutel."}
    assert indienen(client, api_melding(tenant_a.convenant.slug)).status_code == 401
    regel = LogRegel.objects.get(object_type="meldingen.apitoken", object_id=str(token.pk), actie="wijzigen")
    assert regel.gebruiker == tenant_a.gebruikers["partner_beheer"]
    with pytest.raises(ApplicationError):
        api_token_intrekken(token=token, door=tenant_a.gebruikers["partner_beheer"])


def test_a_key_of_a_deactivated_organisation_gets_401(tenant_a):
    _, sleutel = sleutel_voor(tenant_a)
    tenant_a.partner.actief = False
    tenant_a.partner.save()
    assert client_met(sleutel).get(URL).status_code == 401


def test_a_key_whose_organisation_is_no_partner_gets_401(tenant_a):
    token, sleutel = sleutel_voor(tenant_a)
    ApiToken.objects.filter(pk=token.pk).update(organisatie=OrganisatieFactory(uitvoerder=True))
    assert client_met(sleutel).get(URL).status_code == 401


# --- management command -------------------------------------------------------------------------------
def test_the_command_prints_only_the_key(tenant_a):
    uit, fout = StringIO(), StringIO()
    call_command("create_api_token", tenant_a.partner.slug, "--naam", "ERP", stdout=uit, stderr=fout)
    sleutel = uit.getvalue()
    assert sleutel.endswith("\n") and sleutel.count("\n") == 1
    sleutel = sleutel.strip()
    assert fout.getvalue() == ""
    token = ApiToken.objects.get()
    assert token.naam == "ERP" and token.sleutel_hash == hashlib.sha256(sleutel.encode()).hexdigest()
    assert token.aangemaakt_door is None
    assert LogRegel.objects.get(object_type="meldingen.apitoken").herkomst == "beheer-commando"
    assert client_met(sleutel).get(URL).status_code == 200


def test_the_command_refuses_unknown_and_non_partner_organisations(tenant_a):
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("create_api_token", "bestaat-niet", stdout=StringIO())
    with pytest.raises(CommandError, match="partnerorganisatie"):
        call_command("create_api_token", tenant_a.gemeente.slug, stdout=StringIO())
    assert not ApiToken.objects.exists()


# --- browser sessions on the API ----------------------------------------------------------------------
def test_a_verified_melder_session_may_use_the_api_with_csrf(client, tenant_a):
    gebruiker = tenant_a.gebruikers["melder"]
    login_verified(client, gebruiker)
    assert client.get(URL).status_code == 200
    csrf_client = Client(enforce_csrf_checks=True)
    login_verified(csrf_client, gebruiker)
    zonder_csrf = csrf_client.post(URL, api_melding(tenant_a.convenant.slug), content_type="application/json")
    assert zonder_csrf.status_code == 403 and "CSRF" in zonder_csrf.json()["detail"]
    csrf_client.get("/")  # sets the CSRF cookie
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(
        URL, api_melding(tenant_a.convenant.slug), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201, response.json()
    melding = Melding.objects.get()
    assert melding.ingediend_door == gebruiker and melding.api_token is None


@pytest.mark.parametrize(
    "rol", ["partner_beheer", "hulpverlener", "teamleider", "gemeente_medewerker", "contactpunt", "fg", "financien"]
)
def test_other_roles_are_forbidden(client, tenant_a, rol):
    """partner_beheer included: it manages the keys, but reads no meldingen, in the API as in the screens."""
    login_verified(client, tenant_a.gebruikers[rol])
    assert client.get(URL).status_code == 403
    response = client.post(URL, api_melding(tenant_a.convenant.slug), content_type="application/json")
    assert response.status_code == 403
    assert not Melding.objects.exists()


def test_a_session_without_the_second_factor_counts_as_not_logged_in(client, tenant_a):
    login_verified(client, tenant_a.gebruikers["melder"])
    session = client.session
    del session[DEVICE_ID_SESSION_KEY]
    session.save()
    response = client.get(URL)
    assert response.status_code == 401
    assert client.post(URL, api_melding(tenant_a.convenant.slug), content_type="application/json").status_code == 401


def test_anonymous_gets_401_not_a_login_redirect(client):
    response = client.get(URL)
    assert response.status_code == 401 and response["Content-Type"] == "application/json"


# --- browser pages for partner_beheer -----------------------------------------------------------------
def test_partner_beheer_creates_a_key_that_is_shown_once(client, tenant_a):
    login_verified(client, tenant_a.gebruikers["partner_beheer"])
    assert client.get("/api-sleutels/nieuw/").status_code == 200
    response = client.post("/api-sleutels/nieuw/", {"naam": "ERP-koppeling"})
    # Post/redirect/get: the page that shows the key is a GET of its own.
    token = ApiToken.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/api-sleutels/{token.pk}/nieuw/"
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    sleutel = html.split('id="sleutel" value="')[1].split('"')[0]
    assert hashlib.sha256(sleutel.encode()).hexdigest() == token.sleutel_hash
    assert token.aangemaakt_door == tenant_a.gebruikers["partner_beheer"]
    # Refreshing that page neither shows the key again nor makes a second one.
    opnieuw = client.get(f"/api-sleutels/{token.pk}/nieuw/", follow=True)
    assert sleutel not in opnieuw.content.decode() and "al getoond" in opnieuw.content.decode()
    assert ApiToken.objects.count() == 1
    # The session never held the key in the clear.
    from django.contrib.sessions.models import Session

    assert all(sleutel not in str(s.get_decoded()) for s in Session.objects.all())
    for pagina in ("/api-sleutels/", f"/api-sleutels/{token.pk}/"):
        inhoud = client.get(pagina).content.decode()
        assert token.prefix in inhoud and "ERP-koppeling" in inhoud
        assert sleutel not in inhoud
    assert client_met(sleutel).get(URL).status_code == 200


def test_an_empty_name_is_refused_in_the_form(client, tenant_a):
    login_verified(client, tenant_a.gebruikers["partner_beheer"])
    response = client.post("/api-sleutels/nieuw/", {"naam": ""})
    assert response.status_code == 400 and not ApiToken.objects.exists()


def test_partner_beheer_revokes_a_key(client, tenant_a):
    token, sleutel = sleutel_voor(tenant_a)
    login_verified(client, tenant_a.gebruikers["partner_beheer"])
    response = client.post(f"/api-sleutels/{token.pk}/intrekken/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.ingetrokken_op is not None
    assert "ingetrokken op" in client.get(f"/api-sleutels/{token.pk}/").content.decode()
    assert client_met(sleutel).get(URL).status_code == 401
    tweede = client.post(f"/api-sleutels/{token.pk}/intrekken/", follow=True)
    assert "al ingetrokken" in tweede.content.decode()


def test_another_organisations_keys_are_invisible(client, tenant_a, tenant_b):
    eigen, _ = sleutel_voor(tenant_a)
    ander, sleutel_b = sleutel_voor(tenant_b)
    login_verified(client, tenant_a.gebruikers["partner_beheer"])
    lijst = client.get("/api-sleutels/").content.decode()
    assert eigen.prefix in lijst and ander.prefix not in lijst
    assert client.get(f"/api-sleutels/{ander.pk}/").status_code == 404
    assert client.post(f"/api-sleutels/{ander.pk}/intrekken/").status_code == 404
    ander.refresh_from_db()
    assert ander.ingetrokken_op is None
    assert client_met(sleutel_b).get(URL).status_code == 200


def test_the_menu_shows_api_keys_to_partner_beheer_only(client, tenant_a):
    login_verified(client, tenant_a.gebruikers["partner_beheer"])
    assert 'href="/api-sleutels/"' in client.get("/").content.decode()
    client.logout()
    login_verified(client, tenant_a.gebruikers["melder"])
    assert 'href="/api-sleutels/"' not in client.get("/").content.decode()
    assert client.get("/api-sleutels/").status_code == 403
