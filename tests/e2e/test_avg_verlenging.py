"""Browser journey in Debian chromium: the contactpunt records an extension, sees the letter being made by the
worker (htmx), downloads it, and records the date it was sent; the extended deadline is then in force."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from avg.verzoeken.models import Verzoek
from tests.avg.helpers import in_behandeling
from tests.conftest import maak_tenant
from tests.e2e.test_caseload_journey import inloggen

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_extension_letter_from_recording_to_sent(live_server, page, celery_worker, tmp_path):
    base = live_server.url
    tenant = maak_tenant("avgverlenging")
    verzoek = in_behandeling(tenant)
    vandaag = timezone.localdate()
    nieuw = verzoek.termijn_op + dt.timedelta(days=30)

    inloggen(page, base, tenant.gebruikers["contactpunt"])
    page.goto(f"{base}/avg/verzoeken/{verzoek.pk}/")
    page.get_by_label("Nieuwe uiterste datum").fill(nieuw.isoformat())
    page.get_by_label("Redenen (komen in de brief aan de verzoeker)").fill("Het dossier is omvangrijk.")
    page.get_by_role("button", name="Verlenging vastleggen en brief maken").click()
    expect(page.locator("[data-verlenging]")).to_have_attribute("data-verlenging", "vastgelegd")
    link = page.get_by_role("link", name=f"Verlengingsbrief van {vandaag:%d-%m-%Y} (PDF)")
    expect(link).to_be_visible(timeout=60_000)  # the status partial swapped in once the worker was done
    with page.expect_download() as download_info:
        link.click()
    assert download_info.value.path().read_bytes().startswith(b"%PDF")
    page.screenshot(path=str(tmp_path / "verlenging.png"), full_page=True)

    page.get_by_label("Brief verzonden op").fill(vandaag.isoformat())
    page.get_by_role("button", name="Verzending vastleggen").click()
    expect(page.get_by_text("De verzending is vastgelegd; de verlengde termijn geldt.")).to_be_visible()
    expect(page.locator("[data-verlenging]")).to_have_attribute("data-verlenging", "verzonden")
    expect(page.locator("[data-termijn]")).to_have_attribute("data-termijn", nieuw.isoformat())
    assert Verzoek.objects.get(pk=verzoek.pk).verlenging_bericht_op == vandaag
