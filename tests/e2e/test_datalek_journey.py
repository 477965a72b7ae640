"""Browser journey in Debian chromium: a hulpverlener reports a lost letter in two steps, the FG gets the e-mail
(no personal data), completes the register, decides before the 72 hours not to notify the AP with a reason,
closes the breach and exports the register."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from datalekken.register.models import Datalek
from tests.conftest import maak_tenant
from tests.e2e.test_caseload_journey import inloggen, uitloggen

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

OMSCHRIJVING = "Een brief over de huurachterstand is onderweg naar de huurder kwijtgeraakt."


def test_a_lost_letter_reported_handled_and_exported(live_server, page, celery_worker, mailbox):
    base = live_server.url
    tenant = maak_tenant("lek")
    hulpverlener = tenant.gebruikers["hulpverlener"]
    fg = tenant.gebruikers["fg"]

    # Step 1: the short report, from the menu.
    inloggen(page, base, hulpverlener)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Datalek melden").click()
    page.get_by_label("Wat is er gebeurd?").fill(OMSCHRIJVING)
    page.get_by_label("Wanneer ontdekt (datum en tijd)").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Vertrouwelijkheid (gegevens in verkeerde handen)").check()
    page.get_by_label("Uw naam (contactpersoon)").fill("Henk Hulpverlener")
    page.get_by_label("Uw telefoonnummer").fill("020-5550000")
    page.get_by_role("button", name="Datalek melden").click()
    datalek = Datalek.objects.get()

    # Step 2: what the reporter knows more.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Datalek {datalek.nummer} aanvullen")
    page.get_by_label("Verloren", exact=True).check()
    page.get_by_label("Oorzaak").select_option("papier_kwijt")
    page.get_by_role("button", name="Register bijwerken").click()
    expect(page.get_by_text("Het register is bijgewerkt.")).to_be_visible()
    expect(page.locator("[data-klok='72'] [data-aftel]")).to_contain_text("nog 71 uur")
    uitloggen(page)

    # The FG's e-mail: the number and a link, nothing about the people affected.
    (bericht,) = mailbox.wait_for(1)
    assert bericht["To"] == tenant.convenant.fg_email
    tekst = bericht.get_payload(decode=True).decode()
    assert OMSCHRIJVING not in tekst and "Henk" not in tekst
    pad = re.search(r"https?://[^/\s]+(/datalekken/\d+/)", tekst).group(1)

    # The FG completes the register, decides not to notify the AP, and closes.
    inloggen(page, base, fg)
    page.goto(base + pad)
    page.get_by_role("link", name="Register aanvullen").click()
    page.get_by_label("Naam, adres, woonplaats").check()
    page.get_by_label("Gegevens over (problematische) schulden").check()
    page.get_by_label("Aantal betrokkenen: minimaal").fill("1")
    page.get_by_label("Aantal betrokkenen: maximaal").fill("1")
    page.get_by_label("Gaat het (ook) om kinderen?").select_option("nee")
    page.get_by_label("Zijn de contactgegevens van de betrokkenen bekend?").select_option("ja")
    page.get_by_label("Begin van de periode").fill(timezone.localtime().strftime("%Y-%m-%dT00:00"))
    page.get_by_role("button", name="Register bijwerken").click()
    expect(page.locator("[data-klok='24'] [data-aftel]")).to_have_text("op tijd voldaan")

    page.get_by_label("Niet melden (geen risico voor de betrokkenen)").check()
    page.get_by_label("Risicobeoordeling").fill("Eén envelop, gesloten; de post meldt hem terug.")
    page.get_by_label("Reden om niet te melden").fill("Geen waarschijnlijk risico voor de huurder.")
    page.locator("form:has(input[value='ap_besluit'])").get_by_role("button", name="Besluit vastleggen").click()
    expect(page.locator("[data-ap-besluit]")).to_have_attribute("data-ap-besluit", "niet_melden")
    expect(page.locator("[data-klok='72'] [data-aftel]")).to_have_text("op tijd voldaan")

    page.get_by_label("De betrokkenen niet informeren").check()
    page.get_by_label("Reden", exact=True).fill("Geen hoog risico.")
    page.locator("form:has(input[value='betrokkenen'])").get_by_role("button", name="Besluit vastleggen").click()
    page.get_by_label("Evaluatie").fill("Brieven met schuldinformatie voortaan aangetekend.")
    page.get_by_role("button", name="Datalek afsluiten").click()
    expect(page.get_by_role("heading", name="Afgesloten", exact=True)).to_be_visible()

    # The register, and its export.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Datalekken").click()
    expect(page.locator(f"[data-datalek='{datalek.nummer}']")).to_contain_text("Afgesloten")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    inhoud = download.value.path().read_bytes().decode("utf-8-sig")
    assert datalek.nummer in inhoud and "Niet melden" in inhoud
