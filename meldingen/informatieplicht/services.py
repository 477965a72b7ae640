"""Writes of the information duty of art. 14 AVG: the clock, the letter, recording it or an exception.

Claiming a dossier starts the joint processing and the clock (:func:`informatieplicht_starten`:
``termijn_op`` = claim date + the convenant's ``informatieplicht_maanden``). The Uitvoerder then either
sends the information letter (:mod:`meldingen.informatieplicht.brief`, stored encrypted under the
dossier's key) and records the date, or records one of the exceptions of art. 14(5) with a motivation
(encrypted under the dossier's key). Reminders: :mod:`meldingen.informatieplicht.herinneringen`.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from meldingen.doelen import DOEL_INFORMATIEPLICHT
from meldingen.dossiers.models import Dossier
from meldpunt.audit.services import logregel_voor_door
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol, User
from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.models import VersleuteldBestand
from meldpunt.privacy.services import versleuteld_bestand_create

from .brief import informatiebrief_html, informatiebrief_pdf
from .models import Informatieplicht, InformatieplichtUitzondering
from .selectors import BRIEF_SOORT

MAX_TOELICHTING = 5000


def informatieplicht_starten(*, dossier: Dossier) -> Informatieplicht:
    """Claiming starts the joint processing: the art. 14 clock starts (once per dossier)."""
    vandaag = timezone.localdate()
    parameters = dossier.convenant.parameters_voor(vandaag.year)
    maanden = parameters.informatieplicht_maanden if parameters else 1
    plicht, _ = Informatieplicht.objects.get_or_create(
        dossier=dossier, defaults={"gestart_op": vandaag, "termijn_op": vandaag + relativedelta(months=maanden)}
    )
    return plicht


def _vergrendeld(dossier: Dossier) -> tuple[Dossier, Informatieplicht]:
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("convenant__gemeente", "convenant__uitvoerder", "partner", "sleutel")
        .get(pk=dossier.pk)
    )
    if dossier.afgeschermd_sinds is not None:
        raise ApplicationError("Dit dossier is afgeschermd (beperking of bezwaar) en kan niet worden gewijzigd.")
    plicht = Informatieplicht.objects.select_for_update().filter(dossier=dossier).first()
    if plicht is None:
        raise ApplicationError("De informatieplicht begint pas als het dossier is opgepakt.")
    return dossier, plicht


def _vereis_behandelaar_of_teamleider(door: User, dossier: Dossier) -> None:
    if (
        door.organisatie_id != dossier.convenant.uitvoerder_id
        or not door.heeft_rol(Rol.HULPVERLENER, Rol.TEAMLEIDER)
        or (dossier.behandelaar_id != door.pk and not door.heeft_rol(Rol.TEAMLEIDER))
    ):
        raise ApplicationError("Alleen de behandelaar of een teamleider legt de informatieplicht vast.")
    if dossier.vernietigd_op is not None or dossier.sleutel.vernietigd:
        raise ApplicationError("De gegevens van dit dossier zijn vernietigd.")


@transaction.atomic
def informatiebrief_maken(*, dossier: Dossier, door: User) -> VersleuteldBestand:
    """Generate the letter as PDF and store it encrypted under the dossier's key (a new version each time)."""
    dossier, _ = _vergrendeld(dossier)
    _vereis_behandelaar_of_teamleider(door, dossier)
    pdf = informatiebrief_pdf(informatiebrief_html(dossier=dossier))
    bestand = versleuteld_bestand_create(
        sleutel=dossier.sleutel,
        soort=BRIEF_SOORT,
        naam=f"informatiebrief-{dossier.nummer}.pdf",
        mime="application/pdf",
        inhoud=pdf,
    )
    logregel_voor_door(door=door, actie="aanmaken", obj=dossier, doel=DOEL_INFORMATIEPLICHT)
    return bestand


@transaction.atomic
def informatieplicht_verstuurd(*, dossier: Dossier, door: User, verstuurd_op: dt.date) -> Informatieplicht:
    """Record the date the letter was sent: not in the future and not before the dossier was claimed."""
    dossier, plicht = _vergrendeld(dossier)
    _vereis_behandelaar_of_teamleider(door, dossier)
    if plicht.verstuurd_op is not None:
        raise ApplicationError(f"De verzending is al vastgelegd ({plicht.verstuurd_op:%d-%m-%Y}).")
    if verstuurd_op > timezone.localdate():
        raise ApplicationError(
            "De informatieplicht is niet vastgelegd.", extra={"verstuurd_op": ["De datum ligt in de toekomst."]}
        )
    if verstuurd_op < plicht.gestart_op:
        raise ApplicationError(
            "De informatieplicht is niet vastgelegd.",
            extra={"verstuurd_op": [f"De datum ligt vóór het oppakken ({plicht.gestart_op:%d-%m-%Y})."]},
        )
    plicht.verstuurd_op = verstuurd_op
    plicht.vastgelegd_door = door
    plicht.save(update_fields=["verstuurd_op", "vastgelegd_door"])
    logregel_voor_door(door=door, actie="wijzigen", obj=dossier, doel=DOEL_INFORMATIEPLICHT)
    return plicht


@transaction.atomic
def informatieplicht_uitzondering(
    *, dossier: Dossier, door: User, uitzondering: str, toelichting: str
) -> Informatieplicht:
    """Record an exception of art. 14(5) with its motivation (encrypted under the dossier's key)."""
    dossier, plicht = _vergrendeld(dossier)
    _vereis_behandelaar_of_teamleider(door, dossier)
    if plicht.verstuurd_op is not None:
        raise ApplicationError("De informatiebrief is al verstuurd; een uitzondering is niet meer nodig.")
    fouten: dict[str, list[str]] = {}
    if not uitzondering or uitzondering not in InformatieplichtUitzondering.values:
        fouten["uitzondering"] = ["Kies een uitzondering."]
    toelichting = (toelichting or "").strip()
    if not toelichting:
        fouten["toelichting"] = ["Motiveer waarom de uitzondering van toepassing is."]
    elif len(toelichting) > MAX_TOELICHTING:
        fouten["toelichting"] = [f"Ten hoogste {MAX_TOELICHTING} tekens."]
    if fouten:
        raise ApplicationError("De uitzondering is niet vastgelegd.", extra=fouten)
    plicht.uitzondering = uitzondering
    plicht.toelichting = Kluis(dossier.sleutel).versleutel(toelichting, context=plicht.toelichting_context)
    plicht.vastgelegd_door = door
    plicht.save(update_fields=["uitzondering", "toelichting", "vastgelegd_door"])
    logregel_voor_door(door=door, actie="wijzigen", obj=dossier, doel=DOEL_INFORMATIEPLICHT)
    return plicht
