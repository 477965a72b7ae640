"""The screens: financien drafts, the Partner disputes, financien issues, credits and downloads; scoping."""

from __future__ import annotations

import pytest
from django.urls import reverse

from facturatie.facturen.models import Factuur, Opstelrun
from facturatie.facturen.opstelrun import opstelrun_uitvoeren
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
    # What the worker does with the queued run (tests/facturatie/facturen/test_opstelrun_worker.py runs it there).
    opstelrun_uitvoeren(run_id=Opstelrun.objects.get().pk)
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


def test_drafting_queues_a_run_and_the_list_polls_its_progress_then_shows_the_result(client, tenant_a):
    factuurgegevens_invullen(tenant_a)
    bereikt_dossier(tenant_a)
    bereikt_dossier(tenant_a, type="EO")
    login_verified(client, tenant_a.gebruikers["financien"])
    antwoord = client.post(reverse("facturatie:list"), {"jaar": "2025"})
    run = Opstelrun.objects.get()
    assert antwoord.status_code == 302 and antwoord["Location"] == f"{reverse('facturatie:list')}?opstelrun={run.pk}"
    assert not Factuur.objects.exists()  # nothing is drafted in the request

    stand_url = reverse("facturatie:opstelrun_stand", args=[run.pk])
    pagina = client.get(antwoord["Location"]).content.decode()
    assert "Het opstellen van 2025 is gestart." in pagina
    assert f'hx-get="{stand_url}"' in pagina and 'hx-trigger="every 1s"' in pagina
    assert '<progress id="opstelrun-voortgang' in pagina and "0 van 1 convenant<" in pagina
    fragment = client.get(stand_url, HTTP_HX_REQUEST="true")
    assert (
        fragment.status_code == 200 and "HX-Refresh" not in fragment and "In de wachtrij" in fragment.content.decode()
    )

    opstelrun_uitvoeren(run_id=run.pk)
    fragment = client.get(stand_url, HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true"
    html = fragment.content.decode()
    assert "hx-get" not in html and 'value="100"' in html and "1 van 1 convenant<" in html
    assert "3 nieuwe regels op 2 concepten." in html
    for factuur in Factuur.objects.all():
        assert f'href="{reverse("facturatie:detail", args=[factuur.pk])}"' in html
    pagina = client.get(antwoord["Location"]).content.decode()
    assert 'data-opstelrun="klaar"' in pagina and "Subsidie-afrekening aan Uitvoerder" in pagina


def test_a_second_drafting_of_the_year_shows_the_running_one(client, tenant_a):
    login_verified(client, tenant_a.gebruikers["financien"])
    eerste = client.post(reverse("facturatie:list"), {"jaar": "2025"})
    tweede = client.post(reverse("facturatie:list"), {"jaar": "2025"})
    assert eerste["Location"] == tweede["Location"] and Opstelrun.objects.count() == 1
    assert "Het opstellen van 2025 loopt al." in client.get(tweede["Location"]).content.decode()


def test_a_failed_run_shows_its_message(client, tenant_a):
    run = Opstelrun.objects.create(
        gemeente=tenant_a.gemeente,
        jaar=2025,
        door=tenant_a.gebruikers["financien"],
        status="mislukt",
        convenanten_totaal=2,
        convenanten_klaar=1,
        foutmelding="Het opstellen van convenant X is mislukt door een technische fout.",
    )
    login_verified(client, tenant_a.gebruikers["financien"])
    html = client.get(reverse("facturatie:opstelrun_stand", args=[run.pk])).content.decode()
    assert 'role="alert"' in html and "convenant X is mislukt" in html and "1 van 2 convenanten" in html
    assert "Het opstellen van convenant X" in client.get(reverse("facturatie:list")).content.decode()


def test_another_gemeentes_run_answers_404_and_is_not_shown(client, tenant_a, tenant_b):
    ander = Opstelrun.objects.create(gemeente=tenant_b.gemeente, jaar=2025, door=tenant_b.gebruikers["financien"])
    login_verified(client, tenant_a.gebruikers["financien"])
    assert client.get(reverse("facturatie:opstelrun_stand", args=[ander.pk])).status_code == 404
    pagina = client.get(f"{reverse('facturatie:list')}?opstelrun={ander.pk}").content.decode()
    assert "data-opstelrun" not in pagina and tenant_b.gebruikers["financien"].username not in pagina
    login_verified(client, tenant_b.gebruikers["partner_beheer"])
    assert client.get(reverse("facturatie:opstelrun_stand", args=[ander.pk])).status_code == 403
