"""Restriction (art. 18 AVG) and objection (art. 21 AVG) on a dossier (DOMAIN.md rule 4).

The contactpunt of the convenant's Gemeente sets and lifts them while handling the tenant's request.
While one is active, ``Dossier.afgeschermd_sinds`` is set and

* every selector of the Uitvoerder, the Partner and the Gemeente leaves the dossier out, whatever
  consent exists (the permissions stay, unused, so that lifting restores exactly what was consented);
* every dossier service refuses to change it (``meldingen.services._vergrendeld``);
* only the contactpunt and the FG of its convenant see it, in the list of :func:`afschermingen_list`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from meldpunt.audit.context import huidige_herkomst
from meldpunt.audit.services import logregel_voor_door, logregels_voor_objecten
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import OrganisatieType, Rol, User
from meldpunt.privacy.kluis import Kluis

from .models import Afscherming, AfschermingSoort, Dossier

DOEL = "afhandeling AVG-verzoek"
MAX_REDEN = 2000


def _context(dossier: Dossier) -> str:
    return f"meldingen.afscherming:{dossier.pk}:reden"


def _vereis_contactpunt(door: User, dossier: Dossier) -> None:
    if door.organisatie_id != dossier.convenant.gemeente_id or not door.heeft_rol(Rol.CONTACTPUNT):
        raise ApplicationError("Alleen het contactpunt van de gemeente van dit convenant kan dit vastleggen.")


def _bijwerken(dossier: Dossier) -> None:
    """``afgeschermd_sinds``: the start of the oldest active restriction or objection, else empty."""
    eerste = (
        Afscherming.objects.filter(dossier=dossier, opgeheven_op__isnull=True)
        .order_by("ingesteld_op")
        .values_list("ingesteld_op", flat=True)
        .first()
    )
    Dossier.objects.filter(pk=dossier.pk).update(afgeschermd_sinds=eerste)
    dossier.afgeschermd_sinds = eerste


@transaction.atomic
def afscherming_instellen(*, dossier: Dossier, door: User, soort: str, reden: str) -> Afscherming:
    dossier = Dossier.objects.select_for_update(of=("self",)).select_related("convenant", "sleutel").get(pk=dossier.pk)
    _vereis_contactpunt(door, dossier)
    fouten: dict[str, list[str]] = {}
    if soort not in AfschermingSoort.values:
        fouten["soort"] = ["Kies beperking of bezwaar."]
    elif Afscherming.objects.filter(dossier=dossier, soort=soort, opgeheven_op__isnull=True).exists():
        fouten["soort"] = ["Voor dit dossier loopt dit al."]
    reden = (reden or "").strip()
    if not reden:
        fouten["reden"] = ["Vul de reden in (bijvoorbeeld het kenmerk van het verzoek)."]
    elif len(reden) > MAX_REDEN:
        fouten["reden"] = [f"Ten hoogste {MAX_REDEN} tekens."]
    if dossier.vernietigd_op is not None:
        raise ApplicationError("De gegevens van dit dossier zijn vernietigd.")
    if fouten:
        raise ApplicationError("Niet vastgelegd. Controleer de gemarkeerde velden.", extra=fouten)
    afscherming = Afscherming(
        dossier=dossier,
        soort=soort,
        reden=Kluis(dossier.sleutel).versleutel(reden, context=_context(dossier)),
        ingesteld_op=timezone.now(),
        ingesteld_door=door,
    )
    afscherming.save()
    _bijwerken(dossier)
    logregel_voor_door(door=door, actie="aanmaken", obj=afscherming, doel=DOEL)
    return afscherming


@transaction.atomic
def afscherming_opheffen(*, afscherming: Afscherming, door: User) -> Afscherming:
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("convenant", "sleutel")
        .get(pk=afscherming.dossier_id)
    )
    _vereis_contactpunt(door, dossier)
    afscherming = Afscherming.objects.select_for_update().get(pk=afscherming.pk)
    if afscherming.opgeheven_op is not None:
        raise ApplicationError("Dit is al opgeheven.")
    afscherming.opgeheven_op = timezone.now()
    afscherming.opgeheven_door = door
    afscherming.save(update_fields=["opgeheven_op", "opgeheven_door"])
    _bijwerken(dossier)
    logregel_voor_door(door=door, actie="wijzigen", obj=afscherming, doel=DOEL)
    return afscherming


# --- reads ---------------------------------------------------------------------------------------


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
            reden = Kluis(a.dossier.sleutel).ontsleutel(bytes(a.reden), context=_context(a.dossier))
        uit.append(AfschermingWeergave(a, reden))
    logregels_voor_objecten(
        actie="bekijken",
        object_type="meldingen.dossier",
        objecten=list({(str(a.dossier_id), a.dossier.convenant_id) for a in afschermingen}),
        gebruiker=gebruiker,
        herkomst=huidige_herkomst(),
        doel=DOEL,
    )
    return uit
