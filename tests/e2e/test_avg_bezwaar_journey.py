"""Browser journey in Debian chromium: a bezwaar against a decision on an AVG request (seed 002 §2.9). The
contactpunt registers it; the Partner, told by e-mail, says on its own page that it wants to be heard and sends a
written view; the contactpunt plans the hearing, records it and decides."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from avg.besluiten.services import verzoek_besluiten
from tests.avg.helpers import beantwoord, met_dossier, raadpleeg
from tests.conftest import maak_tenant
from tests.e2e.test_caseload_journey import inloggen, uitloggen

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _foto(page, naam: str) -> None:
    """Screenshots for reviewing the pages, only when asked for (``MELDPUNT_FOTO_MAP``)."""
    if map_ := os.environ.get("MELDPUNT_FOTO_MAP"):
        page.screenshot(path=f"{map_}/{naam}.png", full_page=True)


def test_bezwaar_from_registration_through_the_hearing_to_the_decision(live_server, page):
    base = live_server.url
    tenant = maak_tenant("bezwaarreis")
    verzoek, _ = met_dossier(tenant, ["inzage"])
    for r in raadpleeg(tenant, verzoek):
        beantwoord(tenant, r)
    verzoek_besluiten(verzoek=verzoek, door=tenant.gebruikers["contactpunt"])
    vandaag = timezone.localdate().isoformat()

    inloggen(page, base, tenant.gebruikers["contactpunt"])
    page.goto(f"{base}/avg/verzoeken/{verzoek.pk}/")
    page.get_by_label("Bezwaar ontvangen op").fill(vandaag)
    page.get_by_role("button", name="Bezwaar registreren").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bezwaar tegen het besluit")
    expect(page.locator(f'[data-belanghebbende="{tenant.partner.naam}"]')).to_be_visible()
    bezwaar_url = page.url
    uitloggen(page)

    inloggen(page, base, tenant.gebruikers["partner_beheer"])
    page.get_by_role("link", name="AVG-raadplegingen").first.click()
    page.locator(f'[data-bezwaar="{verzoek.nummer}"] a').click()
    page.get_by_role("button", name="Reactie versturen").click()
    expect(page.get_by_text("Geef aan of u bij de hoorzitting aanwezig wilt zijn.").first).to_be_visible()
    page.get_by_label("Ja, wij willen gehoord worden").check()
    page.get_by_label("Schriftelijke zienswijze").fill("De melding volgde het convenant.")
    _foto(page, "bezwaar-reactie")
    page.get_by_role("button", name="Reactie versturen").click()
    expect(page.get_by_text("Uw reactie op het bezwaar")).to_be_visible()
    uitloggen(page)

    inloggen(page, base, tenant.gebruikers["contactpunt"])
    page.goto(bezwaar_url)
    expect(page.locator(f'[data-belanghebbende="{tenant.partner.naam}"]')).to_contain_text("volgde het convenant")
    expect(page.locator("[data-wacht-op]")).to_contain_text("Houd eerst de hoorzitting")
    morgen = (timezone.localtime() + dt.timedelta(days=1)).replace(hour=10, minute=0)
    page.get_by_label("Datum en tijd").fill(morgen.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Plaats of videoverbinding").fill("Stadhuis Diemen, kamer 2.14")
    page.get_by_role("button", name="Plannen").click()
    expect(page.locator('[data-stap="horen"]')).to_contain_text("Hoorzitting gepland op")
    _foto(page, "bezwaar-contactpunt")
    page.get_by_label("Gehouden op").fill(vandaag)
    page.get_by_label("Verslag").fill("Indiener en corporatie gehoord; geen nieuwe feiten.")
    page.get_by_role("button", name="Hoorzitting vastleggen").click()
    expect(page.locator("[data-verslag]")).to_contain_text("geen nieuwe feiten")
    page.get_by_label("Uitkomst").select_option("ongegrond")
    page.get_by_label("Beslist op").fill(vandaag)
    page.get_by_role("button", name="Beslissing vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ongegrond")
    _foto(page, "bezwaar-beslist")
