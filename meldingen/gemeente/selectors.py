"""What the Gemeente sees: exactly the dossiers whose tenant consented, within the consented scope.

Tenant first (the user's organisation is the convenant's Gemeente), then the object permission that
the consent services granted to the Gemeente's group (django-guardian, :mod:`meldingen.toestemming.rechten`),
then the override: a dossier under restriction or objection, or destroyed, never appears. Anything
else answers 404, which the error handler logs as ``autorisatie_geweigerd``.

Scope ``status`` shows that a trajectory exists, whose it is (name and address, to match it with the
Gemeente's own work), its status, result and dates. Scope ``rapportage`` adds the rapportage, without
the notes of contact attempts (redaction ``zonder_notities``), on screen and as PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from meldingen.doelen import DOEL_GEMEENTE
from meldingen.dossiers.models import Dossier
from meldingen.intake.models import Melding
from meldingen.rapportage.models import Rapportage
from meldingen.rapportage.pdf import rapportage_context
from meldingen.rapportage.selectors import rapportage_inhoud, rapportage_loggen, rapportage_pdf_lezen
from meldingen.toestemming.models import DossierGroepRecht, Toestemming
from meldingen.toestemming.rechten import ALLE_RECHTEN, RAPPORTAGE_INZIEN
from meldingen.toestemming.selectors import dossiers_met_toestemming
from meldpunt.audit.context import huidige_herkomst
from meldpunt.audit.services import logregels_voor_objecten
from meldpunt.core.models import OrganisatieType, User
from meldpunt.privacy.kluis import Kluis


def dossier_list_voor_gemeente(*, user: User) -> QuerySet[Dossier]:
    """Exactly the dossiers of the Gemeente's convenants with a valid consent for the Gemeente."""
    organisatie = user.organisatie
    if organisatie is None or organisatie.type != OrganisatieType.GEMEENTE:
        return Dossier.objects.none()
    return (
        dossiers_met_toestemming(organisatie=organisatie)
        .filter(convenant__gemeente=organisatie, afgeschermd_sinds__isnull=True, vernietigd_op__isnull=True)
        # The Gemeente's access ends at its own term (meldingen/bewaring), even before destruction.
        .exclude(toegang_gemeente_tot__lte=timezone.localdate())
        .select_related("convenant", "sleutel")
        .order_by("-aangemaakt_op", "pk")
    )


def dossier_get_voor_gemeente(*, user: User, pk: Any) -> Dossier:
    try:
        return dossier_list_voor_gemeente(user=user).get(pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def _rechten_per_dossier(user: User, dossier_ids: list[Any]) -> dict[Any, frozenset[str]]:
    rechten: dict[Any, set[str]] = {pk: set() for pk in dossier_ids}
    for dossier_id, codename in DossierGroepRecht.objects.filter(
        group_id=user.organisatie.groep_id,
        content_object_id__in=dossier_ids,
        permission__codename__in=ALLE_RECHTEN,
        permission__content_type__app_label="meldingen",
    ).values_list("content_object_id", "permission__codename"):
        rechten[dossier_id].add(codename)
    return {pk: frozenset(r) for pk, r in rechten.items()}


@dataclass(frozen=True)
class GemeenteWeergave:
    dossier: Dossier
    huurder: dict[str, Any]
    adres: dict[str, Any]
    rechten: frozenset[str]

    @property
    def rapportage_inzien(self) -> bool:
        return RAPPORTAGE_INZIEN in self.rechten

    @property
    def scope_label(self) -> str:
        return "Status, resultaat en rapportage" if self.rapportage_inzien else "Status en resultaat"


def _log(user: User, dossiers: list[Dossier]) -> None:
    logregels_voor_objecten(
        actie="bekijken",
        object_type="meldingen.dossier",
        objecten=[(str(d.pk), d.convenant_id) for d in dossiers],
        gebruiker=user,
        herkomst=huidige_herkomst(),
        doel=DOEL_GEMEENTE,
    )


def gemeente_weergaven(*, dossiers: list[Dossier], gebruiker: User) -> list[GemeenteWeergave]:
    """Name, address and consented scope of each dossier (a fixed number of queries); reads are logged."""
    ids = [d.pk for d in dossiers]
    rechten = _rechten_per_dossier(gebruiker, ids)
    laatste: dict[Any, Melding] = {}
    for melding in (
        Melding.objects.filter(dossier_id__in=ids).order_by("dossier_id", "-ontvangen_op").distinct("dossier_id")
    ):
        laatste[melding.dossier_id] = melding
    uit = []
    for dossier in dossiers:
        recentste = laatste.get(dossier.pk)
        gegevens = (
            Kluis(dossier.sleutel).ontsleutel(recentste.gegevens, context=recentste.context)
            if recentste is not None and recentste.gegevens
            else {}
        )
        uit.append(
            GemeenteWeergave(dossier, gegevens.get("huurder", {}), gegevens.get("adres", {}), rechten[dossier.pk])
        )
    _log(gebruiker, dossiers)
    return uit


@dataclass(frozen=True)
class GemeenteDossier:
    weergave: GemeenteWeergave
    toestemmingen: list[Toestemming]
    rapportage: Rapportage | None
    rapportage_context: dict[str, Any] | None


def gemeente_dossier(*, dossier: Dossier, gebruiker: User) -> GemeenteDossier:
    """One dossier within the consented scope: the rapportage only with scope ``rapportage``."""
    (weergave,) = gemeente_weergaven(dossiers=[dossier], gebruiker=gebruiker)
    toestemmingen = list(
        Toestemming.objects.filter(dossier=dossier, ontvanger=gebruiker.organisatie, beeindigd_op__isnull=True)
    )
    rapportage = context = None
    if weergave.rapportage_inzien:
        rapportage = Rapportage.objects.filter(dossier=dossier, inhoud__isnull=False).first()
        if rapportage is not None:
            context = rapportage_context(
                dossier=dossier,
                inhoud=rapportage_inhoud(rapportage),
                volledig=rapportage.volledig,
                redactie="zonder_notities",
            )
            rapportage_loggen(rapportage, dossier, actie="bekijken", door=gebruiker, doel=DOEL_GEMEENTE)
    return GemeenteDossier(weergave, toestemmingen, rapportage, context)


def gemeente_rapportage_pdf(*, dossier: Dossier, gebruiker: User) -> tuple[str, bytes] | None:
    """The Gemeente's PDF of the rapportage (without notes), only with scope ``rapportage``."""
    if RAPPORTAGE_INZIEN not in _rechten_per_dossier(gebruiker, [dossier.pk])[dossier.pk]:
        raise Http404
    return rapportage_pdf_lezen(dossier=dossier, gebruiker=gebruiker, redactie="zonder_notities")
