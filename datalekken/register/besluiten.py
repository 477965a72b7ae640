"""The FG's decisions: notify the AP or not (with the risk assessment and reasons), the AP notifications
(voorlopig, definitief, additions, withdrawal), and informing the people affected (their letters:
:mod:`datalekken.register.brieven`).

Only the FG of a convenant concerned decides (seed 001 §7.3: the processor never notifies the AP or the
people affected).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from meldpunt.audit.services import logregel_voor_door
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import User

from ..doelen import DOEL_DATALEK
from .inhoud import VELDEN, inhoud_zetten
from .klokken import ap_termijn
from .models import ApMelding, Datalek
from .services import vergrendeld
from .tasks import maak_datalekbrieven
from .toegang import is_fg_van
from .voortgang import voortgang_schrijven
from .workflow import ApBesluit, ApMeldingSoort, BetrokkenenBesluit

#: Letters asked for this long ago and still not finished (a worker stopped) may be asked for again; the task
#: goes on where it stopped.
BRIEVEN_OPNIEUW_NA = dt.timedelta(minutes=15)


def fg_vergrendeld(datalek: Datalek, door: User) -> Datalek:
    datalek = vergrendeld(datalek)
    if not is_fg_van(door, datalek):
        raise ApplicationError("Alleen de FG van de verwerkingsverantwoordelijke besluit over melden.")
    return datalek


def _tekst(waarde: str, veld: str, fouten: dict[str, list[str]], verplicht: str = "") -> str:
    waarde = (waarde or "").strip()
    if verplicht and not waarde:
        fouten.setdefault(veld, []).append(verplicht)
    if len(waarde) > VELDEN[veld]:
        fouten.setdefault(veld, []).append(f"Ten hoogste {VELDEN[veld]} tekens.")
    return waarde


@transaction.atomic
def datalek_ap_besluiten(
    *, datalek: Datalek, door: User, besluit: str, risicobeoordeling: str, reden: str = "", reden_te_laat: str = ""
) -> Datalek:
    """Decide whether to notify the AP. Not notifying needs a reason; deciding after the deadline without
    notifying, too (the reason for lateness). Once the AP was notified the decision stands."""
    datalek = fg_vergrendeld(datalek, door)
    if datalek.ap_gemeld_op is not None:
        raise ApplicationError("Het datalek is al aan de AP gemeld; het besluit staat vast.")
    fouten: dict[str, list[str]] = {}
    if besluit not in ApBesluit.values:
        fouten["besluit"] = ["Kies of het datalek aan de AP wordt gemeld."]
    risico = _tekst(risicobeoordeling, "risicobeoordeling", fouten, "Beschrijf de risicobeoordeling.")
    reden = _tekst(reden, "reden_ap", fouten, "Motiveer waarom niet wordt gemeld." if besluit == "niet_melden" else "")
    nu = timezone.now()
    te_laat = besluit == ApBesluit.NIET_MELDEN and nu > ap_termijn(datalek).uiterlijk
    reden_laat = _tekst(
        reden_te_laat, "reden_te_laat", fouten, "Motiveer waarom na de 72 uur is besloten." if te_laat else ""
    )
    if "reden_ap" in fouten:
        fouten["reden"] = fouten.pop("reden_ap")
    if fouten:
        raise ApplicationError("Het besluit is niet vastgelegd.", extra=fouten)
    datalek.ap_besluit = besluit
    datalek.ap_besloten_op = nu
    datalek.ap_besloten_door = door
    inhoud_zetten(datalek, {"risicobeoordeling": risico, "reden_ap": reden, "reden_te_laat": reden_laat})
    datalek.save()
    voortgang_schrijven(datalek=datalek, door=door, gebeurtenis="Besluit AP: " + ApBesluit(besluit).label)
    logregel_voor_door(door=door, actie="wijzigen", obj=datalek, doel=DOEL_DATALEK)
    return datalek


@transaction.atomic
def ap_melding_vastleggen(
    *, datalek: Datalek, door: User, soort: str, referentie: str, gemeld_op: dt.datetime, reden_te_laat: str = ""
) -> ApMelding:
    """Record a notification to the AP: the first is voorlopig or definitief (it stops the 72h clock; after the
    deadline with the reason); then a definitive one, additions, or the withdrawal."""
    datalek = fg_vergrendeld(datalek, door)
    fouten: dict[str, list[str]] = {}
    if datalek.ap_besluit != ApBesluit.MELDEN:
        raise ApplicationError("Besluit eerst dat het datalek aan de AP wordt gemeld.")
    eerdere = list(datalek.ap_meldingen.all())
    if soort not in ApMeldingSoort.values:
        fouten["soort"] = ["Kies de soort melding."]
    elif not eerdere and soort not in (ApMeldingSoort.VOORLOPIG, ApMeldingSoort.DEFINITIEF):
        fouten["soort"] = ["De eerste melding is voorlopig of definitief."]
    elif any(m.soort == ApMeldingSoort.INTREKKING for m in eerdere):
        fouten["soort"] = ["De melding is ingetrokken; er kan niets meer worden toegevoegd."]
    referentie = (referentie or "").strip()
    if not referentie:
        fouten["referentie"] = ["Vul het meldnummer van de AP in."]
    elif len(referentie) > 60:
        fouten["referentie"] = ["Ten hoogste 60 tekens."]
    if gemeld_op > timezone.now() + dt.timedelta(minutes=5):
        fouten["gemeld_op"] = ["Het tijdstip ligt in de toekomst."]
    elif gemeld_op < datalek.ontdekt_op:
        fouten["gemeld_op"] = ["Het tijdstip ligt vóór de ontdekking."]
    laat = ""
    if not eerdere and gemeld_op > ap_termijn(datalek).uiterlijk:
        laat = _tekst(reden_te_laat, "reden_te_laat", fouten, "Motiveer waarom na de 72 uur is gemeld.")
    if fouten:
        raise ApplicationError("De melding aan de AP is niet vastgelegd.", extra=fouten)
    melding = ApMelding.objects.create(
        datalek=datalek, soort=soort, referentie=referentie, gemeld_op=gemeld_op, vastgelegd_door=door
    )
    if datalek.ap_gemeld_op is None:
        datalek.ap_gemeld_op = gemeld_op
        if laat:
            inhoud_zetten(datalek, {"reden_te_laat": laat})
        datalek.save()
    voortgang_schrijven(
        datalek=datalek, door=door, gebeurtenis=f"AP: {ApMeldingSoort(soort).label} (meldnummer {referentie})"
    )
    logregel_voor_door(door=door, actie="wijzigen", obj=datalek, doel=DOEL_DATALEK)
    return melding


@transaction.atomic
def datalek_betrokkenen_besluiten(*, datalek: Datalek, door: User, besluit: str, reden: str) -> Datalek:
    """Decide whether to inform the people affected (high risk), with the reason either way."""
    datalek = fg_vergrendeld(datalek, door)
    fouten: dict[str, list[str]] = {}
    if besluit not in BetrokkenenBesluit.values:
        fouten["besluit"] = ["Kies of de betrokkenen worden geïnformeerd."]
    reden = _tekst(reden, "reden_betrokkenen", fouten, "Motiveer het besluit.")
    if "reden_betrokkenen" in fouten:
        fouten["reden"] = fouten.pop("reden_betrokkenen")
    if fouten:
        raise ApplicationError("Het besluit is niet vastgelegd.", extra=fouten)
    datalek.betrokkenen_besluit = besluit
    datalek.betrokkenen_besloten_op = timezone.now()
    datalek.betrokkenen_besloten_door = door
    inhoud_zetten(datalek, {"reden_betrokkenen": reden})
    datalek.save()
    voortgang_schrijven(
        datalek=datalek, door=door, gebeurtenis="Besluit betrokkenen: " + BetrokkenenBesluit(besluit).label
    )
    logregel_voor_door(door=door, actie="wijzigen", obj=datalek, doel=DOEL_DATALEK)
    return datalek


@transaction.atomic
def datalek_brieven_aanvragen(*, datalek: Datalek, door: User) -> int:
    """Ask the worker for the letters (again: letters made before are replaced). Returns how many it will make."""
    datalek = fg_vergrendeld(datalek, door)
    if datalek.betrokkenen_besluit != BetrokkenenBesluit.INFORMEREN:
        raise ApplicationError("Besluit eerst dat de betrokkenen worden geïnformeerd.")
    aantal = datalek.koppelingen.filter(dossier__vernietigd_op__isnull=True).count()
    if not aantal:
        raise ApplicationError("Koppel eerst de dossiers van de betrokkenen.")
    gevraagd = datalek.brieven_aangevraagd_op
    if gevraagd is not None and datalek.brieven_gemaakt_op is None and gevraagd > timezone.now() - BRIEVEN_OPNIEUW_NA:
        raise ApplicationError("De brieven worden al gemaakt.")
    datalek.brieven_aangevraagd_op = timezone.now()
    datalek.brieven_aangevraagd_door = door
    datalek.brieven_gemaakt_op = None
    datalek.save(update_fields=["brieven_aangevraagd_op", "brieven_aangevraagd_door", "brieven_gemaakt_op"])
    logregel_voor_door(door=door, actie="wijzigen", obj=datalek, doel=DOEL_DATALEK)
    maak_datalekbrieven.delay_on_commit(datalek.pk)
    return aantal
