"""Reads of bezwaren: the contactpunt and the FG of the request's Gemeente see the whole; a participant only its
own invitation (kenmerk, dates, its own reaction)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from meldingen.doelen import DOEL_AVG_VERZOEK
from meldpunt.audit.services import logregel_voor_door
from meldpunt.core.models import User
from meldpunt.privacy.kluis import Kluis

from ..raadpleging.selectors import DEELNEMER_ROLLEN
from ..verzoeken.models import Verzoek
from ..verzoeken.selectors import verzoeken_list
from .models import Belanghebbende, Bezwaar


def bezwaren_van(verzoek: Verzoek) -> list[Bezwaar]:
    return list(Bezwaar.objects.filter(verzoek=verzoek).select_related("verzoek"))


def bezwaar_get(*, user: User, pk: Any) -> Bezwaar:
    """A bezwaar of a request of the user's Gemeente (contactpunt, FG); anything else 404."""
    try:
        return Bezwaar.objects.select_related("verzoek__sleutel").get(pk=pk, verzoek__in=verzoeken_list(user=user))
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def belanghebbenden_van(bezwaar: Bezwaar) -> list[Belanghebbende]:
    return list(bezwaar.belanghebbenden.select_related("organisatie", "gereageerd_door"))


def uitnodigingen_voor_deelnemer(*, user: User) -> QuerySet[Belanghebbende]:
    """The bezwaren the user's organisation was told of, open ones first."""
    if user.organisatie_id is None or not user.heeft_rol(*DEELNEMER_ROLLEN):
        return Belanghebbende.objects.none()
    return (
        Belanghebbende.objects.filter(organisatie_id=user.organisatie_id)
        .select_related("bezwaar__verzoek", "organisatie")
        .order_by("-bezwaar__beslist_op", "gereageerd_op", "-geinformeerd_op")
    )


def uitnodiging_voor_deelnemer_get(*, user: User, pk: Any) -> Belanghebbende:
    try:
        return uitnodigingen_voor_deelnemer(user=user).get(pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def verslag(*, bezwaar: Bezwaar, gebruiker: User) -> str:
    """The hearing's report, decrypted; the read is logged."""
    if not bezwaar.verslag or bezwaar.verzoek.sleutel.vernietigd:
        return ""
    tekst: str = Kluis(bezwaar.verzoek.sleutel).ontsleutel(bytes(bezwaar.verslag), context=bezwaar.verslag_context)
    logregel_voor_door(door=gebruiker, actie="bekijken", obj=bezwaar, doel=DOEL_AVG_VERZOEK)
    return tekst


def zienswijze(belanghebbende: Belanghebbende) -> str:
    verzoek = belanghebbende.bezwaar.verzoek
    if not belanghebbende.zienswijze or verzoek.sleutel.vernietigd:
        return ""
    tekst: str = Kluis(verzoek.sleutel).ontsleutel(
        bytes(belanghebbende.zienswijze), context=belanghebbende.zienswijze_context
    )
    return tekst


def wacht_op(bezwaar: Bezwaar, vandaag: dt.date | None = None) -> list[str]:
    """What still stands in the way of deciding, in Dutch (empty when the contactpunt may decide)."""
    vandaag = vandaag or timezone.localdate()
    redenen = []
    if not bezwaar.gehoord_of_afgezien:
        redenen.append("Houd eerst de hoorzitting, of leg vast waarom van horen wordt afgezien.")
    if bezwaar.gehoord_op is None and (bezwaar.reactie_termijn_op is None or bezwaar.reactie_termijn_op >= vandaag):
        stil = [
            b.organisatie.naam for b in bezwaar.belanghebbenden.select_related("organisatie") if b.gereageerd_op is None
        ]
        if stil:
            tot = f" (of tot {bezwaar.reactie_termijn_op:%d-%m-%Y})" if bezwaar.reactie_termijn_op else ""
            redenen.append(f"Wacht op de reactie van {', '.join(stil)}{tot}.")
    return redenen
