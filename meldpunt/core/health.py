"""Checks behind the status page: database, Redis, Celery worker and beat."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from .tasks import HEARTBEAT_CACHE_KEY


@dataclass(frozen=True)
class Controle:
    naam: str
    ok: bool
    toelichting: str


def controleer_database() -> Controle:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            (versie,) = cursor.fetchone()
        return Controle("database", True, versie.split(",")[0])
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        return Controle("database", False, type(exc).__name__)


def controleer_redis() -> Controle:
    try:
        client = cache._cache.get_client()  # type: ignore[attr-defined]  # Django's Redis cache backend
        client.ping()
        info = client.info("server")
        return Controle("redis", True, f"Redis {info.get('redis_version', '?')}")
    except Exception as exc:  # noqa: BLE001
        return Controle("redis", False, type(exc).__name__)


def controleer_worker() -> Controle:
    from meldpunt.celery import app

    try:
        antwoorden = app.control.ping(timeout=settings.MELDPUNT_WORKER_PING_TIMEOUT) or []
    except Exception as exc:  # noqa: BLE001
        return Controle("worker", False, type(exc).__name__)
    if not antwoorden:
        return Controle("worker", False, "Geen worker antwoordt.")
    return Controle("worker", True, f"{len(antwoorden)} worker(s) actief")


def controleer_beat() -> Controle:
    try:
        laatste = cache.get(HEARTBEAT_CACHE_KEY)
    except Exception as exc:  # noqa: BLE001
        return Controle("beat", False, type(exc).__name__)
    if not laatste:
        return Controle("beat", False, "Nog geen hartslag van de planner ontvangen.")
    moment = dt.datetime.fromisoformat(laatste)
    leeftijd = timezone.now() - moment
    ok = leeftijd < dt.timedelta(minutes=3)
    lokaal = timezone.localtime(moment)
    return Controle("beat", ok, f"Laatste hartslag {lokaal:%d-%m-%Y %H:%M:%S}")


def controleer_alles(*, worker: bool = True) -> list[Controle]:
    controles = [controleer_database(), controleer_redis()]
    if worker:
        controles += [controleer_worker(), controleer_beat()]
    return controles
