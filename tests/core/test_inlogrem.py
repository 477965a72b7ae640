"""Issue 15 item 11: nobody can lock a known account out at will; one address cannot spray passwords."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import WACHTWOORD, TOTPDeviceFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("core:login")
AANVALLER = "203.0.113.66"
KANTOOR = "198.51.100.7"


@pytest.fixture
def gebruiker():
    user = UserFactory(username="melder.doelwit")
    TOTPDeviceFactory(user=user)
    return user


def poging(client, username, wachtwoord, adres):
    return client.post(LOGIN, {"username": username, "password": wachtwoord}, REMOTE_ADDR=adres)


def test_a_known_username_is_not_locked_out_from_elsewhere(client, gebruiker):
    for _ in range(5):
        poging(client, "melder.doelwit", "fout", AANVALLER)
    # The attacker's address is locked for this account ...
    response = poging(client, "melder.doelwit", WACHTWOORD, AANVALLER)
    assert response.status_code == 429 and "geblokkeerd" in response.content.decode()
    # ... but its owner, from the office, still logs in.
    assert poging(client, "melder.doelwit", WACHTWOORD, KANTOOR).status_code == 302


def test_one_address_trying_many_accounts_is_throttled(client, gebruiker, settings):
    settings.MELDPUNT_INLOG_MISLUKT_PER_ADRES = 8
    for i in range(8):  # password spraying: one attempt per (partly non-existent) account
        assert poging(client, f"gebruiker{i}", "Welkom2026!", AANVALLER).status_code == 400
    response = poging(client, "melder.doelwit", WACHTWOORD, AANVALLER)
    assert response.status_code == 429
    assert "Te veel inlogpogingen" in response.content.decode()
    assert poging(client, "melder.doelwit", WACHTWOORD, KANTOOR).status_code == 302


def test_lifting_a_lockout_still_works(client, gebruiker, platformbeheerder, inloggen):
    for _ in range(5):
        client.post(LOGIN, {"username": "melder.doelwit", "password": "fout"})
    assert client.post(LOGIN, {"username": "melder.doelwit", "password": WACHTWOORD}).status_code == 429
    inloggen(platformbeheerder)
    assert client.post(reverse("core:gebruiker_actie", args=[gebruiker.pk, "ontgrendelen"])).status_code == 302
    client.logout()
    assert client.post(LOGIN, {"username": "melder.doelwit", "password": WACHTWOORD}).status_code == 302
