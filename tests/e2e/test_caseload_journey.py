"""Browser journey in Debian chromium: a melder submits, a hulpverlener claims, works and closes the dossier,
a second hulpverlener cannot claim it, and the melder sees the signal status "Opgepakt"."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django_otp.oath import TOTP

from tests.conftest import maak_tenant
from tests.factories import WACHTWOORD, TOTPDeviceFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def inloggen(page, base: str, gebruiker) -> None:
    device = gebruiker.totpdevice_set.first() or TOTPDeviceFactory(user=gebruiker)
    page.goto(f"{base}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(gebruiker.username)
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Verder").click()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    device.refresh_from_db()
    while totp.t() <= device.last_t:  # a code is accepted once: wait for the next one (replay protection)
        time.sleep(0.5)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    code = totp.token()
    page.get_by_label("Code uit uw authenticator-app").fill(f"{code:06d}")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}/")


def uitloggen(page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/inloggen/")


def test_melding_to_closed_dossier(live_server, page):
    base = live_server.url
    tenant = maak_tenant("reis")
    tweede = UserFactory(username="hulpverlener2.reis", organisatie=tenant.uitvoerder, rollen=["hulpverlener"])
    vandaag = dt.date.today()

    # 1. The melder submits a melding in the browser.
    inloggen(page, base, tenant.gebruikers["melder"])
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Melding indienen").click()
    page.get_by_label("Referentie (uw contractnummer)").fill("RC-REIS-1")
    page.get_by_label("Achternaam").fill("Reiziger")
    page.get_by_label("Voornamen").fill("Roos")
    page.get_by_label("Geboortedatum").fill("1975-04-03")
    page.get_by_label("Straat").fill("Stationsplein")
    page.get_by_label("Huisnummer").fill("1")
    page.get_by_label("Postcode").fill("1111 AB")
    page.get_by_label("Woonplaats").fill("Diemen")
    page.get_by_label("Aantal minderjarige kinderen").fill("1")
    page.get_by_label("Achterstand (euro)").fill("1.300,00")
    page.get_by_label("Achterstand in maanden").fill("2")
    page.get_by_label("Maandhuur (euro)").fill("650,00")
    page.get_by_label("Schriftelijke herinnering verstuurd op").fill((vandaag - dt.timedelta(days=30)).isoformat())
    page.get_by_label("Persoonlijk contact geprobeerd op").fill((vandaag - dt.timedelta(days=20)).isoformat())
    page.get_by_label("Huurder geïnformeerd over doorgifte op").fill((vandaag - dt.timedelta(days=20)).isoformat())
    page.get_by_role("button", name="Melding versturen").click()
    page.wait_for_url("**/meldingen/*/")
    assert page.get_by_text("De melding is ontvangen.").is_visible()
    assert page.locator("[data-status]").first.inner_text() == "Nog niet opgepakt"
    melding_url = page.url
    uitloggen(page)

    # 2. The hulpverlener claims it from the queue, logs two attempts and closes it.
    inloggen(page, base, tenant.gebruikers["hulpverlener"])
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Wachtrij").click()
    page.get_by_role("button", name="Oppakken").first.click()
    page.wait_for_url("**/meldingen/dossiers/*/")
    dossier_url = page.url
    assert page.get_by_text("Reiziger").first.is_visible()
    for dagdeel, bereikt in (("Ochtend", "Nee"), ("Middag", "Ja")):
        page.get_by_label("Soort contact").select_option("Telefoon")
        page.get_by_label("Datum", exact=True).fill(vandaag.isoformat())
        page.get_by_label(dagdeel).check()
        page.get_by_role("group", name="Huurder bereikt?").get_by_label(bereikt).check()
        page.get_by_role("button", name="Contactpoging vastleggen").click()
        page.wait_for_url(dossier_url)
    assert page.get_by_text("niet bereikt").is_visible()
    assert page.locator("[data-resultaat-bereikt]").get_attribute("data-resultaat-bereikt") == "nee"

    # The rapportage (bijlage 1): saved as a draft first, then completed.
    page.get_by_role("link", name="Rapportage", exact=True).click()
    page.fill('[name="inkomsten_0_bron"]', "Loon")
    page.fill('[name="inkomsten_0_bedrag"]', "2.100,00")
    page.get_by_role("button", name="Concept opslaan").click()
    assert page.locator("#volledigheid-kop + *").get_by_text("De rapportage is nog niet volledig.").is_visible()
    page.fill('[name="uitgaven_0_omschrijving"]', "Huur")
    page.fill('[name="uitgaven_0_bedrag"]', "650,00")
    page.get_by_label("De huurder heeft geen schulden").check()
    for last in ("huur", "zorgverzekering", "water", "energie"):
        page.locator(f'[name="{last}_status"][value="betaald"]').check()
    page.fill('[name="betalingsregelingen"]', "geen")
    page.locator('[name="kan_betalen"][value="ja"]').check()
    page.fill('[name="kan_betalen_motivatie"]', "Inkomen dekt de vaste lasten na budgetadvies.")
    page.get_by_label("Thuisadministratie / budgetcoaching").check()
    page.fill('[name="ondersteuning"]', "Twee gesprekken budgetcoaching.")
    page.get_by_role("button", name="Concept opslaan").click()
    assert page.get_by_text("De rapportage is volledig (bijlage 1 van het convenant).").is_visible()
    page.goto(dossier_url)
    assert page.locator("[data-resultaat-bereikt]").get_attribute("data-resultaat-bereikt") == "ja"

    page.get_by_label("Eindresultaat (DDAS)").select_option("(Budget)advies en/of quick fix")
    page.get_by_role("button", name="Dossier afsluiten").click()
    page.wait_for_url(dossier_url)
    assert page.get_by_text("(Budget)advies en/of quick fix").first.is_visible()
    uitloggen(page)

    # 3. A second hulpverlener finds nothing left to claim.
    inloggen(page, base, tweede)
    page.goto(f"{base}/meldingen/wachtrij/")
    assert page.get_by_text("De wachtrij is leeg.").is_visible()
    uitloggen(page)

    # 4. The melder sees the signal status "Opgepakt".
    inloggen(page, base, tenant.gebruikers["melder"])
    page.goto(melding_url)
    assert page.locator("[data-status]").first.inner_text() == "Opgepakt"
