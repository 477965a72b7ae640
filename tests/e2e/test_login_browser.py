"""Browser journey in Debian chromium: log in with password and TOTP, see the role's start page."""

from __future__ import annotations

import pytest
from django_otp.oath import TOTP

from tests.factories import WACHTWOORD, TOTPDeviceFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _code(device) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_login_with_second_factor_in_chromium(live_server, page):
    from tests.conftest import maak_tenant

    tenant = maak_tenant("browser")
    melder = tenant.gebruikers["melder"]
    device = TOTPDeviceFactory(user=melder)
    csp_fouten: list[str] = []
    page.on("console", lambda msg: csp_fouten.append(msg.text) if "Content Security Policy" in msg.text else None)

    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(melder.username)
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Verder").click()

    page.wait_for_url("**/inloggen/tweede-factor/")
    page.get_by_label("Code uit uw authenticator-app").fill("000000" if _code(device) != "000000" else "111111")
    page.get_by_role("button", name="Inloggen").click()
    fout = page.locator("#id_token_error")
    assert "Deze code is onjuist of verlopen" in fout.inner_text()
    assert page.get_by_label("Code uit uw authenticator-app").get_attribute("aria-describedby") == "id_token_error"

    page.get_by_label("Code uit uw authenticator-app").fill(_code(device))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Melder").is_visible()
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    nav.get_by_role("link", name="Convenanten").click()
    assert page.get_by_role("link", name=tenant.convenant.naam).is_visible()
    # The NL Design System stylesheet from npm is served and applied.
    kleur = page.evaluate("getComputedStyle(document.body).getPropertyValue('--utrecht-document-color')")
    assert kleur.strip() != ""
    assert csp_fouten == []

    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/inloggen/")
    assert page.get_by_text("U bent uitgelogd.").is_visible()


def test_first_login_sets_up_the_authenticator_in_chromium(live_server, page):
    import base64
    import re

    user = UserFactory(username="nieuwe.gebruiker")
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Verder").click()
    page.wait_for_url("**/inloggen/tweede-factor/instellen/")
    assert page.locator(".mp-qr svg").is_visible()
    geheim = page.locator("#totp-geheim").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]+=*", geheim)
    totp = TOTP(base64.b32decode(geheim))
    page.get_by_label("Code uit uw authenticator-app").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Koppelen en inloggen").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Welkom").is_visible()
