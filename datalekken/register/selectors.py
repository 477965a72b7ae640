"""Reads of the breach register: only the reporter's own breaches and, for the FG, those of their convenants."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from meldpunt.core.models import User

from .models import Datalek
from .toegang import zichtbaar_filter


def datalek_list(*, user: User) -> QuerySet[Datalek]:
    ids = Datalek.objects.filter(zichtbaar_filter(user)).values("pk")
    return (
        Datalek.objects.filter(pk__in=ids)
        .select_related("melder", "melder_organisatie", "sleutel")
        .prefetch_related("convenanten")
    )


def datalek_get(*, user: User, pk: Any) -> Datalek:
    """The breach, or 404 for anybody who may not see it."""
    try:
        return datalek_list(user=user).get(pk=int(pk))
    except (Datalek.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
