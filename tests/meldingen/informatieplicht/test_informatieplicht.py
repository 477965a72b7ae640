"""The information duty (art. 14 AVG): the clock, recording, the letter and the reminder sweep (real SMTP sink)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from convenants.models import ConvenantParameters
from meldingen.dossiers.services import dossier_afsluiten, dossier_claim
from meldingen.informatieplicht.brief import informatiebrief_html
from meldingen.informatieplicht.herinneringen import informatieplicht_herinneringen
from meldingen.informatieplicht.services import (
    BRIEF_SOORT,
    informatiebrief_maken,
    informatieplicht_uitzondering,
    informatieplicht_verstuurd,
)
from meldingen.models import Informatieplicht, InformatieplichtUitzondering
from meldpunt.audit.models import LogRegel
from meldpunt.core.exceptions import ApplicationError
from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.models import VersleuteldBestand
from meldpunt.privacy.services import versleuteld_bestand_lezen
from tests.meldingen.helpers import maak_melding
from tests.persoonsgegevens import ACHTERNAAM, STRAAT, VERBODEN_IN_LOGS

pytestmark = pytest.mark.django_db

#: Claimed on Monday 2 November 2026 at 10:00 in Amsterdam.
CLAIM = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
UUR = dt.timedelta(hours=1)
DAG = dt.timedelta(days=1)


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def _geclaimd(tenant, referentie="RC-1", door=None):
    with time_machine.travel(CLAIM - DAG, tick=False):
        melding = maak_melding(tenant, referentie=referentie)
    with time_machine.travel(CLAIM, tick=False):
        return dossier_claim(dossier_id=melding.dossier_id, door=door or tenant.gebruikers["hulpverlener"])


def _tekst(bericht) -> str:
    return bericht.get_payload(decode=True).decode()


# --- the clock -----------------------------------------------------------------------------------
def test_the_clock_starts_at_claim_with_the_convenants_term(tenant_a):
    ConvenantParameters.objects.filter(convenant=tenant_a.convenant).update(informatieplicht_maanden=2)
    with time_machine.travel(CLAIM - 3 * DAG, tick=False):
        melding = maak_melding(tenant_a, referentie="RC-1")
    assert not Informatieplicht.objects.exists()  # not before the joint processing starts
    with time_machine.travel(CLAIM, tick=False):
        dossier_claim(dossier_id=melding.dossier_id, door=tenant_a.gebruikers["hulpverlener"])
    plicht = Informatieplicht.objects.get(dossier_id=melding.dossier_id)
    assert (plicht.gestart_op, plicht.termijn_op) == (dt.date(2026, 11, 2), dt.date(2027, 1, 2))
    assert not plicht.afgehandeld


# --- the reminder sweep --------------------------------------------------------------------------
def test_reminders_before_and_after_the_deadline_exactly_once_each(smtp, mailbox, tenant_a, tenant_b):
    dossier = _geclaimd(tenant_a)  # termijn_op 2 December 2026
    _geclaimd(tenant_b, referentie="RC-B")
    behandelaar = tenant_a.gebruikers["hulpverlener"]
    assert Informatieplicht.objects.get(dossier=dossier).termijn_op == dt.date(2026, 12, 2)

    # 23:30 on 24 November (Amsterdam): eight days before, nothing is due.
    with time_machine.travel(dt.datetime(2026, 11, 24, 22, 30, tzinfo=dt.UTC), tick=False) as reis:
        assert informatieplicht_herinneringen() == 0
        # The sweep was down for hours across the start of the window: the next tick still reminds, once.
        reis.shift(6 * UUR)  # 25 November 05:30
        assert informatieplicht_herinneringen() == 2  # one reminder for each tenant's dossier
        assert informatieplicht_herinneringen() == 0  # a repeated tick sends nothing twice
        reis.shift(15 * 60)
        assert informatieplicht_herinneringen() == 0
    berichten = mailbox.wait_for(2)
    assert sorted(m["To"] for m in berichten) == sorted([behandelaar.email, tenant_b.gebruikers["hulpverlener"].email])
    voor = next(m for m in berichten if m["To"] == behandelaar.email)
    assert "verloopt binnenkort" in voor["Subject"]
    assert f"dossier {dossier.nummer} (termijn tot en met 02-12-2026)" in _tekst(voor)
    plicht = Informatieplicht.objects.get(dossier=dossier)
    assert plicht.herinnering_voor_termijn_op is not None and plicht.herinnering_na_termijn_op is None

    # The deadline day itself is still "before"; the day after, the deadline has passed.
    mailbox.clear()
    with time_machine.travel(dt.datetime(2026, 12, 2, 20, 0, tzinfo=dt.UTC), tick=False) as reis:
        assert informatieplicht_herinneringen() == 0
        reis.shift(3 * UUR)  # 3 December 00:00 Amsterdam
        # tenant_b's duty was done in the meantime: no reminder for it.
        informatieplicht_verstuurd(
            dossier=Informatieplicht.objects.exclude(dossier=dossier).get().dossier,
            door=tenant_b.gebruikers["hulpverlener"],
            verstuurd_op=dt.date(2026, 11, 30),
        )
        assert informatieplicht_herinneringen() == 1
        assert informatieplicht_herinneringen() == 0
    with time_machine.travel(dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        assert informatieplicht_herinneringen() == 0  # weeks later: never again
    (na,) = mailbox.wait_for(1)
    assert na["To"] == behandelaar.email
    assert "termijn verstreken" in na["Subject"]
    assert dossier.nummer in _tekst(na)
    plicht.refresh_from_db()
    assert plicht.herinnering_na_termijn_op is not None


def test_a_sweep_that_first_runs_after_the_deadline_sends_only_the_late_reminder(smtp, mailbox, tenant_a):
    dossier = _geclaimd(tenant_a)
    with time_machine.travel(dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC), tick=False):
        assert informatieplicht_herinneringen() == 1
        assert informatieplicht_herinneringen() == 0
    (bericht,) = mailbox.wait_for(1)
    assert "termijn verstreken" in bericht["Subject"]
    plicht = Informatieplicht.objects.get(dossier=dossier)
    assert plicht.herinnering_voor_termijn_op is None and plicht.herinnering_na_termijn_op is not None


def test_no_reminders_for_closed_dossiers_or_duties_done(smtp, mailbox, tenant_a):
    gesloten = _geclaimd(tenant_a, referentie="RC-1")
    verstuurd = _geclaimd(tenant_a, referentie="RC-2")
    uitzondering = _geclaimd(tenant_a, referentie="RC-3")
    hulpverlener = tenant_a.gebruikers["hulpverlener"]
    with time_machine.travel(CLAIM + DAG, tick=False):
        dossier_afsluiten(dossier=gesloten, door=hulpverlener, eindresultaat="Definitief geen contact kunnen krijgen")
        informatieplicht_verstuurd(dossier=verstuurd, door=hulpverlener, verstuurd_op=dt.date(2026, 11, 3))
        informatieplicht_uitzondering(
            dossier=uitzondering,
            door=hulpverlener,
            uitzondering=InformatieplichtUitzondering.HEEFT_INFORMATIE_AL,
            toelichting="Brief van de verhuurder bevatte alles.",
        )
    for moment in (dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC), dt.datetime(2026, 12, 10, 9, 0, tzinfo=dt.UTC)):
        with time_machine.travel(moment, tick=False):
            assert informatieplicht_herinneringen() == 0
    assert mailbox.messages() == []


def test_one_mail_per_behandelaar_with_dossier_numbers_and_no_personal_data(smtp, mailbox, tenant_a):
    een = _geclaimd(tenant_a, referentie="RC-1")
    twee = _geclaimd(tenant_a, referentie="RC-2")
    with time_machine.travel(dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC), tick=False):
        assert informatieplicht_herinneringen() == 2
    (bericht,) = mailbox.wait_for(1)
    tekst = _tekst(bericht)
    assert "voor 2 dossiers" in tekst
    assert een.nummer in tekst and twee.nummer in tekst
    assert reverse("informatieplicht:detail", kwargs={"dossier_id": een.pk}) in tekst
    for waarde in [*VERBODEN_IN_LOGS, "RC-1", "RC-2", tenant_a.partner.naam]:
        assert waarde not in tekst
        assert waarde not in bericht["Subject"]


def test_the_sweep_task_is_registered_and_scheduled(settings):
    from meldpunt.celery import app

    naam = "meldingen.informatieplicht.stuur_informatieplicht_herinneringen"
    assert naam in {regel["task"] for regel in settings.CELERY_BEAT_SCHEDULE.values()}
    assert naam in app.tasks
    assert app.tasks[naam].acks_late is True


# --- recording: sent / exception -----------------------------------------------------------------
def test_recording_sent_validates_the_date(tenant_a):
    dossier = _geclaimd(tenant_a)
    hulpverlener = tenant_a.gebruikers["hulpverlener"]
    with time_machine.travel(CLAIM + 5 * DAG, tick=False):
        with pytest.raises(ApplicationError) as fout:
            informatieplicht_verstuurd(dossier=dossier, door=hulpverlener, verstuurd_op=dt.date(2026, 11, 8))
        assert "toekomst" in fout.value.extra["verstuurd_op"][0]
        with pytest.raises(ApplicationError) as fout:
            informatieplicht_verstuurd(dossier=dossier, door=hulpverlener, verstuurd_op=dt.date(2026, 11, 1))
        assert "vóór het oppakken" in fout.value.extra["verstuurd_op"][0]
        plicht = informatieplicht_verstuurd(dossier=dossier, door=hulpverlener, verstuurd_op=dt.date(2026, 11, 2))
        assert plicht.verstuurd_op == dt.date(2026, 11, 2) and plicht.afgehandeld
        assert plicht.vastgelegd_door == hulpverlener
        with pytest.raises(ApplicationError):  # recorded once
            informatieplicht_verstuurd(dossier=dossier, door=hulpverlener, verstuurd_op=dt.date(2026, 11, 3))
        with pytest.raises(ApplicationError):  # an exception is pointless once the letter went out
            informatieplicht_uitzondering(
                dossier=dossier, door=hulpverlener, uitzondering="heeft_informatie_al", toelichting="x"
            )
    assert LogRegel.objects.filter(actie="wijzigen", object_id=str(dossier.pk), gebruiker_id=hulpverlener.pk).exists()


def test_only_the_behandelaar_or_a_teamleider_of_the_uitvoerder_records(tenant_a, tenant_b):
    from tests.factories import UserFactory

    dossier = _geclaimd(tenant_a)
    collega = UserFactory(username="collega.alfa", organisatie=tenant_a.uitvoerder, rollen=["hulpverlener"])
    with time_machine.travel(CLAIM + DAG, tick=False):
        for door in (
            collega,
            tenant_a.gebruikers["melder"],
            tenant_a.gebruikers["contactpunt"],
            tenant_b.gebruikers["teamleider"],
        ):
            with pytest.raises(ApplicationError):
                informatieplicht_verstuurd(dossier=dossier, door=door, verstuurd_op=dt.date(2026, 11, 3))
            with pytest.raises(ApplicationError):
                informatieplicht_uitzondering(
                    dossier=dossier, door=door, uitzondering="onmogelijk_onevenredig", toelichting="Geen adres."
                )
            with pytest.raises(ApplicationError):
                informatiebrief_maken(dossier=dossier, door=door)
        assert not Informatieplicht.objects.get(dossier=dossier).afgehandeld
        informatieplicht_verstuurd(
            dossier=dossier, door=tenant_a.gebruikers["teamleider"], verstuurd_op=dt.date(2026, 11, 3)
        )


def test_recording_before_the_claim_is_refused(tenant_a):
    melding = maak_melding(tenant_a)
    with pytest.raises(ApplicationError, match="opgepakt"):
        informatieplicht_verstuurd(
            dossier=melding.dossier, door=tenant_a.gebruikers["teamleider"], verstuurd_op=dt.date.today()
        )


def test_an_exception_needs_a_kind_and_a_motivation_stored_encrypted(tenant_a):
    dossier = _geclaimd(tenant_a)
    hulpverlener = tenant_a.gebruikers["hulpverlener"]
    with pytest.raises(ApplicationError) as fout:
        informatieplicht_uitzondering(dossier=dossier, door=hulpverlener, uitzondering="", toelichting="  ")
    assert set(fout.value.extra) == {"uitzondering", "toelichting"}
    with pytest.raises(ApplicationError) as fout:
        informatieplicht_uitzondering(dossier=dossier, door=hulpverlener, uitzondering="iets", toelichting="Reden.")
    assert set(fout.value.extra) == {"uitzondering"}
    motivering = f"Mevrouw {ACHTERNAAM} heeft geen vast adres; verblijft wisselend."
    plicht = informatieplicht_uitzondering(
        dossier=dossier,
        door=hulpverlener,
        uitzondering=InformatieplichtUitzondering.ONMOGELIJK,
        toelichting=motivering,
    )
    plicht = Informatieplicht.objects.get(pk=plicht.pk)
    assert plicht.uitzondering == "onmogelijk_onevenredig" and plicht.afgehandeld
    opgeslagen = bytes(plicht.toelichting)
    assert ACHTERNAAM.encode() not in opgeslagen and b"adres" not in opgeslagen
    context = f"meldingen.informatieplicht:{dossier.pk}:toelichting"
    assert Kluis(dossier.sleutel).ontsleutel(opgeslagen, context=context) == motivering


# --- the letter ----------------------------------------------------------------------------------
def test_the_letter_names_the_convenants_parties_rights_and_retention(tenant_a):
    ConvenantParameters.objects.filter(convenant=tenant_a.convenant).update(
        bewaartermijn_uitvoerder_maanden=18, bewaartermijn_gemeente_maanden=9
    )
    dossier = _geclaimd(tenant_a)
    html = informatiebrief_html(dossier=dossier)
    for verwacht in (
        tenant_a.gemeente.naam,
        tenant_a.partner.naam,
        tenant_a.uitvoerder.naam,
        tenant_a.convenant.naam,
        "gezamenlijk verwerkingsverantwoordelijken",
        "verwerker",
        "artikel 6, eerste lid,\n      onder e AVG",
        "artikel 6, eerste lid,\n      onder f AVG",
        "ontruiming",
        "ten hoogste 18 maanden",
        "ten hoogste 9 maanden",
        "inzage",
        "rectificatie",
        "wissing",
        "beperking",
        "bezwaar",
        "overdraagbaarheid",
        "Autoriteit Persoonsgegevens",
        tenant_a.convenant.fg_email,
        dossier.nummer,
        ACHTERNAAM,  # addressed to the tenant (decrypted from the first melding)
        STRAAT,
        "1111 AB Diemen",
    ):
        assert verwacht in html, verwacht


def test_the_letter_is_a_pdf_stored_encrypted_and_downloaded_with_audit(client, inloggen, tenant_a, tenant_b):
    dossier = _geclaimd(tenant_a)
    bestand = informatiebrief_maken(dossier=dossier, door=tenant_a.gebruikers["hulpverlener"])
    opgeslagen = VersleuteldBestand.objects.get(pk=bestand.pk)
    assert opgeslagen.soort == BRIEF_SOORT and opgeslagen.sleutel_id == dossier.sleutel_id
    assert not bytes(opgeslagen.inhoud).startswith(b"%PDF")
    naam, inhoud = versleuteld_bestand_lezen(opgeslagen)
    assert inhoud.startswith(b"%PDF") and naam == f"informatiebrief-{dossier.nummer}.pdf"
    assert LogRegel.objects.filter(actie="aanmaken", object_id=str(dossier.pk)).exists()

    teamleider = tenant_a.gebruikers["teamleider"]
    inloggen(teamleider)
    response = client.get(reverse("informatieplicht:brief", kwargs={"dossier_id": dossier.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert LogRegel.objects.filter(actie="exporteren", object_id=str(dossier.pk), gebruiker_id=teamleider.pk).exists()

    inloggen(tenant_b.gebruikers["teamleider"])
    assert client.get(reverse("informatieplicht:brief", kwargs={"dossier_id": dossier.pk})).status_code == 404


# --- the page ------------------------------------------------------------------------------------
def test_the_page_shows_deadline_and_records_through_the_forms(client, inloggen, tenant_a, tenant_b):
    dossier = _geclaimd(tenant_a)
    url = reverse("informatieplicht:detail", kwargs={"dossier_id": dossier.pk})
    with time_machine.travel(CLAIM + 40 * DAG, tick=False):
        inloggen(tenant_a.gebruikers["hulpverlener"])
        html = client.get(url).content.decode()
        assert 'data-termijn="2026-12-02"' in html
        assert "Termijn verstreken" in html
        assert "Informatiebrief maken" in html

        response = client.post(url, {"actie": "uitzondering", "uitzondering": "", "toelichting": ""})
        assert response.status_code == 400
        assert "Motivering" in response.content.decode()

        response = client.post(url, {"actie": "brief"})
        assert response.status_code == 302
        assert VersleuteldBestand.objects.filter(sleutel_id=dossier.sleutel_id, soort=BRIEF_SOORT).count() == 1

        response = client.post(url, {"actie": "verstuurd", "verstuurd_op": "2026-12-01"})
        assert response.status_code == 302
        html = client.get(url).content.decode()
        assert "Informatiebrief verstuurd op 01-12-2026" in html
        assert reverse("informatieplicht:brief", kwargs={"dossier_id": dossier.pk}) in html
    assert Informatieplicht.objects.get(dossier=dossier).verstuurd_op == dt.date(2026, 12, 1)

    inloggen(tenant_b.gebruikers["hulpverlener"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"actie": "brief"}).status_code == 404
