"""Reads of restrictions and objections, for the contactpunt and the FG of the Gemeente's convenants."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import QuerySet
from django.http import Http404

from meldingen.doelen import DOEL_AVG_VERZOEK
from meldingen.dossiers.models import Dossier
from meldpunt.audit.context import huidige_herkomst
from meldpunt.audit.services import logregels_voor_objecten
from meldpunt.core.models import OrganisatieType, User
from meldpunt.privacy.kluis import Kluis

from .models import Afscherming


def _gemeente_van(user: User) -> Any:
    organisatie = user.organisatie
    if organisatie is None or organisatie.type != OrganisatieType.GEMEENTE:
        return None
    return organisatie


def afschermingen_list(*, user: User) -> QuerySet[Afscherming]:
    """Restrictions and objections of the dossiers of the user's Gemeente's convenants, active first."""
    gemeente = _gemeente_van(user)
    if gemeente is None:
        return Afscherming.objects.none()
    return (
        Afscherming.objects.filter(dossier__convenant__gemeente=gemeente)
        .select_related("dossier__convenant", "dossier__sleutel", "ingesteld_door", "opgeheven_door")
        .order_by("opgeheven_op", "-ingesteld_op")
    )


def afscherming_get(*, user: User, pk: Any) -> Afscherming:
    try:
        return afschermingen_list(user=user).get(pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def dossier_zoek_voor_contactpunt(*, user: User, nummer: str) -> Dossier | None:
    """A dossier of the Gemeente's convenants by its number (restricted or not), or None."""
    gemeente = _gemeente_van(user)
    if gemeente is None or not nummer:
        return None
    return (
        Dossier.objects.filter(convenant__gemeente=gemeente, nummer=nummer.strip().upper(), vernietigd_op__isnull=True)
        .select_related("convenant", "sleutel")
        .first()
    )


@dataclass(frozen=True)
class AfschermingWeergave:
    afscherming: Afscherming
    reden: str


def afschermingen_weergave(*, afschermingen: list[Afscherming], gebruiker: User) -> list[AfschermingWeergave]:
    """Decrypt the reasons for the contactpunt/FG; the reads are logged (one entry per dossier)."""
    uit = []
    for a in afschermingen:
        reden = ""
        if a.reden and not a.dossier.sleutel.vernietigd:
            reden = Kluis(a.dossier.sleutel).ontsleutel(bytes(a.reden), context=a.reden_context)
        uit.append(AfschermingWeergave(a, reden))
    logregels_voor_objecten(
        actie="bekijken",
        object_type="meldingen.dossier",
        objecten=list({(str(a.dossier_id), a.dossier.convenant_id) for a in afschermingen}),
        gebruiker=gebruiker,
        herkomst=huidige_herkomst(),
        doel=DOEL_AVG_VERZOEK,
    )
    return uit
