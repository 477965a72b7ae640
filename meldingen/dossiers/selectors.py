"""Reads of the caseload, scoped to the user's Uitvoerder first: the queue, the own caseload, one dossier
decrypted for the Uitvoerder (the read is audited), and the team's work queues.

A dossier under restriction or objection is hidden from all of these (DOMAIN.md rule 4).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Case, Count, F, Max, Q, QuerySet, When
from django.http import Http404

from meldingen.doelen import DOEL_UITVOERING
from meldingen.intake.models import Melding
from meldpunt.audit.services import logregel_create
from meldpunt.core.models import OrganisatieType, User
from meldpunt.privacy.kluis import Kluis

from .models import Dossier, Werkbak
from .workflow import OPEN_STATUSSEN, DossierStatus, MeldingType


def wachtrij_voor_uitvoerder(*, user: User) -> QuerySet[Any]:
    """Unclaimed dossiers of the Uitvoerder's convenants: EO first by eviction date, then minors, then oldest."""
    if user.organisatie.type != OrganisatieType.UITVOERDER:
        return Dossier.objects.none()
    return (
        Dossier.objects.filter(
            convenant__uitvoerder=user.organisatie, status=DossierStatus.NIEUW, afgeschermd_sinds__isnull=True
        )
        .select_related("convenant", "partner")
        .order_by(
            Case(When(type=MeldingType.EO, then=0), default=1),
            F("ontruimingsdatum").asc(nulls_last=True),
            F("heeft_minderjarigen").desc(),
            "aangemaakt_op",
        )
    )


def dossier_list_voor_uitvoerder(*, user: User) -> QuerySet[Any]:
    """Every dossier of the Uitvoerder's convenants (tenant first); views narrow it down further.

    A dossier under restriction or objection is hidden (DOMAIN.md rule 4).
    """
    if user.organisatie.type != OrganisatieType.UITVOERDER:
        return Dossier.objects.none()
    return Dossier.objects.filter(
        convenant__uitvoerder=user.organisatie, afgeschermd_sinds__isnull=True
    ).select_related("convenant", "partner", "behandelaar", "sleutel")


def mijn_dossiers(*, user: User) -> QuerySet[Any]:
    """The user's own open caseload, oldest claim first, with the number of contact attempts."""
    return (
        dossier_list_voor_uitvoerder(user=user)
        .filter(behandelaar=user, status__in=OPEN_STATUSSEN)
        .annotate(aantal_pogingen=Count("contactpogingen"), laatste_poging=Max("contactpogingen__datum"))
        .order_by("geclaimd_op")
    )


def dossier_get_voor_uitvoerder(*, user: User, pk: Any) -> Any:
    try:
        return dossier_list_voor_uitvoerder(user=user).get(pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class DossierWeergave:
    dossier: Any
    meldingen: list[tuple[Melding, dict[str, Any]]]
    contactpogingen: list[tuple[Any, str]]
    geschiedenis: list[tuple[Any, str]]


def dossier_weergave(*, dossier: Any, gebruiker: User, herkomst: str) -> DossierWeergave:
    """Decrypt what the Uitvoerder works with (meldingen, notes, reasons) and log the read."""
    kluis = Kluis(dossier.sleutel)
    meldingen = [
        (m, kluis.ontsleutel(m.gegevens, context=m.context)) for m in dossier.meldingen.order_by("ontvangen_op")
    ]
    pogingen = [
        (p, kluis.ontsleutel(p.notitie, context=f"meldingen.contactpoging:{p.pk}") if p.notitie else "")
        for p in dossier.contactpogingen.select_related("door")
    ]
    geschiedenis = [
        (w, kluis.ontsleutel(w.reden, context=f"meldingen.statuswijziging:{dossier.pk}") if w.reden else "")
        for w in dossier.statuswijzigingen.select_related("door")
    ]
    logregel_create(
        actie="bekijken",
        object_type="meldingen.dossier",
        object_id=str(dossier.pk),
        gebruiker=gebruiker,
        convenant=dossier.convenant,
        herkomst=herkomst,
        doel=DOEL_UITVOERING,
    )
    return DossierWeergave(dossier, meldingen, pogingen, geschiedenis)


def werkbak_filter(werkbak: Any) -> Any:
    """The Q of a work queue's filters (combined with AND)."""
    q = Q()
    if werkbak.type:
        q &= Q(type=werkbak.type)
    if werkbak.alleen_minderjarigen:
        q &= Q(heeft_minderjarigen=True)
    if werkbak.bedrag_vanaf is not None:
        q &= Q(achterstand_bedrag__gte=werkbak.bedrag_vanaf)
    if werkbak.postcode_van is not None:
        q &= Q(postcode_cijfers__gte=werkbak.postcode_van)
    if werkbak.postcode_tot is not None:
        q &= Q(postcode_cijfers__lte=werkbak.postcode_tot)
    if werkbak.alleen_herhaald:
        q &= Q(herhaald=True)
    if werkbak.partner_id:
        q &= Q(partner_id=werkbak.partner_id)
    return q


def werkbakken_met_aantallen(*, user: User) -> list[tuple[Any, int]]:
    """The team's work queues with the number of waiting dossiers each, in one query."""
    werkbakken = list(Werkbak.objects.filter(organisatie=user.organisatie))
    if not werkbakken:
        return []
    aantallen = (
        wachtrij_voor_uitvoerder(user=user)
        .order_by()
        .aggregate(**{f"w{w.pk}": Count("pk", filter=werkbak_filter(w)) for w in werkbakken})
    )
    return [(w, aantallen[f"w{w.pk}"]) for w in werkbakken]


def werkbak_get(*, user: User, pk: Any) -> Any:
    try:
        return Werkbak.objects.get(organisatie=user.organisatie, pk=pk)
    except (Werkbak.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
