"""Dutch formats for templates (loaded on every template, see ``TEMPLATES["OPTIONS"]["builtins"]``).

``{{ bedrag|euro }}`` → ``€ 1.450,50`` · ``{{ aantal|getal }}`` → ``10.000`` · ``{{ d|datum }}`` → ``12-03-1985``
(a date, a moment or an ISO text as decrypted data holds it) · ``{{ t|datumtijd }}`` → ``12-03-2026 14:30``
(local time) · ``{{ gebruiker|naam }}`` → the person's name (the username only when no name is known).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import timezone

register = template.Library()

LEEG = "—"


def _decimaal(waarde: Any) -> Decimal | None:
    if waarde is None or waarde == "" or isinstance(waarde, bool):
        return None
    try:
        getal = Decimal(str(waarde))
    except InvalidOperation:
        return None
    return getal if getal.is_finite() else None


def _groepen(geheel: int) -> str:
    return f"{geheel:,}".replace(",", ".")


@register.filter
def euro(waarde: Any) -> str:
    """An amount in euro, Dutch: ``€ 1.450,50``, ``€ -12,00``; empty or unreadable: ``—``."""
    getal = _decimaal(waarde)
    if getal is None:
        return LEEG
    afgerond = getal.quantize(Decimal("0.01"))
    teken = "-" if afgerond < 0 else ""
    geheel, _, centen = f"{abs(afgerond):f}".partition(".")
    return f"€\u00a0{teken}{_groepen(int(geheel))},{centen}"


@register.filter
def getal(waarde: Any) -> str:
    """A whole number with Dutch thousands separators: ``10.000``."""
    if waarde is None or waarde == "" or isinstance(waarde, bool):
        return LEEG
    try:
        geheel = int(waarde)
    except (TypeError, ValueError):
        return str(waarde)
    return ("-" if geheel < 0 else "") + _groepen(abs(geheel))


def _als_datum(waarde: Any) -> dt.date | None:
    if isinstance(waarde, dt.datetime):
        return timezone.localtime(waarde).date() if timezone.is_aware(waarde) else waarde.date()
    if isinstance(waarde, dt.date):
        return waarde
    if isinstance(waarde, str) and waarde:
        try:
            return dt.date.fromisoformat(waarde[:10])
        except ValueError:
            return None
    return None


@register.filter
def datum(waarde: Any) -> str:
    """A date as ``12-03-1985`` (a moment in local time; an ISO text as stored in decrypted data)."""
    dag = _als_datum(waarde)
    return f"{dag:%d-%m-%Y}" if dag else LEEG


@register.filter
def datumtijd(waarde: Any) -> str:
    """A moment as ``12-03-2026 14:30``, local time."""
    if not isinstance(waarde, dt.datetime):
        return datum(waarde)
    lokaal = timezone.localtime(waarde) if timezone.is_aware(waarde) else waarde
    return f"{lokaal:%d-%m-%Y %H:%M}"


@register.filter
def naam(gebruiker: Any) -> str:
    """A user as people know them: the full name, or the username when no name is known."""
    if gebruiker is None:
        return LEEG
    volledig = gebruiker.get_full_name() if hasattr(gebruiker, "get_full_name") else ""
    return volledig or getattr(gebruiker, "username", "") or LEEG
