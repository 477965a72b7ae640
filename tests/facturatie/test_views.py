"""The screens: financien drafts, the Partner disputes, financien issues, credits and downloads; scoping."""

from __future__ import annotations

import pytest
from django.urls import reverse

from facturatie.facturen.models import Factuur
from facturatie.facturen.workflow import FactuurSoort, FactuurStatus, RegelStatus
from tests.conftest import login_verified
from tests.facturatie.helpers import bereikt_dossier, factuurgegevens_invullen

pytestmark = pytest.mark.django_db


@pytest.fixture
def opgesteld(client, tenant_a):
    factuurgegevens_invullen(tenant_a)
    bereikt_dossier(tenant_a)
    bereikt_dossier(tenant_a, type="EO")
    login_verified(client, tenant_a.gebruikers["financien"])
    antwoord = client.post(reverse("facturatie:list"), {"jaar": "2025"})
    assert antwoord.status_code == 302
    return Factuur.objects.get(soort=FactuurSoort.COFINANCIERING), Factuur.objects.get(soort=FactuurSoort.SUBSIDIE)


def test_financien_drafts_a_year_from_the_list(client, opgesteld):
    pagina = client.get(reverse("facturatie:list")).content.decode()
    assert "Cofinancieringsfactuur" in pagina and "Subsidie-afrekening" in pagina and "Jaar opstellen" in pagina


def test_drafting_without_a_year_shows_the_error_on_the_field(client, tenant_a):
    login_verified(client, tenant_a.gebruikers["financien"])
    antwoord = client.post(reverse("facturatie:list"), {"jaar": ""})
    assert antwoord.status_code == 400
    assert 'aria-invalid="true"' in antwoord.content.decode()


def test_only_financien_may_post_a_drafting(client, tenant_a):
    login_verified(client, tenant_a.gebruikers["partner_beheer"])
    assert client.post(reverse("facturatie:list"), {"jaar": "2025"}).status_code == 403
    assert not Factuur.objects.exists()


def test_partner_disputes_financien_issues_downloads_and_credits(client, tenant_a, opgesteld):
    cof, _ = opgesteld
    regel = cof.regels.get()
    login_verified(client, tenant_a.gebruikers["partner_beheer"])
    url = reverse("facturatie:regel", args=[regel.pk])
    assert client.post(url, {"actie": "betwisten", "tekst": ""}).status_code == 400
    assert client.post(url, {"actie": "oplossen", "tekst": "zelf"}).status_code == 400
    assert client.post(url, {"actie": "betwisten", "tekst": "Al vergoed in 2024."}).status_code == 302
    regel.refresh_from_db()
    assert regel.status == RegelStatus.BETWIST
    assert "Al vergoed in 2024." in client.get(url).content.decode()

    login_verified(client, tenant_a.gebruikers["financien"])
    assert client.post(url, {"actie": "oplossen", "tekst": "Klopt, toch factureren."}).status_code == 302
    assert client.post(reverse("facturatie:uitgeven", args=[cof.pk])).status_code == 302
    cof.refresh_from_db()
    assert cof.status == FactuurStatus.UITGEGEVEN and cof.nummer == "ALFA-2025-0001"
    client.post(reverse("facturatie:uitgeven", args=[cof.pk]))  # again: refused with a message
    detail = client.get(reverse("facturatie:detail", args=[cof.pk])).content.decode()
    assert "ALFA-2025-0001" in detail and "Creditfactuur maken" in detail

    for naam, mime in (
        ("facturatie:pdf", "application/pdf"),
        ("facturatie:csv", "text/csv; charset=utf-8"),
        ("facturatie:xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("facturatie:ubl", "application/xml"),
    ):
        antwoord = client.get(reverse(naam, args=[cof.pk]))
        assert antwoord.status_code == 200 and antwoord["Content-Type"] == mime
        assert "ALFA-2025-0001" in antwoord["Content-Disposition"]
    assert client.get(reverse("facturatie:overzicht_csv") + "?jaar=2025").status_code == 200
    assert client.get(reverse("facturatie:overzicht_xlsx")).status_code == 200

    credit_url = reverse("facturatie:crediteren", args=[cof.pk])
    assert client.get(credit_url).status_code == 200
    assert client.post(credit_url, {}).status_code == 400
    antwoord = client.post(credit_url, {"regels": [regel.pk]})
    assert antwoord.status_code == 302
    credit = Factuur.objects.get(credit_van=cof)
    assert credit.nummer == "ALFA-2025-0002"
    assert client.post(credit_url, {"regels": [regel.pk]}).status_code == 400  # already credited


def test_a_draft_has_no_e_invoice_and_subsidy_statements_none_at_all(client, tenant_a, opgesteld):
    cof, sub = opgesteld
    assert client.get(reverse("facturatie:ubl", args=[cof.pk])).status_code == 404
    assert client.get(reverse("facturatie:ubl", args=[sub.pk])).status_code == 404
    assert client.get(reverse("facturatie:pdf", args=[sub.pk])).status_code == 200


def test_each_party_sees_only_its_own_part(client, tenant_a, tenant_b, opgesteld):
    cof, sub = opgesteld
    login_verified(client, tenant_a.gebruikers["partner_beheer"])
    assert client.get(reverse("facturatie:detail", args=[sub.pk])).status_code == 404
    assert sub.ontvanger.naam not in client.get(reverse("facturatie:list")).content.decode()
    login_verified(client, tenant_a.gebruikers["teamleider"])
    assert client.get(reverse("facturatie:detail", args=[cof.pk])).status_code == 404
    assert client.get(reverse("facturatie:detail", args=[sub.pk])).status_code == 200
    login_verified(client, tenant_b.gebruikers["financien"])
    assert client.get(reverse("facturatie:detail", args=[cof.pk])).status_code == 404
    assert client.get(reverse("facturatie:regel", args=[cof.regels.get().pk])).status_code == 404
    assert "Er zijn nog geen facturen" in client.get(reverse("facturatie:list")).content.decode()


def test_a_line_waiting_after_a_dispute_is_listed_and_visible_to_its_parties(client, tenant_a, opgesteld):
    from facturatie.bespreking.services import regel_betwisten
    from facturatie.facturen.opstellen import facturen_opstellen
    from facturatie.facturen.services import factuur_uitgeven

    cof, _ = opgesteld
    bereikt_dossier(tenant_a)
    facturen_opstellen(jaar=2025, door=tenant_a.gebruikers["financien"])
    regel = cof.regels.first()
    regel_betwisten(regel_id=regel.pk, door=tenant_a.gebruikers["partner_beheer"], reden="Twijfel")
    factuur_uitgeven(factuur=cof, door=tenant_a.gebruikers["financien"])
    assert "Wachtend op een volgende factuur" in client.get(reverse("facturatie:list")).content.decode()
    login_verified(client, tenant_a.gebruikers["partner_beheer"])
    assert client.get(reverse("facturatie:regel", args=[regel.pk])).status_code == 200
    login_verified(client, tenant_a.gebruikers["teamleider"])
    assert client.get(reverse("facturatie:regel", args=[regel.pk])).status_code == 404
