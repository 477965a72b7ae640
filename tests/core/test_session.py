"""Session idle timeout (15 minutes) and absolute timeout (12 hours), with frozen time."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_idle_session_expires_after_15_minutes(client, inloggen):
    user = UserFactory()
    with time_machine.travel(START, tick=False) as traveller:
        inloggen(user)
        assert client.get(reverse("core:home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=14))
        assert client.get(reverse("core:home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=14))  # active 14 minutes ago: still fine
        assert client.get(reverse("core:home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=15, seconds=1))
        response = client.get(reverse("core:home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("core:login"))
        assert client.get(reverse("core:home")).status_code == 302


def test_active_session_ends_after_12_hours(client, inloggen):
    user = UserFactory()
    with time_machine.travel(START, tick=False) as traveller:
        inloggen(user)
        for _ in range(12 * 6 - 1):  # a request every 10 minutes for almost 12 hours
            traveller.shift(dt.timedelta(minutes=10))
            assert client.get(reverse("core:home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=10, seconds=1))
        response = client.get(reverse("core:home"))
        assert response.status_code == 302


def test_session_cookie_settings(settings):
    assert settings.SESSION_COOKIE_HTTPONLY
    assert dt.timedelta(minutes=15) == settings.SESSION_IDLE_TIMEOUT
    assert dt.timedelta(hours=12) == settings.SESSION_ABSOLUTE_TIMEOUT
