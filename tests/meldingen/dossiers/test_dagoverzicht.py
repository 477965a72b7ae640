"""The Uitvoerder's queue and daily digest: counts only, sent once per day through the real SMTP sink."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from meldingen.dossiers.dagoverzicht import dagoverzichten_versturen
from meldingen.models import Dagoverzicht
from tests.meldingen.helpers import maak_melding
from tests.persoonsgegevens import VERBODEN_IN_LOGS

pytestmark = pytest.mark.django_db

OCHTEND = dt.datetime(2026, 11, 23, 5, 30, tzinfo=dt.UTC)  # 06:30 in Amsterdam


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def test_digest_is_sent_once_from_seven_with_counts_only(smtp, mailbox, tenant_a, tenant_b):
    with time_machine.travel(dt.datetime(2026, 11, 22, 15, 0, tzinfo=dt.UTC), tick=False):
        maak_melding(tenant_a, referentie="R1")
        maak_melding(
            tenant_a, referentie="R2", type="EO", eo={"vonnisdatum": "2026-11-01", "ontruimingsdatum": "2026-12-15"}
        )
        maak_melding(tenant_b, referentie="R3")
    with time_machine.travel(OCHTEND, tick=False) as reis:
        assert dagoverzichten_versturen() == 0  # before 07:00 nothing is due
        reis.shift(dt.timedelta(hours=3))  # the 07:00 and 08:00 ticks were missed
        assert dagoverzichten_versturen() == 2
        assert dagoverzichten_versturen() == 0  # the next tick sends nothing twice
    berichten = mailbox.wait_for(4)
    naar = sorted(m["To"] for m in berichten)
    assert naar == sorted(
        u.email for t in (tenant_a, tenant_b) for r, u in t.gebruikers.items() if r in ("hulpverlener", "teamleider")
    )
    tekst = (
        next(m for m in berichten if m["To"] == tenant_a.gebruikers["teamleider"].email)
        .get_payload(decode=True)
        .decode()
    )
    assert "nieuwe meldingen (laatste 24 uur): 2" in tekst
    assert "in de wachtrij: 2 (EO: 1" in tekst
    assert tenant_b.convenant.naam not in tekst
    for waarde in [*VERBODEN_IN_LOGS, "R1", "R2"]:
        assert waarde not in tekst
    assert Dagoverzicht.objects.filter(verstuurd_op__isnull=False).count() == 2


def test_digest_task_is_scheduled(settings):
    taken = {regel["task"] for regel in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "meldingen.notificaties.stuur_dagoverzichten" in taken


def test_queue_sorts_eo_first_then_minors_then_oldest(client, inloggen, tenant_a, tenant_b):
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)):
        oud = maak_melding(tenant_a, referentie="OUD", huishouden__minderjarige_kinderen=0)
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)):
        kinderen = maak_melding(tenant_a, referentie="KIND", huishouden__minderjarige_kinderen=3)
        eo_laat = maak_melding(
            tenant_a, referentie="EO2", type="EO", eo={"vonnisdatum": "2026-11-01", "ontruimingsdatum": "2026-12-20"}
        )
        eo_vroeg = maak_melding(
            tenant_a, referentie="EO1", type="EO", eo={"vonnisdatum": "2026-11-01", "ontruimingsdatum": "2026-12-05"}
        )
        anders = maak_melding(tenant_b, referentie="ANDER")
    inloggen(tenant_a.gebruikers["hulpverlener"])
    html = client.get(reverse("meldingen:wachtrij")).content.decode()
    volgorde = [m.dossier.nummer for m in (eo_vroeg, eo_laat, kinderen, oud)]
    posities = [html.index(f'data-dossier="{n}"') for n in volgorde]
    assert posities == sorted(posities)
    assert anders.dossier.nummer not in html
    for waarde in VERBODEN_IN_LOGS:
        assert waarde not in html
