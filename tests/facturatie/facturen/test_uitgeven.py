"""Issuing: gapless numbers in the Gemeente's yearly series, snapshots, immutability in the database, credit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from facturatie.bespreking.services import regel_betwisten, regel_oplossen, regel_reageren
from facturatie.facturen.models import Factuur, FactuurRegel
from facturatie.facturen.opstellen import facturen_opstellen
from facturatie.facturen.services import creditfactuur_create, factuur_uitgeven
from facturatie.facturen.workflow import FactuurSoort, FactuurStatus, RegelStatus
from meldpunt.core.exceptions import ApplicationError
from tests.facturatie.helpers import bereikt_dossier, factuurgegevens_invullen

pytestmark = pytest.mark.django_db


def _sql(sql: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def concepten(tenant_a):
    factuurgegevens_invullen(tenant_a)
    for _ in range(2):
        bereikt_dossier(tenant_a)
    bereikt_dossier(tenant_a, type="EO")
    facturen_opstellen(jaar=2025, door=tenant_a.gebruikers["financien"])
    cof = Factuur.objects.get(soort=FactuurSoort.COFINANCIERING)
    sub = Factuur.objects.get(soort=FactuurSoort.SUBSIDIE)
    return cof, sub


def test_issuing_numbers_in_the_gemeentes_series_and_snapshots(tenant_a, concepten):
    cof, sub = concepten
    financien = tenant_a.gebruikers["financien"]
    cof = factuur_uitgeven(factuur=cof, door=financien, factuurdatum=dt.date(2026, 1, 15))
    sub = factuur_uitgeven(factuur=sub, door=financien, factuurdatum=dt.date(2026, 1, 15))
    assert (cof.nummer, sub.nummer) == ("ALFA-2025-0001", "ALFA-2025-0002")
    assert cof.totaal == Decimal("468.00") and sub.totaal == Decimal("1872.00")
    assert cof.vervaldatum == dt.date(2026, 2, 14)
    assert cof.afzender_gegevens["iban"] == "NL91ABNA0417164300"
    assert cof.ontvanger_gegevens["naam"] == tenant_a.partner.naam
    tenant_a.partner.postadres = "Elders 9"
    tenant_a.partner.save()
    cof.refresh_from_db()
    assert cof.ontvanger_gegevens["postadres"] == "Bijlmerdreef 1"  # the snapshot, not today's address
    with pytest.raises(ApplicationError):
        factuur_uitgeven(factuur=cof, door=financien)


def test_only_financien_of_the_gemeente_issues(tenant_a, tenant_b, concepten):
    cof, _ = concepten
    for door in (tenant_a.gebruikers["partner_beheer"], tenant_b.gebruikers["financien"]):
        with pytest.raises(ApplicationError):
            factuur_uitgeven(factuur=cof, door=door)


def test_incomplete_invoice_details_refuse_issuing(tenant_a, concepten):
    cof, _ = concepten
    tenant_a.gemeente.iban = ""
    tenant_a.gemeente.save()
    with pytest.raises(ApplicationError, match="factuurgegevens"):
        factuur_uitgeven(factuur=cof, door=tenant_a.gebruikers["financien"])
    cof.refresh_from_db()
    assert cof.status == FactuurStatus.CONCEPT and cof.nummer == ""


def test_a_rolled_back_issue_leaves_no_gap(tenant_a, concepten):
    cof, sub = concepten
    financien = tenant_a.gebruikers["financien"]
    with pytest.raises(RuntimeError), transaction.atomic():
        factuur_uitgeven(factuur=cof, door=financien)
        raise RuntimeError("the surrounding transaction fails after the number was taken")
    cof.refresh_from_db()
    assert cof.nummer == ""
    assert factuur_uitgeven(factuur=sub, door=financien).nummer == "ALFA-2025-0001"
    assert factuur_uitgeven(factuur=cof, door=financien).nummer == "ALFA-2025-0002"


def test_the_database_refuses_changing_or_deleting_an_issued_invoice_and_its_lines(tenant_a, concepten):
    cof, _ = concepten
    cof = factuur_uitgeven(factuur=cof, door=tenant_a.gebruikers["financien"])
    regel = cof.regels.first()
    for poging in (
        lambda: Factuur.objects.filter(pk=cof.pk).update(totaal=Decimal("1.00")),
        lambda: _sql("DELETE FROM facturatie_factuur WHERE id = %s", cof.pk),
        lambda: _sql("UPDATE facturatie_factuur SET nummer = 'ANDERS' WHERE id = %s", cof.pk),
        lambda: FactuurRegel.objects.filter(pk=regel.pk).update(bedrag=Decimal("1.00")),
        lambda: FactuurRegel.objects.filter(pk=regel.pk).update(factuur=None),
        lambda: FactuurRegel.objects.filter(pk=regel.pk).delete(),
        lambda: FactuurRegel.objects.create(
            factuur=cof,
            soort=FactuurSoort.COFINANCIERING,
            convenant=cof.convenant,
            ontvanger=cof.ontvanger,
            dossier=bereikt_dossier(tenant_a),
            dossiernummer="X",
            dossiertype="VEO",
            afgesloten_op=dt.date(2025, 1, 1),
            jaar=2025,
            bedrag=Decimal("1.00"),
        ),
    ):
        with pytest.raises(DatabaseError, match="uitgegeven"), transaction.atomic():
            poging()
    cof.refresh_from_db()
    assert cof.totaal == Decimal("468.00")
    assert cof.regels.count() == 2


def test_a_credit_invoice_negates_lines_refers_to_the_original_and_takes_the_next_number(tenant_a, concepten):
    cof, _ = concepten
    financien = tenant_a.gebruikers["financien"]
    cof = factuur_uitgeven(factuur=cof, door=financien)
    eerste = cof.regels.order_by("dossiernummer").first()
    credit = creditfactuur_create(factuur=cof, door=financien, regel_ids=[eerste.pk])
    assert credit.credit_van == cof and credit.status == FactuurStatus.UITGEGEVEN
    assert credit.nummer == "ALFA-2025-0002"
    assert [r.bedrag for r in credit.regels.all()] == [Decimal("-234.00")]
    assert credit.totaal == Decimal("-234.00")
    with pytest.raises(ApplicationError):  # that line is credited already
        creditfactuur_create(factuur=cof, door=financien, regel_ids=[eerste.pk])
    with pytest.raises(ApplicationError):
        creditfactuur_create(factuur=credit, door=financien)
    rest = creditfactuur_create(factuur=cof, door=financien)
    assert rest.totaal == Decimal("-234.00") and rest.nummer == "ALFA-2025-0003"


def test_a_draft_cannot_be_credited(tenant_a, concepten):
    cof, _ = concepten
    with pytest.raises(ApplicationError):
        creditfactuur_create(factuur=cof, door=tenant_a.gebruikers["financien"])


def test_a_disputed_line_stays_out_and_moves_to_the_next_invoice_once_resolved(tenant_a, concepten):
    cof, _ = concepten
    financien, partner = tenant_a.gebruikers["financien"], tenant_a.gebruikers["partner_beheer"]
    betwist = cof.regels.order_by("dossiernummer").first()
    regel_betwisten(regel_id=betwist.pk, door=partner, reden="Dit dossier is al eerder vergoed.")
    regel_reageren(regel_id=betwist.pk, door=financien, tekst="Wij zoeken het uit.")
    cof = factuur_uitgeven(factuur=cof, door=financien)
    assert cof.totaal == Decimal("234.00")
    betwist.refresh_from_db()
    assert betwist.factuur is None and betwist.status == RegelStatus.BETWIST
    regel_oplossen(regel_id=betwist.pk, door=financien, toelichting="Terecht gefactureerd.")
    betwist.refresh_from_db()
    assert betwist.factuur is None  # no draft yet: it waits for the next drafting
    bereikt_dossier(tenant_a, afgesloten=dt.date(2025, 12, 1))
    facturen_opstellen(jaar=2025, door=financien)
    volgende = Factuur.objects.get(soort=FactuurSoort.COFINANCIERING, status=FactuurStatus.CONCEPT)
    assert betwist.pk in set(volgende.regels.values_list("pk", flat=True))
    assert factuur_uitgeven(factuur=volgende, door=financien).totaal == Decimal("468.00")
    assert [o.soort for o in betwist.opmerkingen.all()] == ["betwisting", "reactie", "oplossing"]


def test_a_line_resolved_while_a_next_draft_exists_joins_it_at_once(tenant_a, concepten):
    cof, _ = concepten
    financien, partner = tenant_a.gebruikers["financien"], tenant_a.gebruikers["partner_beheer"]
    betwist = cof.regels.first()
    regel_betwisten(regel_id=betwist.pk, door=partner, reden="Twijfel.")
    factuur_uitgeven(factuur=cof, door=financien)
    bereikt_dossier(tenant_a, afgesloten=dt.date(2025, 12, 1))
    facturen_opstellen(jaar=2025, door=financien)
    volgende = Factuur.objects.get(soort=FactuurSoort.COFINANCIERING, status=FactuurStatus.CONCEPT)
    regel_oplossen(regel_id=betwist.pk, door=financien, toelichting="Klopt.")
    betwist.refresh_from_db()
    assert betwist.factuur == volgende


def test_dispute_rules(tenant_a, tenant_b, concepten):
    from django.http import Http404

    cof, sub = concepten
    partner = tenant_a.gebruikers["partner_beheer"]
    regel = cof.regels.first()
    with pytest.raises(ApplicationError):
        regel_betwisten(regel_id=regel.pk, door=partner, reden="  ")
    with pytest.raises(ApplicationError):
        regel_reageren(regel_id=regel.pk, door=partner, tekst="niet betwist")
    with pytest.raises(Http404):
        regel_betwisten(regel_id=regel.pk, door=tenant_b.gebruikers["partner_beheer"], reden="x")
    with pytest.raises(Http404):  # the Partner does not see the subsidy statement
        regel_betwisten(regel_id=sub.regels.first().pk, door=partner, reden="x")
    regel_betwisten(regel_id=regel.pk, door=partner, reden="reden")
    with pytest.raises(ApplicationError):
        regel_betwisten(regel_id=regel.pk, door=partner, reden="nog eens")
    with pytest.raises(ApplicationError):
        regel_oplossen(regel_id=regel.pk, door=partner, toelichting="zelf opgelost")
    with pytest.raises(ApplicationError):
        regel_reageren(regel_id=regel.pk, door=partner, tekst="x" * 2001)
    teamleider = tenant_a.gebruikers["teamleider"]
    regel_betwisten(regel_id=sub.regels.first().pk, door=teamleider, reden="Dubbel.")
    factuur_uitgeven(factuur=sub, door=tenant_a.gebruikers["financien"])
    with pytest.raises(ApplicationError):
        regel_betwisten(regel_id=sub.regels.first().pk, door=teamleider, reden="te laat")
