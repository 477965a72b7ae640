"""In bespreking: disputing a draft line with a reason, discussing it on the line, resolving it.

A line disputed when its invoice is issued stays out of it and waits; once resolved it moves to the next
draft of the same kind for the same party (at once when one exists, else at the next drafting).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from facturatie.facturen.models import Factuur, FactuurRegel
from facturatie.facturen.opstellen import DOEL_FACTURATIE
from facturatie.facturen.selectors import regel_get
from facturatie.facturen.workflow import FactuurStatus, RegelStatus, regel_overgang_toegestaan
from meldpunt.audit.models import Actie
from meldpunt.audit.services import logregel_voor_door
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol, User

from .models import Opmerking

MAX_TEKST = 2000


def _tekst(tekst: str, leeg: str) -> str:
    tekst = (tekst or "").strip()
    if not tekst:
        raise ApplicationError(leeg, extra={"tekst": [leeg]})
    if len(tekst) > MAX_TEKST:
        raise ApplicationError("De tekst is te lang.", extra={"tekst": [f"Ten hoogste {MAX_TEKST} tekens."]})
    return tekst


def _vergrendeld(*, regel_id: int, door: User) -> FactuurRegel:
    regel_get(user=door, pk=regel_id)  # 404 for a line the user may not see
    regel = FactuurRegel.objects.select_for_update(of=("self",)).select_related("factuur", "convenant").get(pk=regel_id)
    if regel.credit or (regel.factuur is not None and regel.factuur.status != FactuurStatus.CONCEPT):
        raise ApplicationError("Deze regel staat op een uitgegeven factuur en kan niet meer worden besproken.")
    return regel


def _opmerking(regel: FactuurRegel, door: User, soort: str, tekst: str) -> Opmerking:
    return Opmerking.objects.create(
        regel=regel, soort=soort, door=door, organisatie_id=door.organisatie_id, tekst=tekst, tijdstip=timezone.now()
    )


@transaction.atomic
def regel_betwisten(*, regel_id: int, door: User, reden: str) -> FactuurRegel:
    reden = _tekst(reden, "Geef de reden waarom u deze regel betwist.")
    regel = _vergrendeld(regel_id=regel_id, door=door)
    if not regel_overgang_toegestaan(regel.status, RegelStatus.BETWIST):
        raise ApplicationError("Deze regel is al betwist.")
    regel.status = RegelStatus.BETWIST
    regel.betwist_door_id = door.organisatie_id
    regel.save(update_fields=["status", "betwist_door"])
    _opmerking(regel, door, Opmerking.Soort.BETWISTING, reden)
    logregel_voor_door(door=door, actie=Actie.WIJZIGEN, obj=regel, doel=DOEL_FACTURATIE)
    return regel


@transaction.atomic
def regel_reageren(*, regel_id: int, door: User, tekst: str) -> Opmerking:
    tekst = _tekst(tekst, "Typ uw reactie.")
    regel = _vergrendeld(regel_id=regel_id, door=door)
    if regel.status != RegelStatus.BETWIST:
        raise ApplicationError("Alleen op een betwiste regel kunt u reageren.")
    opmerking = _opmerking(regel, door, Opmerking.Soort.REACTIE, tekst)
    logregel_voor_door(door=door, actie=Actie.AANMAKEN, obj=opmerking, doel=DOEL_FACTURATIE)
    return opmerking


@transaction.atomic
def regel_oplossen(*, regel_id: int, door: User, toelichting: str) -> FactuurRegel:
    """Financien closes the discussion: the line goes (back) on the invoice, or on the next one."""
    toelichting = _tekst(toelichting, "Licht toe hoe de betwisting is opgelost.")
    regel = _vergrendeld(regel_id=regel_id, door=door)
    if not door.heeft_rol(Rol.FINANCIEN) or door.organisatie_id != regel.convenant.gemeente_id:
        raise ApplicationError("Alleen financiën van de gemeente lost een betwisting op.")
    if not regel_overgang_toegestaan(regel.status, RegelStatus.OPGELOST):
        raise ApplicationError("Deze regel is niet betwist.")
    regel.status = RegelStatus.OPGELOST
    velden = ["status"]
    if regel.factuur is None:
        volgende = (
            Factuur.objects.filter(
                soort=regel.soort,
                convenant_id=regel.convenant_id,
                ontvanger_id=regel.ontvanger_id,
                status=FactuurStatus.CONCEPT,
                credit_van__isnull=True,
                jaar__gte=regel.jaar,
            )
            .order_by("jaar")
            .first()
        )
        if volgende is not None:
            regel.factuur = volgende
            velden.append("factuur")
    regel.save(update_fields=velden)
    _opmerking(regel, door, Opmerking.Soort.OPLOSSING, toelichting)
    logregel_voor_door(door=door, actie=Actie.WIJZIGEN, obj=regel, doel=DOEL_FACTURATIE)
    return regel
