"""The reminder sweep: 12 h and 2 h before each deadline and when it has passed, once each; after a missed beat
the latest threshold once; never twice."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from datalekken.register.besluiten import datalek_ap_besluiten
from datalekken.register.models import Datalek, Herinnering
from datalekken.termijnen.herinneringen import datalek_herinneringen, stuur_datalek_herinneringen
from tests.datalekken.helpers import CONTACT_TELEFOON, OMSCHRIJVING, maak_datalek

pytestmark = pytest.mark.django_db

#: Friday 20 November 2026 15:00 UTC (16:00 in Amsterdam): the deadlines run through the weekend.
START = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)
UUR = dt.timedelta(hours=1)


def _onderwerpen(mailbox):
    return sorted(m["Subject"] for m in mailbox.messages())


def test_each_threshold_once_and_a_missed_beat_sends_only_the_latest(tenant_a, smtp, mailbox):
    with time_machine.travel(START, tick=False) as reis:
        datalek = maak_datalek(tenant_a, ontdekt_op=START)  # by the Uitvoerder: 24 h and 72 h clocks
        Datalek.objects.filter(pk=datalek.pk).update(fg_gemaild_op=START)
        assert datalek_herinneringen() == 0
        reis.shift(12 * UUR)  # 12 hours left on the 24 h clock
        assert datalek_herinneringen() == 1
        assert datalek_herinneringen() == 0  # a repeated beat: nothing twice
        reis.shift(11 * UUR)  # 1 hour left: the 2 h reminder
        assert datalek_herinneringen() == 1
        reis.shift(2 * UUR)  # passed
        assert datalek_herinneringen() == 1
        assert datalek_herinneringen() == 0
        # The beat was down from before the 72 h clock's 12 h mark until after its 2 h mark: one reminder.
        reis.shift(46 * UUR)  # 71 hours after awareness
        assert datalek_herinneringen() == 1
        assert stuur_datalek_herinneringen() == 0
        assert set(Herinnering.objects.filter(klok="72").values_list("drempel", flat=True)) == {"12u", "2u"}
        reis.shift(2 * UUR)
        assert datalek_herinneringen() == 1
        reis.shift(100 * UUR)
        assert datalek_herinneringen() == 0  # days later: never again
    berichten = mailbox.wait_for(5)
    assert len(berichten) == 5
    aan = {adres.strip() for m in berichten for adres in m["To"].split(",")}
    assert aan == {tenant_a.convenant.fg_email, tenant_a.gebruikers["hulpverlener"].email}
    assert sum("verstreken" in s for s in _onderwerpen(mailbox)) == 2
    for bericht in berichten:
        tekst = bericht.get_payload(decode=True).decode()
        assert datalek.nummer in tekst and OMSCHRIJVING not in tekst and CONTACT_TELEFOON not in tekst


def test_a_decision_stops_the_reminders_and_a_partner_report_has_no_24_hour_clock(tenant_a, smtp, mailbox):
    with time_machine.travel(START, tick=False) as reis:
        datalek = maak_datalek(tenant_a, "melder", ontdekt_op=START)
        Datalek.objects.filter(pk=datalek.pk).update(fg_gemaild_op=START)
        reis.shift(13 * UUR)
        assert datalek_herinneringen() == 0  # no 24 h clock for a controller's own report
        datalek_ap_besluiten(
            datalek=datalek, door=tenant_a.gebruikers["fg"], besluit="niet_melden", risicobeoordeling="r", reden="g"
        )
        reis.shift(70 * UUR)
        assert datalek_herinneringen() == 0


def test_the_sweep_sends_a_registration_mail_whose_task_never_ran(tenant_a, smtp, mailbox):
    with time_machine.travel(START, tick=False) as reis:
        datalek = maak_datalek(tenant_a, "melder", ontdekt_op=START)
        assert datalek_herinneringen() == 0
        assert mailbox.messages() == []
        reis.shift(dt.timedelta(minutes=3))
        datalek_herinneringen()
        datalek.refresh_from_db()
        assert datalek.fg_gemaild_op is not None
    (bericht,) = mailbox.wait_for(1)
    assert bericht["Subject"] == f"Datalek gemeld: {datalek.nummer}"
