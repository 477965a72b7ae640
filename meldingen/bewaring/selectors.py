"""Reads of retention, scoped to the user's organisation first: the Uitvoerder's teamleider sees its
convenants, the FG and contactpunt of a Gemeente theirs; anything else answers 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from convenants.models import Convenant
from meldingen.dossiers.models import Dossier
from meldingen.dossiers.workflow import DossierStatus
from meldpunt.core.models import OrganisatieType, User

from .models import Bewaarblokkade, Vernietigingsverklaring
from .services import actieve_blokkaden

#: The vernietigingslijst looks this many days ahead unless the user asks otherwise.
STANDAARD_DAGEN = 30
MAX_DAGEN = 366


def convenanten_van(user: User) -> QuerySet[Convenant]:
    organisatie = user.organisatie
    if organisatie is None:
        return Convenant.objects.none()
    if organisatie.type == OrganisatieType.UITVOERDER:
        return Convenant.objects.filter(uitvoerder=organisatie)
    if organisatie.type == OrganisatieType.GEMEENTE:
        return Convenant.objects.filter(gemeente=organisatie)
    return Convenant.objects.none()


def dossiers_van(user: User) -> QuerySet[Dossier]:
    return Dossier.objects.filter(convenant__in=convenanten_van(user))


@dataclass
class LijstRegel:
    dossier: Dossier
    blokkaden: list[Bewaarblokkade] = field(default_factory=list)

    @property
    def geblokkeerd(self) -> bool:
        return bool(self.blokkaden)


@dataclass
class ConvenantLijst:
    convenant: Convenant
    regels: list[LijstRegel]


def vernietigingslijst(
    *, user: User, dagen: int = STANDAARD_DAGEN, vandaag: dt.date | None = None
) -> list[ConvenantLijst]:
    """Closed dossiers due for destruction within ``dagen`` days (or overdue and held), by convenant."""
    vandaag = vandaag or timezone.localdate()
    grens = vandaag + dt.timedelta(days=max(0, min(dagen, MAX_DAGEN)))
    dossiers = (
        dossiers_van(user)
        .filter(status=DossierStatus.AFGESLOTEN, vernietigd_op__isnull=True, vernietigen_vanaf__lte=grens)
        .select_related("convenant", "partner")
        .prefetch_related(
            Prefetch(
                "bewaarblokkades",
                queryset=actieve_blokkaden(vandaag).select_related("ingesteld_door"),
                to_attr="actieve",
            )
        )
        .order_by("convenant__naam", "vernietigen_vanaf", "nummer")[:1000]
    )
    per_convenant: dict[Any, ConvenantLijst] = {}
    for dossier in dossiers:
        lijst = per_convenant.setdefault(dossier.convenant_id, ConvenantLijst(dossier.convenant, []))
        lijst.regels.append(LijstRegel(dossier, list(getattr(dossier, "actieve", []))))
    return list(per_convenant.values())


def blokkaden_list(*, user: User) -> QuerySet[Bewaarblokkade]:
    return (
        Bewaarblokkade.objects.filter(dossier__in=dossiers_van(user))
        .select_related("dossier__convenant", "ingesteld_door", "opgeheven_door")
        .order_by("opgeheven_op", "-ingesteld_op")
    )


def blokkade_get(*, user: User, pk: Any) -> Bewaarblokkade:
    try:
        return blokkaden_list(user=user).get(pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def dossier_zoek(*, user: User, nummer: str) -> Dossier | None:
    """A not yet destroyed dossier of the user's convenants by its number, or None."""
    if not nummer:
        return None
    return dossiers_van(user).filter(nummer=nummer.strip().upper(), vernietigd_op__isnull=True).first()


def verklaringen_list(*, user: User) -> QuerySet[Vernietigingsverklaring]:
    return (
        Vernietigingsverklaring.objects.filter(convenant__in=convenanten_van(user))
        .select_related("convenant")
        .annotate(
            aantal_vernietigd=Count("regels", filter=Q(regels__uitkomst="vernietigd")),
            aantal_tegengehouden=Count("regels", filter=Q(regels__uitkomst="tegengehouden")),
        )
        .order_by("-datum", "convenant__naam")
    )


def verklaring_get(*, user: User, pk: Any) -> Vernietigingsverklaring:
    try:
        return verklaringen_list(user=user).get(pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def anoniem_dossier_get(*, user: User, pk: Any) -> Dossier:
    """A destroyed dossier (its anonymous record) of the user's convenants."""
    try:
        return (
            dossiers_van(user)
            .filter(vernietigd_op__isnull=False)
            .select_related("convenant", "partner")
            .annotate(
                aantal_pogingen=Count("contactpogingen", distinct=True),
                aantal_bereikt=Count("contactpogingen", filter=Q(contactpogingen__bereikt=True), distinct=True),
                aantal_meldingen=Count("meldingen", distinct=True),
            )
            .get(pk=pk)
        )
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def contactsoorten(dossier: Dossier) -> list[tuple[str, int]]:
    """Kinds of contact attempts and how many of each (part of the anonymous record)."""
    return list(dossier.contactpogingen.values_list("soort").annotate(n=Count("pk")).order_by("soort"))
