"""The extension letter: recording the extension makes it (worker), it is stored encrypted under the request's
key, the contactpunt downloads it and records the date it was sent — within the first month only."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from django.urls import reverse

from avg.verzoeken.herinneringen import verzoek_herinneringen
from avg.verzoeken.models import Verlengingsbrief, Verzoek
from avg.verzoeken.services import verlenging_verzonden, verzoek_verlengen
from avg.verzoeken.verlengingsbrief import (
    SOORT_VERLENGINGSBRIEF,
    verlengingsbrief_bestand,
    verlengingsbrief_html,
    verlengingsbrief_maken,
)
from meldpunt.audit.models import LogRegel
from meldpunt.core.exceptions import ApplicationError
from meldpunt.privacy.models import VersleuteldBestand
from tests.avg.helpers import in_behandeling
from tests.conftest import login_verified
from tests.persoonsgegevens import ACHTERNAAM, POSTCODE, VOORNAMEN

pytestmark = pytest.mark.django_db

REDENEN = "Het dossier is omvangrijk.\nDrie organisaties moeten worden geraadpleegd."


def moment(jaar: int, maand: int, dag: int) -> time_machine.travel:
    return time_machine.travel(dt.datetime(jaar, maand, dag, 10, tzinfo=dt.UTC), tick=False)


def verlengd(tenant):
    """Identity established on 5 March 2026 (deadline 5 April), extension to 5 June recorded on 10 March."""
    with moment(2026, 3, 5):
        verzoek = in_behandeling(tenant, vastgesteld_op=dt.date(2026, 3, 5))
    with moment(2026, 3, 10):
        verzoek = verzoek_verlengen(
            verzoek=verzoek, door=tenant.gebruikers["contactpunt"], verlengd_tot=dt.date(2026, 6, 5), reden=REDENEN
        )
    return verzoek


def test_recording_the_extension_makes_a_dutch_letter_with_kenmerk_deadlines_and_reasons(tenant_a):
    verzoek = verlengd(tenant_a)
    brief = Verlengingsbrief.objects.get(verzoek=verzoek)
    assert brief.datum == dt.date(2026, 3, 10) and brief.gemaakt_op is None and not brief.klaar
    assert verzoek.uiterste_datum == dt.date(2026, 4, 5)  # not in force before the letter was sent
    with moment(2026, 3, 10):
        brief = verlengingsbrief_maken(verzoek_id=verzoek.pk)
    assert brief is not None and brief.klaar
    verzoek = Verzoek.objects.select_related("sleutel", "gemeente").get(pk=verzoek.pk)
    html = verlengingsbrief_html(verzoek, brief)
    for tekst in (
        verzoek.nummer,
        'Datum</td><td data-veld="datum">10-03-2026',
        "op 05-03-2026 een verzoek ingediend",
        "uiterlijk op <strong>05-04-2026</strong>",
        "uiterlijk op <strong>05-06-2026</strong>",
        "<li>Het dossier is omvangrijk.</li>",
        "<li>Drie organisaties moeten worden geraadpleegd.</li>",
        "Autoriteit Persoonsgegevens",
        f"{VOORNAMEN} {ACHTERNAAM}",
        f"{POSTCODE} 104 A",
        tenant_a.gemeente.naam,
        "Inzage (art. 15 AVG)",
    ):
        assert tekst in html, tekst
    naam, pdf = verlengingsbrief_bestand(brief)
    assert naam == f"verlenging-{verzoek.nummer}.pdf" and pdf.startswith(b"%PDF")
    # encrypted at rest, under the request's own key
    opgeslagen = VersleuteldBestand.objects.get(pk=brief.bestand_id)
    assert opgeslagen.soort == SOORT_VERLENGINGSBRIEF and opgeslagen.sleutel_id == verzoek.sleutel_id
    assert not bytes(opgeslagen.inhoud).startswith(b"%PDF") and b"%PDF" not in bytes(opgeslagen.inhoud)
    assert naam.encode() not in bytes(opgeslagen.naam)
    # a redelivered task does nothing twice
    assert verlengingsbrief_maken(verzoek_id=verzoek.pk).bestand_id == brief.bestand_id
    assert VersleuteldBestand.objects.filter(soort=SOORT_VERLENGINGSBRIEF).count() == 1


def test_changing_the_extension_before_it_was_sent_makes_a_new_letter(tenant_a):
    verzoek = verlengd(tenant_a)
    with moment(2026, 3, 10):
        eerste = verlengingsbrief_maken(verzoek_id=verzoek.pk)
    with moment(2026, 3, 12):
        verzoek_verlengen(
            verzoek=verzoek, door=tenant_a.gebruikers["contactpunt"], verlengd_tot=dt.date(2026, 5, 20), reden="Ander"
        )
        assert Verlengingsbrief.objects.get(verzoek=verzoek).gemaakt_op is None
        tweede = verlengingsbrief_maken(verzoek_id=verzoek.pk)
    assert tweede.datum == dt.date(2026, 3, 12) and tweede.bestand_id != eerste.bestand_id
    assert not VersleuteldBestand.objects.filter(pk=eerste.bestand_id).exists()
    assert "05-06-2026" not in verlengingsbrief_html(Verzoek.objects.get(pk=verzoek.pk), tweede)


def test_the_sent_date_must_fall_within_the_first_month(tenant_a):
    cp = tenant_a.gebruikers["contactpunt"]
    cp.email = "contactpunt@gemeente.example"
    cp.save()
    verzoek = verlengd(tenant_a)
    with moment(2026, 3, 10), pytest.raises(ApplicationError, match="wordt nog gemaakt"):
        verlenging_verzonden(verzoek=verzoek, door=cp, verzonden_op=dt.date(2026, 3, 10))
    with moment(2026, 3, 10):
        verlengingsbrief_maken(verzoek_id=verzoek.pk)
    with moment(2026, 3, 30):  # not sent yet: the first month's deadline is the one reminded of
        assert verzoek_herinneringen() == 1
    with moment(2026, 4, 7):
        for datum, fout in (
            (dt.date(2026, 4, 6), "binnen de eerste maand bericht krijgen, uiterlijk op 05-04-2026"),
            (dt.date(2026, 4, 8), "toekomst"),
            (dt.date(2026, 3, 9), "vóór de datum van de brief (10-03-2026)"),
            (None, "Vul in wanneer"),
        ):
            with pytest.raises(ApplicationError) as e:
                verlenging_verzonden(verzoek=verzoek, door=cp, verzonden_op=datum)
            assert fout in e.value.extra["verzonden_op"][0], datum
        assert Verzoek.objects.get(pk=verzoek.pk).verlenging_bericht_op is None
        with pytest.raises(ApplicationError):
            verlenging_verzonden(verzoek=verzoek, door=tenant_a.gebruikers["fg"], verzonden_op=dt.date(2026, 4, 5))
        verzoek = verlenging_verzonden(verzoek=verzoek, door=cp, verzonden_op=dt.date(2026, 4, 5))
        assert verzoek.uiterste_datum == dt.date(2026, 6, 5)
        with pytest.raises(ApplicationError, match="al vastgelegd"):
            verlenging_verzonden(verzoek=verzoek, door=cp, verzonden_op=dt.date(2026, 4, 5))
        with pytest.raises(ApplicationError, match="één keer"):
            verzoek_verlengen(verzoek=verzoek, door=cp, verlengd_tot=dt.date(2026, 6, 1), reden="x")
        assert verzoek_herinneringen() == 0  # the extended deadline is not near
    with moment(2026, 5, 30):  # its reminder is due again for the new deadline
        assert verzoek_herinneringen() == 1
        assert verzoek_herinneringen() == 0


def test_the_letter_through_the_pages_for_the_contactpunt_and_the_fg(client, tenant_a, tenant_b):
    cp, fg = tenant_a.gebruikers["contactpunt"], tenant_a.gebruikers["fg"]
    with moment(2026, 3, 5):
        verzoek = in_behandeling(tenant_a, vastgesteld_op=dt.date(2026, 3, 5))
    detail = reverse("verzoeken:detail", kwargs={"pk": verzoek.pk})
    download = reverse("verzoeken:verlengingsbrief", kwargs={"pk": verzoek.pk})
    stand = reverse("verzoeken:verlengingsbrief_status", kwargs={"pk": verzoek.pk})
    with moment(2026, 3, 10):
        login_verified(client, cp)
        assert client.get(download).status_code == 404  # nothing recorded yet
        fout = client.post(
            detail, {"actie": "verlengen", "verlengen-verlengd_tot": "2026-07-01", "verlengen-reden": "x"}
        )
        assert fout.status_code == 400 and "uiterlijk 05-06-2026" in fout.content.decode()
        assert not Verlengingsbrief.objects.exists()
        antwoord = client.post(
            detail, {"actie": "verlengen", "verlengen-verlengd_tot": "2026-06-05", "verlengen-reden": REDENEN}
        )
        assert antwoord.status_code == 302
        pagina = client.get(detail).content.decode()
        assert 'data-verlengingsbrief="bezig"' in pagina and 'data-verlenging="vastgelegd"' in pagina
        assert "Drie organisaties" in pagina
        assert client.get(download).status_code == 404  # still being made
        niet_klaar = client.post(
            detail, {"actie": "verlenging_verzonden", "verlenging_verzonden-verzonden_op": "2026-03-10"}
        )
        assert niet_klaar.status_code == 400 and "wordt nog gemaakt" in niet_klaar.content.decode()
        verlengingsbrief_maken(verzoek_id=verzoek.pk)
        assert 'data-verlengingsbrief="klaar"' in client.get(stand).content.decode()
        pdf = client.get(download)
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
        assert pdf["Content-Disposition"] == f'attachment; filename="verlenging-{verzoek.nummer}.pdf"'
        assert Verlengingsbrief.objects.get(verzoek=verzoek).gedownload_op is not None
        assert (
            LogRegel.objects.filter(
                object_type="avg.verzoek", object_id=str(verzoek.pk), actie="exporteren", doel="afhandeling AVG-verzoek"
            ).count()
            == 1
        )

        login_verified(client, fg)
        assert client.get(download).status_code == 200
        assert 'data-verlengingsbrief="klaar"' in client.get(stand).content.decode()
        client.post(detail, {"actie": "verlenging_verzonden", "verlenging_verzonden-verzonden_op": "2026-03-10"})
        assert Verzoek.objects.get(pk=verzoek.pk).verlenging_bericht_op is None
        for rol in ("gemeente_medewerker", "teamleider", "partner_beheer"):
            login_verified(client, tenant_a.gebruikers[rol])
            assert client.get(download).status_code == 403
            assert client.get(stand).status_code == 403
        login_verified(client, tenant_b.gebruikers["contactpunt"])
        assert client.get(download).status_code == 404
        assert client.get(stand).status_code == 404

    with moment(2026, 4, 7):
        login_verified(client, cp)
        te_laat = client.post(
            detail, {"actie": "verlenging_verzonden", "verlenging_verzonden-verzonden_op": "2026-04-06"}
        )
        assert te_laat.status_code == 400 and "uiterlijk op 05-04-2026" in te_laat.content.decode()
        client.post(detail, {"actie": "verlenging_verzonden", "verlenging_verzonden-verzonden_op": "2026-04-03"})
        verzoek.refresh_from_db()
        assert verzoek.verlenging_bericht_op == dt.date(2026, 4, 3) and verzoek.uiterste_datum == dt.date(2026, 6, 5)
        pagina = client.get(detail).content.decode()
        assert 'data-verlenging="verzonden"' in pagina and "verzonden op 03-04-2026" in pagina
        assert 'data-termijn="2026-06-05"' in pagina and 'data-stoplicht="groen"' in pagina


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_real_worker_makes_the_letter_after_the_extension_is_recorded(celery_worker, tenant_a):
    """On the real clock: the task is enqueued after commit and the worker stores the letter."""
    from django.utils import timezone

    verzoek = in_behandeling(tenant_a)
    verzoek_verlengen(
        verzoek=verzoek,
        door=tenant_a.gebruikers["contactpunt"],
        verlengd_tot=verzoek.termijn_op + dt.timedelta(days=30),
        reden=REDENEN,
    )
    einde = time.monotonic() + 60
    while not Verlengingsbrief.objects.get(verzoek=verzoek).klaar and time.monotonic() < einde:
        time.sleep(0.25)
    brief = Verlengingsbrief.objects.select_related("bestand__sleutel").get(verzoek=verzoek)
    assert brief.klaar and brief.datum == timezone.localdate()
    assert verlengingsbrief_bestand(brief)[1].startswith(b"%PDF")
