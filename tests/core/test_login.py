"""Login with password + TOTP, lockout after 5 failures, first-time authenticator set-up."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import WACHTWOORD, TOTPDeviceFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("core:login")
TWEEDE = reverse("core:tweede_factor")
INSTELLEN = reverse("core:tweede_factor_instellen")


def code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset
    return f"{totp.token():06d}"


@pytest.fixture
def gebruiker():
    user = UserFactory(username="melder.test")
    TOTPDeviceFactory(user=user)
    return user


def test_login_with_password_and_second_factor(client, gebruiker):
    response = client.post(LOGIN, {"username": "melder.test", "password": WACHTWOORD})
    assert response.status_code == 302 and response["Location"] == TWEEDE
    # After the password alone the user is not logged in.
    assert client.get(reverse("core:home")).status_code == 302
    device = gebruiker.totpdevice_set.get()
    response = client.post(TWEEDE, {"token": code(device)})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    home = client.get(reverse("core:home"))
    assert home.status_code == 200
    assert "Welkom" in home.content.decode()


def test_password_alone_never_reaches_a_page(client, gebruiker):
    client.post(LOGIN, {"username": "melder.test", "password": WACHTWOORD})
    for url in [reverse("core:home"), reverse("convenanten:list"), reverse("core:gebruiker_list")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


def test_forced_login_without_second_factor_is_refused(client, gebruiker):
    client.force_login(gebruiker, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_wrong_password_gives_one_generic_message(client, gebruiker):
    response = client.post(LOGIN, {"username": "melder.test", "password": "fout"})
    assert response.status_code == 400
    assert "De combinatie van gebruikersnaam en wachtwoord is onjuist." in response.content.decode()
    response = client.post(LOGIN, {"username": "bestaat-niet", "password": "fout"})
    assert "De combinatie van gebruikersnaam en wachtwoord is onjuist." in response.content.decode()


def test_wrong_code_is_refused(client, gebruiker):
    client.post(LOGIN, {"username": "melder.test", "password": WACHTWOORD})
    device = gebruiker.totpdevice_set.get()
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    response = client.post(TWEEDE, {"token": wrong})
    assert response.status_code == 400
    assert "Deze code is onjuist of verlopen" in response.content.decode()
    response = client.post(TWEEDE, {"token": "abc"})
    assert "Vul de 6 cijfers" in response.content.decode()
    assert client.get(reverse("core:home")).status_code == 302


def test_second_step_without_first_goes_back_to_login(client, gebruiker):
    response = client.get(TWEEDE)
    assert response.status_code == 302 and response["Location"] == LOGIN


def test_lockout_after_five_wrong_passwords(client, gebruiker):
    for _ in range(4):
        assert client.post(LOGIN, {"username": "melder.test", "password": "fout"}).status_code == 400
    response = client.post(LOGIN, {"username": "melder.test", "password": "fout"})
    assert response.status_code == 429
    assert "geblokkeerd" in response.content.decode()
    # Even the right password is refused now.
    response = client.post(LOGIN, {"username": "melder.test", "password": WACHTWOORD})
    assert response.status_code == 429
    assert client.get(reverse("core:home")).status_code == 302


def test_wrong_codes_count_towards_the_lockout(client, gebruiker):
    client.post(LOGIN, {"username": "melder.test", "password": WACHTWOORD})
    device = gebruiker.totpdevice_set.get()
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    statuses = [client.post(TWEEDE, {"token": wrong}).status_code for _ in range(5)]
    assert statuses[-1] == 429
    assert client.post(TWEEDE, {"token": code(device)}).status_code in (302, 429)
    assert client.get(reverse("core:home")).status_code == 302
    assert client.post(LOGIN, {"username": "melder.test", "password": WACHTWOORD}).status_code == 429


def test_lockout_is_per_account_and_can_be_lifted(client, gebruiker, platformbeheerder, inloggen):
    ander = UserFactory(username="ander")
    TOTPDeviceFactory(user=ander)
    for _ in range(5):
        client.post(LOGIN, {"username": "melder.test", "password": "fout"})
    assert client.post(LOGIN, {"username": "ander", "password": WACHTWOORD}).status_code == 302
    client.logout()
    inloggen(platformbeheerder)
    response = client.post(reverse("core:gebruiker_actie", args=[gebruiker.pk, "ontgrendelen"]))
    assert response.status_code == 302
    client.logout()
    assert client.post(LOGIN, {"username": "melder.test", "password": WACHTWOORD}).status_code == 302


def test_first_login_sets_up_the_authenticator(client):
    user = UserFactory(username="nieuw")
    response = client.post(LOGIN, {"username": "nieuw", "password": WACHTWOORD})
    assert response["Location"] == INSTELLEN
    page = client.get(INSTELLEN)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html
    geheim = re.search(r'id="totp-geheim">([A-Z2-7]+)<', html).group(1)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    import base64

    assert base64.b32decode(geheim) == device.bin_key
    response = client.post(INSTELLEN, {"token": "000000" if code(device) != "000000" else "111111"})
    assert response.status_code == 400
    response = client.post(INSTELLEN, {"token": code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:home")).status_code == 200


def test_login_redirects_to_next(client, gebruiker):
    client.post(f"{LOGIN}?next=/convenanten/", {"username": "melder.test", "password": WACHTWOORD})
    response = client.post(TWEEDE, {"token": code(gebruiker.totpdevice_set.get())})
    assert response["Location"] == "/convenanten/"


def test_login_ignores_foreign_next(client, gebruiker):
    client.post(f"{LOGIN}?next=https://evil.example/", {"username": "melder.test", "password": WACHTWOORD})
    response = client.post(TWEEDE, {"token": code(gebruiker.totpdevice_set.get())})
    assert response["Location"] == reverse("core:home")


def test_inactive_organisation_cannot_log_in(client, gebruiker):
    gebruiker.organisatie.actief = False
    gebruiker.organisatie.save()
    response = client.post(LOGIN, {"username": "melder.test", "password": WACHTWOORD})
    assert response.status_code == 400


def test_logout_requires_post_and_ends_the_session(client, gebruiker, inloggen):
    inloggen(gebruiker)
    # A GET asks first (a page with the logout button); only the POST logs out.
    assert client.get(reverse("core:logout")).status_code == 200
    assert client.get(reverse("core:home")).status_code == 200
    assert client.post(reverse("core:logout")).status_code == 302
    assert client.get(reverse("core:home")).status_code == 302
