"""Consulting the participants of a request and recording their answers (seed 002 §2.6).

Every organisation that supplied (the Partner) or received (the Uitvoerder; the Gemeente under the tenant's
consent) the data of the confirmed dossiers gets one consultation with a term. It answers per category of
data: no objection, or an exception of art. 41 UAVG with the ground and a motivation. The contactpunt does
not judge the exception (that is the participant's); it decides per participant's data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from meldingen.doelen import DOEL_AVG_VERZOEK
from meldingen.toestemming.models import Toestemming, ToestemmingOntvanger
from meldpunt.audit.services import logregel_voor_door
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import User
from meldpunt.privacy.kluis import Kluis

from ..verzoeken.herinneringen import contactpunt_adressen
from ..verzoeken.models import Verzoek, VerzoekDossier
from ..verzoeken.services import MAX_TEKST, vereis_contactpunt, vergrendel
from ..verzoeken.workflow import VerzoekStatus
from .models import Antwoord, Art41Grond, Categorie, Raadpleging, Rol
from .selectors import DEELNEMER_ROLLEN, deelnemer_adressen

#: Default term of a consultation.
TERMIJN_DAGEN = 10
#: An invoked exception is re-checked every three months.
HERBEOORDELING_MAANDEN = 3


def deelnemers_bepalen(verzoek: Verzoek) -> dict[int, tuple[str, list[str]]]:
    """Organisation id → (role, categories) of every participant of the confirmed dossiers."""
    uit: dict[int, tuple[str, list[str]]] = {}
    for koppeling in VerzoekDossier.objects.filter(verzoek=verzoek).select_related("dossier__convenant"):
        dossier = koppeling.dossier
        uit.setdefault(dossier.partner_id, (Rol.VERSTREKT, [Categorie.MELDING]))
        uit[dossier.convenant.uitvoerder_id] = (
            Rol.ONTVANGEN,
            [Categorie.MELDING, Categorie.DOSSIER, Categorie.RAPPORTAGE, Categorie.TOESTEMMING],
        )
        if Toestemming.objects.filter(dossier=dossier, ontvanger_soort=ToestemmingOntvanger.GEMEENTE).exists():
            uit.setdefault(dossier.convenant.gemeente_id, (Rol.ONTVANGEN, [Categorie.DOSSIER, Categorie.RAPPORTAGE]))
    return uit


@transaction.atomic
def raadplegingen_versturen(*, verzoek: Verzoek, door: User, termijn_op: dt.date | None = None) -> list[Raadpleging]:
    """Consult every participant not consulted yet; each gets an e-mail with the request number only."""
    verzoek = vergrendel(verzoek)
    vereis_contactpunt(door, verzoek.gemeente_id)
    if verzoek.status != VerzoekStatus.IN_BEHANDELING:
        raise ApplicationError("Raadplegen kan bij een verzoek in behandeling.")
    deelnemers = deelnemers_bepalen(verzoek)
    if not deelnemers:
        raise ApplicationError("Bevestig eerst de dossiers van de verzoeker.")
    vandaag = timezone.localdate()
    termijn_op = termijn_op or vandaag + dt.timedelta(days=TERMIJN_DAGEN)
    if termijn_op < vandaag:
        raise ApplicationError(
            "De termijn ligt in het verleden.", extra={"termijn_op": ["Kies een datum vanaf vandaag."]}
        )
    al = set(Raadpleging.objects.filter(verzoek=verzoek).values_list("organisatie_id", flat=True))
    nieuw = []
    for organisatie_id, (rol, categorieen) in sorted(deelnemers.items()):
        if organisatie_id in al:
            continue
        raadpleging = Raadpleging.objects.create(
            verzoek=verzoek,
            organisatie_id=organisatie_id,
            rol=rol,
            categorieen=categorieen,
            gevraagd_op=timezone.now(),
            gevraagd_door=door,
            termijn_op=termijn_op,
        )
        logregel_voor_door(door=door, actie="aanmaken", obj=raadpleging, doel=DOEL_AVG_VERZOEK)
        nieuw.append(raadpleging)
    for raadpleging in nieuw:
        adressen = deelnemer_adressen(raadpleging.organisatie_id)
        if adressen:
            tekst = (
                f"Het contactpunt vraagt uw organisatie om advies over AVG-verzoek {verzoek.nummer}.\n"
                f"Antwoord uiterlijk {termijn_op:%d-%m-%Y} in het Centraal Meldpunt (AVG-raadplegingen).\n"
            )
            transaction.on_commit(
                lambda t=tekst, a=adressen: send_mail("AVG-verzoek: raadpleging", t, None, a)  # type: ignore[misc]  # default args bind the loop values
            )
    return nieuw


@transaction.atomic
def raadpleging_beantwoorden(
    *, raadpleging: Raadpleging, door: User, antwoorden: dict[str, dict[str, Any]]
) -> Raadpleging:
    """The participant's answer for every category it was asked about: ``{"categorie": {"uitzondering": "",
    "motivering": ""}}``; an exception needs its ground and a motivation."""
    raadpleging = Raadpleging.objects.select_for_update().select_related("verzoek__sleutel").get(pk=raadpleging.pk)
    if door.organisatie_id != raadpleging.organisatie_id or not door.heeft_rol(*DEELNEMER_ROLLEN):
        raise ApplicationError("Alleen de geraadpleegde organisatie beantwoordt deze raadpleging.")
    if raadpleging.beantwoord_op is not None:
        raise ApplicationError("Deze raadpleging is al beantwoord.")
    if raadpleging.verzoek.status != VerzoekStatus.IN_BEHANDELING:
        raise ApplicationError("Over dit verzoek is al besloten.")
    fouten: dict[str, list[str]] = {}
    schoon: dict[str, tuple[str, str]] = {}
    for categorie in raadpleging.categorieen:
        antwoord = antwoorden.get(categorie) or {}
        uitzondering = antwoord.get("uitzondering") or ""
        motivering = (antwoord.get("motivering") or "").strip()
        if uitzondering and uitzondering not in Art41Grond.values:
            fouten[f"{categorie}_uitzondering"] = ["Kies een grond uit de lijst."]
        elif uitzondering and not motivering:
            fouten[f"{categorie}_motivering"] = ["Motiveer de uitzondering; de motivering komt in het besluit."]
        elif len(motivering) > MAX_TEKST:
            fouten[f"{categorie}_motivering"] = [f"Ten hoogste {MAX_TEKST} tekens."]
        schoon[categorie] = (uitzondering, motivering if uitzondering else "")
    if fouten:
        raise ApplicationError("Het antwoord is niet vastgelegd. Controleer de gemarkeerde velden.", extra=fouten)
    kluis = Kluis(raadpleging.verzoek.sleutel)
    vandaag = timezone.localdate()
    for categorie, (uitzondering, motivering) in schoon.items():
        rij = Antwoord.objects.create(
            raadpleging=raadpleging,
            categorie=categorie,
            uitzondering=uitzondering,
            herbeoordeling_op=vandaag + relativedelta(months=HERBEOORDELING_MAANDEN) if uitzondering else None,
        )
        if motivering:
            rij.motivering = kluis.versleutel(motivering, context=rij.motivering_context)
            rij.save(update_fields=["motivering"])
    raadpleging.beantwoord_op = timezone.now()
    raadpleging.beantwoord_door = door
    raadpleging.save(update_fields=["beantwoord_op", "beantwoord_door"])
    logregel_voor_door(door=door, actie="wijzigen", obj=raadpleging, doel=DOEL_AVG_VERZOEK)
    return raadpleging


@transaction.atomic
def uitzondering_vervallen(*, antwoord: Antwoord, door: User, vervallen_op: dt.date | None = None) -> Antwoord:
    """The participant reports that its exception no longer applies: the contactpunt must take a supplementary
    decision granting the request for that participant's data (seed 002 §2.6)."""
    antwoord = Antwoord.objects.select_for_update().select_related("raadpleging__verzoek").get(pk=antwoord.pk)
    raadpleging = antwoord.raadpleging
    if door.organisatie_id != raadpleging.organisatie_id or not door.heeft_rol(*DEELNEMER_ROLLEN):
        raise ApplicationError("Alleen de geraadpleegde organisatie trekt haar uitzondering in.")
    if not antwoord.uitzondering_geldt:
        raise ApplicationError("Voor deze gegevens geldt geen uitzondering (meer).")
    antwoord.vervallen_op = vervallen_op or timezone.localdate()
    antwoord.herbeoordeling_op = None
    antwoord.save(update_fields=["vervallen_op", "herbeoordeling_op"])
    logregel_voor_door(door=door, actie="wijzigen", obj=raadpleging, doel=DOEL_AVG_VERZOEK)
    adressen = contactpunt_adressen(raadpleging.verzoek.gemeente_id)
    if adressen:
        tekst = (
            f"Een uitzondering bij AVG-verzoek {raadpleging.verzoek.nummer} geldt niet meer: "
            "neem een aanvullend besluit.\n"
        )
        transaction.on_commit(lambda: send_mail("AVG-verzoek: uitzondering vervallen", tekst, None, adressen))
    return antwoord
