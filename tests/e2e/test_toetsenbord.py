"""Keyboard only: the main journey of each role in Debian chromium, without the mouse (WCAG 2.1.1).

Each step moves the focus with Tab (and Shift+Tab) until the element it needs has it, then acts with the keys a
keyboard user has: Enter on links and buttons, Space on radio buttons and checkboxes, typing in text fields and
selects. A step that cannot be reached by Tab fails the test.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django_otp.oath import TOTP

from meldingen.dossiers.services import dossier_claim
from meldpunt.core.models import Rol
from tests.conftest import maak_tenant
from tests.factories import WACHTWOORD, TOTPDeviceFactory
from tests.meldingen.helpers import geef_toestemming, maak_melding

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

MAX_TABS = 120


def focus(page: Any, doel: Any) -> None:
    """Press Tab until ``doel`` (a locator) has the focus."""
    element = doel.first.element_handle()
    for _ in range(MAX_TABS):
        if page.evaluate("(el) => document.activeElement === el", element):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"niet met Tab te bereiken: {doel}")


def activeer(page: Any, doel: Any) -> None:
    """Enter on a link or a submit button: the page that follows has loaded."""
    focus(page, doel)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def typ(page: Any, doel: Any, tekst: str) -> None:
    focus(page, doel)
    page.keyboard.type(tekst)


def kies(page: Any, doel: Any) -> None:
    focus(page, doel)
    page.keyboard.press("Space")


def kies_in_groep(page: Any, groep: Any, optie: str) -> None:
    """A radio group is one Tab stop: Tab into it, then the arrow keys move to (and select) the option."""
    knoppen = groep.get_by_role("radio")
    focus(page, knoppen)
    doel = groep.get_by_label(optie, exact=True).element_handle()
    for _ in range(knoppen.count()):
        if page.evaluate("(el) => document.activeElement === el", doel):
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"optie {optie} niet met de pijltjestoetsen te bereiken")


def nav(page: Any, naam: str) -> None:
    activeer(page, page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=naam, exact=True))


def inloggen(page: Any, base: str, gebruiker: Any) -> None:
    device = gebruiker.totpdevice_set.first() or TOTPDeviceFactory(user=gebruiker)
    page.goto(f"{base}/inloggen/")
    typ(page, page.get_by_label("Gebruikersnaam"), gebruiker.username)
    typ(page, page.get_by_label("Wachtwoord"), WACHTWOORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/inloggen/tweede-factor/")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    device.refresh_from_db()
    while totp.t() <= device.last_t:  # a code is accepted once
        time.sleep(0.5)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    typ(page, page.get_by_label("Code uit uw authenticator-app"), f"{totp.token():06d}")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")


def _datum(page: Any, label: str, dag: dt.date) -> None:
    """A date picker by keyboard, typed in the order of the browser's own date format (day or month first:
    probed by typing 01-02-2000), going back to the first segment with Shift+Tab."""
    veld = page.get_by_label(label, exact=True)
    typ(page, veld, "01022000")
    volgorde = "%d%m%Y" if veld.input_value() == "2000-02-01" else "%m%d%Y"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.type(dag.strftime(volgorde))
    assert veld.input_value() == dag.isoformat()


def melder(page: Any, base: str, tenant: Any) -> None:
    nav(page, "Melding indienen")
    vandaag = dt.date.today()
    for label, waarde in (
        ("Referentie (uw contractnummer)", "KB-2026-1"),
        ("Achternaam", "Toetsenbord"),
        ("Voornamen (niet verplicht)", "Karel"),
        ("Straat", "Tabstraat"),
        ("Huisnummer", "12"),
        ("Postcode", "1111 AB"),
        ("Woonplaats", "Diemen"),
        ("Achterstand (euro)", "1.300,00"),
        ("Achterstand in maanden", "2"),
        ("Maandhuur (euro)", "650,00"),
    ):
        typ(page, page.get_by_label(label, exact=True), waarde)
    _datum(page, "Geboortedatum", dt.date(1980, 5, 17))
    _datum(page, "Schriftelijke herinnering verstuurd op", vandaag - dt.timedelta(days=30))
    _datum(page, "Persoonlijk contact geprobeerd op", vandaag - dt.timedelta(days=20))
    _datum(page, "Huurder geïnformeerd over doorgifte op", vandaag - dt.timedelta(days=20))
    activeer(page, page.get_by_role("button", name="Melding versturen"))
    fouten = page.locator(".mp-foutoverzicht")
    assert fouten.count() == 0, fouten.inner_text()
    page.get_by_text("De melding is ontvangen.").wait_for()


def hulpverlener(page: Any, base: str, tenant: Any) -> None:
    maak_melding(tenant)
    nav(page, "Wachtrij")
    activeer(page, page.get_by_role("button", name="Oppakken").first)
    page.wait_for_url("**/meldingen/dossiers/*/")
    focus(page, page.get_by_label("Soort contact"))
    page.keyboard.type("Telefoon")
    kies_in_groep(page, page.get_by_role("group", name="Dagdeel"), "Middag")
    kies_in_groep(page, page.get_by_role("group", name="Huurder bereikt?"), "Ja")
    activeer(page, page.get_by_role("button", name="Contactpoging vastleggen"))
    page.get_by_text("Opgeslagen.").wait_for()
    assert page.get_by_text("Telefoon").first.is_visible()


def teamleider(page: Any, base: str, tenant: Any) -> None:
    dossier = dossier_claim(dossier_id=maak_melding(tenant).dossier_id, door=tenant.gebruikers["hulpverlener"])
    nav(page, "Team")
    activeer(page, page.get_by_role("link", name=dossier.nummer))
    page.get_by_role("heading", name=f"Dossier {dossier.nummer}").wait_for()


def gemeente_medewerker(page: Any, base: str, tenant: Any) -> None:
    dossier = dossier_claim(dossier_id=maak_melding(tenant).dossier_id, door=tenant.gebruikers["hulpverlener"])
    geef_toestemming(tenant, dossier, "gemeente", "status")
    nav(page, "Dossiers met toestemming")
    activeer(page, page.get_by_role("link", name=dossier.nummer))
    page.get_by_text(dossier.nummer).first.wait_for()


def contactpunt(page: Any, base: str, tenant: Any) -> None:
    dossier = maak_melding(tenant).dossier
    nav(page, "Afgeschermde dossiers")
    activeer(page, page.get_by_role("link", name="Dossier afschermen"))
    typ(page, page.get_by_label("Dossiernummer"), dossier.nummer)
    kies_in_groep(page, page.get_by_role("group", name="Soort"), "Beperking van de verwerking (art. 18 AVG)")
    typ(page, page.get_by_label("Reden"), "Verzoek AVG-2026-9")
    activeer(page, page.get_by_role("button", name="Afschermen"))
    page.get_by_text(dossier.nummer).first.wait_for()


def fg(page: Any, base: str, tenant: Any) -> None:
    nav(page, "Logboek")
    activeer(page, page.get_by_role("button", name="Filteren"))
    page.get_by_role("heading", name="Logboek dataverwerkingen").wait_for()


def partner_beheer(page: Any, base: str, tenant: Any) -> None:
    nav(page, "API-sleutels")
    activeer(page, page.get_by_role("link", name="Nieuwe API-sleutel"))
    typ(page, page.get_by_label("Omschrijving"), "ERP")
    page.keyboard.press("Enter")
    page.wait_for_url("**/api-sleutels/*/nieuw/")


def financien(page: Any, base: str, tenant: Any) -> None:
    nav(page, "Convenanten")
    activeer(page, page.get_by_role("link", name=tenant.convenant.naam))
    page.get_by_role("heading", name=tenant.convenant.naam).wait_for()


REIZEN = {
    Rol.MELDER: melder,
    Rol.HULPVERLENER: hulpverlener,
    Rol.TEAMLEIDER: teamleider,
    Rol.GEMEENTE_MEDEWERKER: gemeente_medewerker,
    Rol.CONTACTPUNT: contactpunt,
    Rol.FG: fg,
    Rol.PARTNER_BEHEER: partner_beheer,
    Rol.FINANCIEN: financien,
}


@pytest.mark.parametrize("rol", list(REIZEN))
def test_the_main_journey_of_each_role_by_keyboard_only(live_server, page, rol):
    tenant = maak_tenant("toetsenbord")
    inloggen(page, live_server.url, tenant.gebruikers[rol])
    REIZEN[rol](page, live_server.url, tenant)


def test_platformbeheer_adds_an_organisation_by_keyboard_only(live_server, page, platformbeheerder):
    inloggen(page, live_server.url, platformbeheerder)
    nav(page, "Organisaties")
    activeer(page, page.get_by_role("link", name="Nieuwe organisatie"))
    typ(page, page.get_by_label("Naam"), "Woonstichting Toetsenbord")
    typ(page, page.get_by_label("Korte naam"), "toetsenbord")
    focus(page, page.get_by_label("Soort"))
    page.keyboard.type("Partner")
    activeer(page, page.get_by_role("button", name="Opslaan"))
    page.get_by_text("Woonstichting Toetsenbord").first.wait_for()
