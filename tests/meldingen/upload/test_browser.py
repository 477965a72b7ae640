"""In Debian chromium under the strict CSP: upload a file, watch htmx poll the progress, see the result.

The real worker processes the file, so the rows use dates relative to today (no time travel).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django_otp.oath import TOTP

from tests.conftest import maak_tenant
from tests.factories import WACHTWOORD, TOTPDeviceFactory
from tests.meldingen.upload.helpers import csv_bytes, rij

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.worker]


def _code(device) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_upload_in_the_browser_shows_progress_and_the_result(live_server, page, celery_worker, tmp_path):
    tenant = maak_tenant("uploadbrowser")
    melder = tenant.gebruikers["melder"]
    device = TOTPDeviceFactory(user=melder)
    vandaag = dt.date.today()
    slug = tenant.convenant.slug
    rijen = [rij(slug, vandaag=vandaag, referentie=f"B-{i}") for i in range(600)]
    rijen[4] = rij(slug, vandaag=vandaag, referentie="B-4", geboortedatum="31-02-1980")
    pad = tmp_path / "meldingen.csv"
    pad.write_bytes(csv_bytes(rijen, bom=True))

    csp_fouten: list[str] = []
    page.on("console", lambda msg: csp_fouten.append(msg.text) if "Content Security Policy" in msg.text else None)
    verzoeken: list[str] = []
    page.on("request", lambda verzoek: verzoeken.append(verzoek.url))

    page.goto(f"{live_server.url}/")
    page.get_by_label("Gebruikersnaam").fill(melder.username)
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Verder").click()
    page.wait_for_url("**/inloggen/tweede-factor/")
    page.get_by_label("Code uit uw authenticator-app").fill(_code(device))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Bestand uploaden").click()
    page.get_by_label("Bestand met meldingen").set_input_files(str(pad))
    page.get_by_role("button", name="Uploaden").click()
    page.wait_for_url("**/meldingen/bestand/*/")
    assert page.get_by_label("Voortgang").count() == 1

    # htmx polls the fragment and reloads the page once the worker is done.
    page.get_by_role("heading", name="Resultaat").wait_for(timeout=120_000)
    assert any("/voortgang/" in url for url in verzoeken)
    assert page.locator('[data-teller="opgeslagen"]').inner_text() == "599"
    assert page.locator('[data-teller="afgewezen"]').inner_text() == "1"
    assert page.get_by_role("cell", name="Deze datum bestaat niet.").is_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download de afgewezen rijen").click()
    inhoud = download.value.path().read_bytes().decode("utf-8-sig")
    assert inhoud.splitlines()[1].startswith("Rij 6: geboortedatum: Deze datum bestaat niet.;")
    assert csp_fouten == []
