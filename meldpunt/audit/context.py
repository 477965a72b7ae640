"""Where the current work comes from, for the ``herkomst`` of log entries written by services.

Services receive the acting user (``door``) but not the request. So that their log entries still name
the origin, the origin of the current unit of work is kept in a context variable:

* an HTTP request: the client address (``REMOTE_ADDR``), set on ``request_started`` and cleared on
  ``request_finished``;
* a Celery task: ``taak:<task name>``, set on ``task_prerun`` and cleared on ``task_postrun``;
* anything else (management commands, the shell): nothing; a service called with ``door=None`` then
  records ``beheer-commando``.

:func:`herkomst_instellen` sets it explicitly, e.g. for the API (``api:<token id>``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_herkomst: ContextVar[str] = ContextVar("meldpunt_logboek_herkomst", default="")


def huidige_herkomst() -> str:
    return _herkomst.get()


@contextmanager
def herkomst_instellen(herkomst: str) -> Iterator[None]:
    token = _herkomst.set(herkomst)
    try:
        yield
    finally:
        _herkomst.reset(token)


def ip_adres(waarde: object) -> str:
    """``waarde`` as a normalised IP address, or "" when it is not one (never free text)."""
    try:
        return str(ipaddress.ip_address(str(waarde).strip()))
    except ValueError:
        return ""


def _request_gestart(sender: Any, environ: dict[str, Any] | None = None, scope: Any = None, **kwargs: Any) -> None:
    adres = ""
    if environ is not None:
        adres = environ.get("REMOTE_ADDR", "")
    elif isinstance(scope, dict) and scope.get("client"):
        adres = scope["client"][0]
    _herkomst.set(ip_adres(adres))


def _request_klaar(sender: Any, **kwargs: Any) -> None:
    _herkomst.set("")


def _taak_gestart(sender: Any = None, task: Any = None, **kwargs: Any) -> None:
    naam = getattr(task, "name", None) or getattr(sender, "name", "")
    _herkomst.set(f"taak:{naam}"[:100])


def _taak_klaar(sender: Any = None, **kwargs: Any) -> None:
    _herkomst.set("")


def verbind_signalen() -> None:
    from celery.signals import task_postrun, task_prerun
    from django.core.signals import request_finished, request_started

    request_started.connect(_request_gestart, dispatch_uid="logboek_herkomst_request_gestart")
    request_finished.connect(_request_klaar, dispatch_uid="logboek_herkomst_request_klaar")
    task_prerun.connect(_taak_gestart, dispatch_uid="logboek_herkomst_taak_gestart", weak=False)
    task_postrun.connect(_taak_klaar, dispatch_uid="logboek_herkomst_taak_klaar", weak=False)
