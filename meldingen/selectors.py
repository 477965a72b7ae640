"""Reads of intake, scoped to the asking organisation first; every read of personal data is audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from meldpunt.core.models import Organisatie, OrganisatieType, User
from meldpunt.privacy.kluis import Kluis

from .ddas import PARTNER_STATUS_LABELS, status_voor_partner
from .models import Melding
from .services import referentie_index


def melding_list_voor_partner(*, organisatie: Organisatie, referentie: str = "", status: str = "") -> QuerySet[Melding]:
    """The Partner's own meldingen, newest first; filter by referentie (exact) and partner-visible status."""
    if organisatie.type != OrganisatieType.PARTNER:
        return Melding.objects.none()
    # A dossier under restriction or objection is hidden from the Partner too (DOMAIN.md rule 4).
    qs = Melding.objects.filter(partner=organisatie, dossier__afgeschermd_sinds__isnull=True).select_related(
        "dossier__sleutel", "convenant"
    )
    if referentie:
        convenant_ids = organisatie.convenant_deelnames.values_list("convenant_id", flat=True)
        qs = qs.filter(referentie_index__in=[referentie_index(cid, referentie) for cid in convenant_ids])
    if status:
        from .ddas import NIET_OPGEPAKT_VOOR_PARTNER, ZICHTBAAR_VOOR_PARTNER

        if status == NIET_OPGEPAKT_VOOR_PARTNER:
            qs = qs.exclude(status__in=[s.value for s in ZICHTBAAR_VOOR_PARTNER])
        else:
            qs = qs.filter(status=status)
    return qs.order_by("-ontvangen_op", "-pk")


def melding_get_voor_partner(*, organisatie: Organisatie, pk: Any) -> Melding:
    try:
        return melding_list_voor_partner(organisatie=organisatie).get(pk=pk)
    except (Melding.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class PartnerWeergave:
    """What the Partner may see of its own melding (DOMAIN.md "Feedback to the Partner")."""

    melding: Melding
    gegevens: dict[str, Any]
    status: str
    eindresultaat: str | None
    afgesloten_op: Any

    @property
    def status_label(self) -> str:
        return PARTNER_STATUS_LABELS[self.status]


def partner_weergaven(
    *, meldingen: list[Melding], gebruiker: User | None, organisatie: Organisatie, herkomst: str, doel: str
) -> list[PartnerWeergave]:
    """Decrypt the Partner's own submissions for display and log each read (one log append per page)."""
    from meldpunt.audit.services import logregels_voor_objecten

    from .toestemming import partner_terugkoppeling_dossiers

    # DOMAIN.md rule 3: the result only with the tenant's consent for feedback to the Partner.
    met_toestemming = partner_terugkoppeling_dossiers(
        partner=organisatie, dossier_ids=list({m.dossier_id for m in meldingen})
    )
    uit = []
    for melding in meldingen:
        gegevens = Kluis(melding.dossier.sleutel).ontsleutel(melding.gegevens, context=melding.context)
        resultaat = melding.dossier_id in met_toestemming
        uit.append(
            PartnerWeergave(
                melding=melding,
                gegevens=gegevens,
                status=status_voor_partner(melding.status),
                eindresultaat=(melding.dossier.eindresultaat or None) if resultaat else None,
                afgesloten_op=melding.dossier.afgesloten_op if resultaat else None,
            )
        )
    logregels_voor_objecten(
        actie="bekijken",
        object_type="meldingen.melding",
        objecten=[(str(melding.pk), melding.convenant_id) for melding in meldingen],
        gebruiker=gebruiker,
        organisatie=organisatie,
        herkomst=herkomst,
        doel=doel,
    )
    return uit


def wachtrij_voor_uitvoerder(*, user: User) -> QuerySet[Any]:
    """Unclaimed dossiers of the Uitvoerder's convenants: EO first by eviction date, then minors, then oldest."""
    from django.db.models import Case, F, When

    from .models import Dossier
    from .workflow import DossierStatus, MeldingType

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
    from .models import Dossier

    if user.organisatie.type != OrganisatieType.UITVOERDER:
        return Dossier.objects.none()
    return Dossier.objects.filter(
        convenant__uitvoerder=user.organisatie, afgeschermd_sinds__isnull=True
    ).select_related("convenant", "partner", "behandelaar", "sleutel")


def mijn_dossiers(*, user: User) -> QuerySet[Any]:
    """The user's own open caseload, oldest claim first, with the number of contact attempts."""
    from django.db.models import Count, Max

    from .workflow import OPEN_STATUSSEN

    return (
        dossier_list_voor_uitvoerder(user=user)
        .filter(behandelaar=user, status__in=OPEN_STATUSSEN)
        .annotate(aantal_pogingen=Count("contactpogingen"), laatste_poging=Max("contactpogingen__datum"))
        .order_by("geclaimd_op")
    )


def dossier_get_voor_uitvoerder(*, user: User, pk: Any) -> Any:
    from django.core.exceptions import ObjectDoesNotExist, ValidationError

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
    from meldpunt.audit.services import logregel_create

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
        doel="uitvoering vroegsignalering",
    )
    return DossierWeergave(dossier, meldingen, pogingen, geschiedenis)


def werkbak_filter(werkbak: Any) -> Any:
    """The Q of a work queue's filters (combined with AND)."""
    from django.db.models import Q

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
    from django.db.models import Count

    from .models import Werkbak

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
    from .models import Werkbak

    try:
        return Werkbak.objects.get(organisatie=user.organisatie, pk=pk)
    except (Werkbak.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
