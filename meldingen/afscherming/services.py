"""Restriction (art. 18 AVG) and objection (art. 21 AVG) on a dossier (DOMAIN.md rule 4): setting and lifting.

The contactpunt of the convenant's Gemeente sets and lifts them while handling the tenant's request.
While one is active, ``Dossier.afgeschermd_sinds`` is set and

* every selector of the Uitvoerder, the Partner and the Gemeente leaves the dossier out, whatever
  consent exists (the permissions stay, unused, so that lifting restores exactly what was consented);
* every dossier service refuses to change it (:func:`meldingen.dossiers.guards.vergrendeld`);
* only the contactpunt and the FG of its convenant see it (:mod:`meldingen.afscherming.selectors`).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from meldingen.doelen import DOEL_AVG_VERZOEK
from meldingen.dossiers.models import Dossier
from meldingen.intake.services import afgezonderde_meldingen_toevoegen
from meldpunt.audit.services import logregel_voor_door
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol, User
from meldpunt.privacy.kluis import Kluis

from .models import Afscherming, AfschermingSoort

MAX_REDEN = 2000


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
    afscherming = Afscherming(dossier=dossier, soort=soort, ingesteld_op=timezone.now(), ingesteld_door=door)
    afscherming.reden = Kluis(dossier.sleutel).versleutel(reden, context=afscherming.reden_context)
    afscherming.save()
    _bijwerken(dossier)
    logregel_voor_door(door=door, actie="aanmaken", obj=afscherming, doel=DOEL_AVG_VERZOEK)
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
    # Meldingen received while restricted were kept apart; now they join the dossier (docs/intake.md).
    afgezonderde_meldingen_toevoegen(dossier=dossier)
    logregel_voor_door(door=door, actie="wijzigen", obj=afscherming, doel=DOEL_AVG_VERZOEK)
    return afscherming
