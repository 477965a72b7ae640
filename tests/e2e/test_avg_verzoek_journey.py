"""Browser journey in Debian chromium: the contactpunt registers an inzage request, establishes identity, finds
the requester's dossier through the blind indexes and confirms it, consults the Partner and the Uitvoerder (who
answer on their own pages), decides, and downloads the answer package the worker made."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import maak_tenant
from tests.e2e.test_caseload_journey import inloggen, uitloggen
from tests.meldingen.helpers import maak_melding
from tests.persoonsgegevens import ACHTERNAAM, GEBOORTEDATUM

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_inzage_request_from_registration_to_download(live_server, page, celery_worker):
    base = live_server.url
    tenant = maak_tenant("avgreis")
    dossier = maak_melding(tenant, "RC-AVG-1").dossier
    vandaag = timezone.localdate().isoformat()

    inloggen(page, base, tenant.gebruikers["contactpunt"])
    page.get_by_role("link", name="AVG-verzoeken").first.click()
    page.get_by_role("link", name="Verzoek registreren").click()
    page.get_by_label("Ontvangen op").fill(vandaag)
    page.get_by_label("Hoe kwam het verzoek binnen").select_option("brief")
    page.get_by_label("Inzage (art. 15 AVG)").check()
    page.get_by_label("Achternaam betrokkene").fill(ACHTERNAAM)
    page.get_by_label("Geboortedatum", exact=True).fill(GEBOORTEDATUM.isoformat())
    page.get_by_role("button", name="Registreren").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("AVG-verzoek AVG-")
    detail_url = page.url

    page.get_by_label("DigiD").check()
    page.get_by_label("Vastgesteld op").fill(vandaag)
    page.get_by_role("button", name="Identiteit vastleggen").click()
    expect(page.locator("[data-stoplicht]").first).to_have_attribute("data-stoplicht", "groen")

    page.get_by_label("Achternaam (niet verplicht)").fill("zwaluwstaart")
    page.get_by_label("Geboortedatum (niet verplicht)").fill(GEBOORTEDATUM.isoformat())
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator(f'[data-kandidaat="{dossier.nummer}"]')).to_be_visible()
    page.get_by_role("button", name=f"Hoort bij verzoeker {dossier.nummer}").click()
    expect(page.locator(f'[data-bevestigd="{dossier.nummer}"]')).to_be_visible()
    page.get_by_role("button", name="Deelnemers raadplegen").click()
    expect(page.locator("[data-raadpleging]")).to_have_count(2)
    uitloggen(page)

    for rol in ("partner_beheer", "teamleider"):
        inloggen(page, base, tenant.gebruikers[rol])
        page.get_by_role("link", name="AVG-raadplegingen").first.click()
        page.locator("[data-raadpleging] a").first.click()
        page.get_by_role("button", name="Antwoord versturen").click()
        expect(page.get_by_text("Uw antwoord over verzoek")).to_be_visible()
        uitloggen(page)

    inloggen(page, base, tenant.gebruikers["contactpunt"])
    page.goto(detail_url)
    page.get_by_role("button", name="Besluiten").click()
    link = page.get_by_role("link", name="Antwoordpakket downloaden (ZIP)")
    expect(link).to_be_visible(timeout=60_000)
    with page.expect_download() as download_info:
        link.click()
    inhoud = download_info.value.path().read_bytes()
    z = zipfile.ZipFile(io.BytesIO(inhoud))
    json_naam = next(n for n in z.namelist() if n.endswith(".json"))
    data = json.loads(z.read(json_naam))
    assert data["dossiers"][0]["informatie"]["dossier"] == dossier.nummer
    assert ACHTERNAAM in json.dumps(data, ensure_ascii=False)
    assert sum(n.endswith(".pdf") for n in z.namelist()) == 2
