"""Browser journey in Debian chromium: financien drafts the year, the Partner disputes a line, financien
issues the invoice (the disputed line stays out) and downloads PDF, XLSX and the SI-UBL e-invoice."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from facturatie.facturen.models import Factuur, FactuurRegel
from facturatie.facturen.workflow import FactuurSoort, RegelStatus
from tests.conftest import maak_tenant
from tests.e2e.test_caseload_journey import inloggen, uitloggen
from tests.facturatie.helpers import bereikt_dossier, factuurgegevens_invullen

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_draft_dispute_issue_download(live_server, page, celery_worker):
    base = live_server.url
    tenant = maak_tenant("factuur")
    factuurgegevens_invullen(tenant)
    vorig_jaar = dt.date.today().year - 1
    dossiers = [bereikt_dossier(tenant, afgesloten=dt.date(vorig_jaar, 5, d)) for d in (1, 2, 3)]
    bereikt_dossier(tenant, type="EO", afgesloten=dt.date(vorig_jaar, 5, 4))

    # 1. Financien drafts last year.
    inloggen(page, base, tenant.gebruikers["financien"])
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Facturen").click()
    page.get_by_label("Jaar", exact=True).select_option(str(vorig_jaar))
    page.get_by_role("button", name="Jaar opstellen").click()
    # The worker drafts; the page shows the progress and then the result, by itself.
    expect(page.locator("[data-resultaat]")).to_contain_text("7 nieuwe regels op 2 concepten", timeout=60_000)
    expect(page.locator("[data-voortgang]")).to_contain_text("1 van 1 convenant")
    uitloggen(page)

    # 2. The Partner disputes one line of its co-financing invoice with a reason.
    inloggen(page, base, tenant.gebruikers["partner_beheer"])
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Facturen").click()
    page.get_by_role("link", name="Concept").click()
    page.wait_for_url("**/facturen/*/")
    factuur_url = page.url
    page.get_by_role("link", name=f"Bespreken regel {dossiers[0].nummer}").click()
    page.get_by_label("Toelichting").fill("Dit dossier is al in het vorige jaar vergoed.")
    page.get_by_role("button", name="Regel betwisten").click()
    page.wait_for_url("**/facturen/regels/*/")
    assert page.get_by_text("Dit dossier is al in het vorige jaar vergoed.").is_visible()
    uitloggen(page)

    # 3. Financien issues: two lines, the disputed one waits.
    inloggen(page, base, tenant.gebruikers["financien"])
    page.goto(factuur_url)
    page.get_by_role("button", name="Factuur uitgeven").click()
    nummer = f"FACTUUR-{vorig_jaar}-0001"
    assert page.get_by_text(f"Factuur {nummer} is uitgegeven.").is_visible()
    assert "468,00" in page.locator("[data-totaal]").inner_text()
    regel = FactuurRegel.objects.get(dossier=dossiers[0], soort=FactuurSoort.COFINANCIERING)
    assert regel.factuur is None and regel.status == RegelStatus.BETWIST

    # 4. Downloads.
    with page.expect_download() as pdf:
        page.get_by_role("link", name="PDF").click()
    assert pdf.value.suggested_filename == f"{nummer}.pdf"
    assert Path(pdf.value.path()).read_bytes()[:4] == b"%PDF"
    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Excel").click()
    blad = load_workbook(io.BytesIO(Path(xlsx.value.path()).read_bytes())).active
    assert [rij[1] for rij in blad.iter_rows(min_row=2, values_only=True)] == [d.nummer for d in dossiers[1:]]
    with page.expect_download() as ubl:
        page.get_by_role("link", name="E-factuur (SI-UBL)").click()
    xml = Path(ubl.value.path()).read_bytes()
    assert f"<cbc:ID>{nummer}</cbc:ID>".encode() in xml and b"468.00" in xml
    assert Factuur.objects.get(nummer=nummer).totaal == 468
