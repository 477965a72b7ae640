"""Helpers for the log tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from meldpunt.audit.models import LogRegel


@contextmanager
def zonder_triggers() -> Iterator[None]:
    """Replica mode: user triggers do not fire (the test database user is a superuser), as an attacker
    with superuser rights could do; the hash chain must still expose what is changed meanwhile."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")


def regels(**filters: object) -> list[LogRegel]:
    return list(LogRegel.objects.filter(**filters).order_by("id"))
