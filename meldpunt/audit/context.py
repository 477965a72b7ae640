"""Where the current work comes from, for the ``herkomst`` of log entries written by services.

Services receive the acting user (``door``) but not the request. So that their log entries still name
the origin, the origin of the current unit of work is kept in a context variable:

* an HTTP request: the client address (:func:`client_adres`: ``REMOTE_ADDR``, or behind a trusted proxy
  the address that proxy received the request from), set on ``request_started`` and cleared on
  ``request_finished``;
* a Celery task: ``taak:<task name>``, set on ``task_prerun`` and cleared on ``task_postrun``;
* anything else (management commands, the shell): nothing; a service called with ``door=None`` then
  records ``beheer-commando``.

:func:`herkomst_instellen` sets it explicitly, e.g. for the API (``api:<token id>``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Mapping
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


def _vertrouwd(adres: str, netten: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    ip = ipaddress.ip_address(adres)
    return any(ip.version == net.version and ip in net for net in netten)


def vertrouwde_proxies() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """``MELDPUNT_VERTROUWDE_PROXIES``: the addresses or networks of the reverse proxies in front of gunicorn."""
    from django.conf import settings

    return [ipaddress.ip_network(n, strict=False) for n in getattr(settings, "MELDPUNT_VERTROUWDE_PROXIES", [])]


def client_adres(meta: Mapping[str, Any]) -> str:
    """The client's address for the Logboek, from a WSGI environ or ``request.META``.

    ``X-Forwarded-For`` is read only when the direct peer (``REMOTE_ADDR``) is a trusted proxy; then the
    header is walked from the right past further trusted proxies, and the first address that is not one is
    the client (what a client writes in the header itself stays to the left of it, unread). From anyone
    else the header is ignored and ``REMOTE_ADDR`` is the client. Always an IP address or "".
    """
    adres = ip_adres(meta.get("REMOTE_ADDR", ""))
    netten = vertrouwde_proxies()
    if not adres or not netten or not _vertrouwd(adres, netten):
        return adres
    for deel in reversed(str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")):
        kandidaat = ip_adres(deel)
        if not kandidaat:
            return adres  # a malformed hop: nothing to its left can be trusted
        if not _vertrouwd(kandidaat, netten):
            return kandidaat
        adres = kandidaat
    return adres


def _request_gestart(sender: Any, environ: dict[str, Any] | None = None, scope: Any = None, **kwargs: Any) -> None:
    adres = ""
    if environ is not None:
        adres = client_adres(environ)
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
