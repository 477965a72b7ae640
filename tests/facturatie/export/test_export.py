"""Exports: PDF, CSV, XLSX per invoice and for the year, and the SI-UBL 2.0 e-invoice validated against the
official stylesheet."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from lxml import etree
from openpyxl import load_workbook

from facturatie.export.pdf import factuur_html, factuur_pdf
from facturatie.export.tabellen import (
    OVERZICHT_KOLOMMEN,
    REGEL_KOLOMMEN,
    als_csv,
    als_xlsx,
    overzicht_rijen,
    regel_rijen,
)
from facturatie.export.ubl import factuur_ubl
from facturatie.facturen.models import Factuur
from facturatie.facturen.opstellen import facturen_opstellen
from facturatie.facturen.selectors import factuur_list
from facturatie.facturen.services import creditfactuur_create, factuur_uitgeven
from facturatie.facturen.workflow import FactuurSoort
from tests.facturatie.conftest import STANDAARD
from tests.facturatie.helpers import bereikt_dossier, factuurgegevens_invullen

pytestmark = pytest.mark.django_db


@pytest.fixture
def uitgegeven(tenant_a):
    factuurgegevens_invullen(tenant_a)
    for _ in range(3):
        bereikt_dossier(tenant_a)
    financien = tenant_a.gebruikers["financien"]
    facturen_opstellen(jaar=2025, door=financien)
    cof = Factuur.objects.get(soort=FactuurSoort.COFINANCIERING)
    return factuur_uitgeven(factuur=cof, door=financien)


def test_the_example_of_the_standard_passes_the_stylesheet(si_ubl_validatie):
    fataal, _ = si_ubl_validatie((STANDAARD / "voorbeeld-factuur.xml").read_bytes())
    assert fataal == []


def test_the_e_invoice_passes_si_ubl_2_0(uitgegeven, si_ubl_validatie):
    xml = factuur_ubl(uitgegeven)
    fataal, _ = si_ubl_validatie(xml)
    assert fataal == []
    boom = etree.fromstring(xml)
    ns = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
    assert boom.findtext("cbc:ID", namespaces=ns) == "ALFA-2025-0001"
    assert boom.find(".//cbc:PayableAmount", ns).text == "702.00"
    assert b"Geen BTW verschuldigd" in xml


def test_the_credit_note_passes_si_ubl_2_0_and_refers_to_the_original(tenant_a, uitgegeven, si_ubl_validatie):
    credit = creditfactuur_create(factuur=uitgegeven, door=tenant_a.gebruikers["financien"])
    xml = factuur_ubl(credit)
    fataal, _ = si_ubl_validatie(xml)
    assert fataal == []
    assert b"<CreditNote" in xml and b"ALFA-2025-0001" in xml and b"702.00" in xml
    assert b"-234" not in xml  # a credit note states positive amounts


def test_a_broken_e_invoice_is_caught_by_the_validation(uitgegeven, si_ubl_validatie):
    xml = factuur_ubl(uitgegeven).replace(
        b'<cbc:PayableAmount currencyID="EUR">702.00', b'<cbc:PayableAmount currencyID="EUR">701.00'
    )
    fataal, _ = si_ubl_validatie(xml)
    assert fataal


def test_a_draft_has_no_e_invoice(tenant_a):
    bereikt_dossier(tenant_a)
    facturen_opstellen(jaar=2025, door=tenant_a.gebruikers["financien"])
    with pytest.raises(ValueError):
        factuur_ubl(Factuur.objects.filter(soort=FactuurSoort.COFINANCIERING).get())


def test_pdf_in_dutch_without_vat(uitgegeven):
    html = factuur_html(uitgegeven)
    assert "Geen BTW verschuldigd" in html
    assert "ALFA-2025-0001" in html and "€\u00a0702,00" in html and "NL91ABNA0417164300" in html
    assert factuur_pdf(uitgegeven).startswith(b"%PDF")


def test_a_large_invoice_pdf_is_summarised_and_refers_to_the_spreadsheet(uitgegeven, settings):
    regels = list(uitgegeven.regels.all())
    html = factuur_html(uitgegeven)
    assert all(r.dossiernummer in html for r in regels) and "samengevat" not in html
    settings.FACTURATIE_PDF_MAX_REGELS = 2
    html = factuur_html(uitgegeven)
    assert "samengevat" in html and "Excel- en CSV-export" in html
    assert not any(r.dossiernummer in html for r in regels)
    assert "€\u00a0702,00" in html  # the total, exact to the cent, as in the full list
    maand = regels[0].afgesloten_op.strftime("%m-%Y")
    assert maand in html and ">3<" in html
    assert factuur_pdf(uitgegeven).startswith(b"%PDF")


def test_pdf_of_a_draft_says_concept(tenant_a):
    bereikt_dossier(tenant_a)
    facturen_opstellen(jaar=2025, door=tenant_a.gebruikers["financien"])
    assert "Concept in bespreking" in factuur_html(Factuur.objects.filter(soort=FactuurSoort.SUBSIDIE).get())


def test_csv_and_xlsx_of_the_lines_are_exact_to_the_cent(uitgegeven):
    rijen = regel_rijen(uitgegeven)
    tekst = als_csv(REGEL_KOLOMMEN, rijen).decode("utf-8-sig")
    regels = tekst.strip().split("\r\n")
    assert regels[0] == ";".join(REGEL_KOLOMMEN) and len(regels) == 4
    assert regels[1].endswith(";VEO;2025-06-01;2025;234,00")
    blad = load_workbook(io.BytesIO(als_xlsx(REGEL_KOLOMMEN, rijen, blad=uitgegeven.nummer))).active
    bedragen = [Decimal(str(rij[5])) for rij in blad.iter_rows(min_row=2, values_only=True)]
    assert sum(bedragen) == Decimal("702.00")


def test_year_overview(tenant_a, uitgegeven):
    facturen = list(factuur_list(user=tenant_a.gebruikers["financien"], jaar=2025))
    rijen = overzicht_rijen(facturen)
    assert {r[0] for r in rijen} == {"ALFA-2025-0001", "(concept)"}
    assert sorted(r[-1] for r in rijen) == [Decimal("702.00"), Decimal("1872.00")]
    tekst = als_csv(OVERZICHT_KOLOMMEN, [["=SOM(A1)", *rijen[0][1:]]]).decode("utf-8-sig")
    assert "'=SOM(A1)" in tekst  # formula-like text neutralised
