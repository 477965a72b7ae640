"""Deadline arithmetic in clock hours: weekends and nights count, DST changes do not shift the instant."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from datalekken.termijnen.klok import Termijn, afteltekst

AMS = ZoneInfo("Europe/Amsterdam")


def test_72_hours_over_a_weekend_are_72_clock_hours():
    vrijdag = dt.datetime(2026, 11, 20, 16, 30, tzinfo=AMS)
    termijn = Termijn(vrijdag, 72, None)
    assert termijn.uiterlijk == dt.datetime(2026, 11, 23, 16, 30, tzinfo=AMS)  # Monday, weekend included
    assert termijn.uiterlijk.weekday() == 0


def test_72_hours_over_the_change_to_summer_time_end_an_hour_later_on_the_wall_clock():
    # The night of 27 to 28 March 2027 the clocks go forward: 72 real hours end at 11:00 local, not 10:00.
    bewust = dt.datetime(2027, 3, 27, 10, 0, tzinfo=AMS)
    termijn = Termijn(bewust, 72, None)
    lokaal = termijn.uiterlijk.astimezone(AMS)
    assert (lokaal.day, lokaal.hour) == (30, 11)
    assert termijn.uiterlijk - bewust == dt.timedelta(hours=72)


def test_24_hours_over_the_change_to_winter_time_end_an_hour_earlier_on_the_wall_clock():
    # 25 October 2026 the clocks go back an hour.
    ontdekt = dt.datetime(2026, 10, 24, 12, 0, tzinfo=AMS)
    lokaal = Termijn(ontdekt, 24, None).uiterlijk.astimezone(AMS)
    assert (lokaal.day, lokaal.hour) == (25, 11)


def test_countdown_and_thresholds_under_frozen_time():
    bewust = dt.datetime(2027, 3, 27, 10, 0, tzinfo=AMS)
    termijn = Termijn(bewust, 72, None)
    with time_machine.travel(bewust + dt.timedelta(hours=1, minutes=5), tick=False):
        nu = timezone.now()
        assert afteltekst(termijn, nu) == "nog 70 uur en 55 minuten"
        assert termijn.drempel(nu) is None
    with time_machine.travel(dt.datetime(2027, 3, 29, 23, 0, tzinfo=AMS), tick=False):  # 12 hours before 11:00
        assert termijn.drempel(timezone.now()) == "12u"
    with time_machine.travel(dt.datetime(2027, 3, 30, 9, 30, tzinfo=AMS), tick=False):
        assert termijn.drempel(timezone.now()) == "2u"
        assert not termijn.verlopen(timezone.now())
    with time_machine.travel(dt.datetime(2027, 3, 30, 11, 1, tzinfo=AMS), tick=False):
        nu = timezone.now()
        assert termijn.drempel(nu) == "verlopen"
        assert termijn.verlopen(nu)
        assert afteltekst(termijn, nu) == "0 uur en 1 minuten verstreken"


def test_a_met_deadline_has_no_threshold_and_says_whether_it_was_in_time():
    start = dt.datetime(2026, 11, 20, 9, 0, tzinfo=AMS)
    op_tijd = Termijn(start, 72, start + dt.timedelta(hours=71))
    te_laat = Termijn(start, 72, start + dt.timedelta(hours=73))
    later = start + dt.timedelta(days=10)
    assert op_tijd.drempel(later) is None and not op_tijd.verlopen(later)
    assert afteltekst(op_tijd, later) == "op tijd voldaan"
    assert te_laat.te_laat and afteltekst(te_laat, later) == "te laat voldaan"
