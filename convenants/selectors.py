"""Reads for convenants, scoped to the organisations the user belongs to."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from meldpunt.core.models import OrganisatieType, Rol, User

from .models import Convenant


def convenant_list(*, user: User) -> QuerySet[Convenant]:
    """Platformbeheer sees every convenant; everyone else the convenants their organisation is in."""
    qs = Convenant.objects.select_related("gemeente", "uitvoerder")
    if user.heeft_rol(Rol.PLATFORMBEHEER):
        return qs
    org = user.organisatie
    if org.type == OrganisatieType.GEMEENTE:
        return qs.filter(gemeente=org)
    if org.type == OrganisatieType.UITVOERDER:
        return qs.filter(uitvoerder=org)
    if org.type == OrganisatieType.PARTNER:
        return qs.filter(deelnames__partner=org).distinct()
    return qs.none()


def convenant_get(*, user: User, slug: str) -> Convenant:
    return get_object_or_404(convenant_list(user=user), slug=slug)


def actief_filter(op: dt.date | None = None) -> Q:
    op = op or timezone.localdate()
    return Q(startdatum__lte=op) & (Q(einddatum__isnull=True) | Q(einddatum__gte=op))


def convenant_list_actief_voor_melder(*, user: User) -> QuerySet[Convenant]:
    """Active convenants in which the user's organisation is a Partner (the choice on the intake form)."""
    if user.organisatie.type != OrganisatieType.PARTNER:
        return Convenant.objects.none()
    return Convenant.objects.filter(actief_filter(), deelnames__partner=user.organisatie).distinct()
