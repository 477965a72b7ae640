"""Reading the log: the FG of a gemeente sees what concerns its convenants and its own organisation."""

from __future__ import annotations

import datetime as dt

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from convenants.models import Convenant
from meldpunt.core.models import OrganisatieType, Rol, User

from .models import LogRegel


def _zichtbaar_voor(user: User) -> Q | None:
    """Which entries ``user`` may read, or None for none at all.

    An FG (always of a gemeente) sees the entries of the convenants of its gemeente, and the entries
    about its own organisation: what its users did (also outside a convenant, such as logging in),
    what was done to its users and to the organisation itself. Never an entry of another convenant.
    """
    if not user.heeft_rol(Rol.FG) or user.organisatie.type != OrganisatieType.GEMEENTE:
        return None
    org_id = user.organisatie_id
    convenanten = Convenant.objects.filter(gemeente_id=org_id).values("pk")
    eigen_gebruikers = (
        User.objects.filter(organisatie_id=org_id).annotate(pk_tekst=Cast("pk", CharField())).values("pk_tekst")
    )
    over_eigen_organisatie = (
        Q(organisatie_id=org_id)
        | Q(object_type=User._meta.label_lower, object_id__in=eigen_gebruikers)
        | Q(object_type="core.organisatie", object_id=str(org_id))
    )
    return (Q(convenant__in=convenanten) | over_eigen_organisatie) & (
        Q(convenant__isnull=True) | Q(convenant__in=convenanten)
    )


def _begin_van_dag(datum: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(datum, dt.time.min))


def logregel_list(
    *,
    user: User,
    van: dt.date | None = None,
    tot: dt.date | None = None,
    actie: str = "",
    object_type: str = "",
) -> QuerySet[LogRegel]:
    """The entries ``user`` may read, newest first; ``van`` and ``tot`` are inclusive local dates."""
    zichtbaar = _zichtbaar_voor(user)
    if zichtbaar is None:
        return LogRegel.objects.none()
    qs = LogRegel.objects.filter(zichtbaar)
    if van is not None:
        qs = qs.filter(tijdstip__gte=_begin_van_dag(van))
    if tot is not None:
        qs = qs.filter(tijdstip__lt=_begin_van_dag(tot + dt.timedelta(days=1)))
    if actie:
        qs = qs.filter(actie=actie)
    if object_type:
        qs = qs.filter(object_type=object_type)
    return qs.select_related("gebruiker", "organisatie", "convenant").order_by("-tijdstip", "-id")


def logregel_object_types(*, user: User) -> list[str]:
    """The object types that occur in the entries ``user`` may read (the choices of the filter)."""
    zichtbaar = _zichtbaar_voor(user)
    if zichtbaar is None:
        return []
    qs = LogRegel.objects.filter(zichtbaar).exclude(object_type="").order_by("object_type")
    return list(qs.values_list("object_type", flat=True).distinct())
