"""Writes of the caseload: claiming, assigning, handing back, contact attempts, closing, reopening, and the
team's work queues (werkbakjes).

Every write locks the dossier (:func:`meldingen.dossiers.guards.vergrendeld`), checks who may
(:mod:`meldingen.dossiers.guards`), moves the status only along the transition table
(:mod:`meldingen.dossiers.workflow`; every move is a :class:`StatusWijziging` row) and writes its audit
entry in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from meldingen.bewaring.termijnen import termijnen_zetten
from meldingen.ddas import Contactsoort, Dagdeel, Eindresultaat, Signaalstatus
from meldingen.doelen import DOEL_UITVOERING
from meldingen.informatieplicht.services import informatieplicht_starten
from meldpunt.audit.services import logregel_create
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol, User
from meldpunt.privacy.kluis import Kluis

from .guards import vereis_behandelaar, vereis_uitvoerder, vergrendeld
from .models import BehandelaarWijziging, Contactpoging, Dossier, StatusWijziging, Werkbak
from .workflow import OPEN_STATUSSEN, DossierStatus, overgang_toegestaan

#: Ends of a dossier that was never picked up, and the signal status each gives its meldingen.
NIET_OPGEPAKT_EINDRESULTATEN: dict[str, str] = {
    Eindresultaat.NIET_OPGEPAKT_ONTERECHT: Signaalstatus.ONTERECHT_SIGNAAL,
    Eindresultaat.NIET_OPGEPAKT_HERHAALD: Signaalstatus.HERHAALDE_MELDING,
    Eindresultaat.NIET_OPGEPAKT_ANDERE_REDEN: Signaalstatus.ANDERE_REDEN,
    Eindresultaat.OVERLEDEN: Signaalstatus.OVERLEDEN,
    Eindresultaat.GEEN_INWONER: Signaalstatus.GEEN_INWONER,
    Eindresultaat.AL_BEKEND: Signaalstatus.AL_BEKEND,
}


def _overgang(dossier: Dossier, naar: str, *, door: User, reden: str = "") -> None:
    """Move ``dossier`` (locked by the caller) to ``naar`` if the transition table allows it; log it."""
    van = dossier.status
    if not overgang_toegestaan(van, naar):
        raise ApplicationError(
            f"Een dossier met status '{DossierStatus(van).label}' kan niet naar '{DossierStatus(naar).label}'."
        )
    dossier.status = naar
    wijziging = StatusWijziging(dossier=dossier, van=van, naar=naar, door=door, tijdstip=timezone.now())
    if reden:
        wijziging.reden = Kluis(dossier.sleutel).versleutel(reden, context=f"meldingen.statuswijziging:{dossier.pk}")
    wijziging.save()


def _behandelaar(dossier: Dossier, naar: User | None, *, door: User) -> None:
    """Make ``naar`` the dossier's behandelaar (saved by the caller) and keep the change in the history."""
    if dossier.behandelaar_id == (naar.pk if naar else None):
        return
    BehandelaarWijziging.objects.create(
        dossier=dossier, van_id=dossier.behandelaar_id, naar=naar, door=door, tijdstip=timezone.now()
    )
    dossier.behandelaar = naar


def _log_dossier(dossier: Dossier, door: User, actie: str = "wijzigen") -> None:
    logregel_create(
        actie=actie,
        object_type="meldingen.dossier",
        object_id=str(dossier.pk),
        gebruiker=door,
        convenant=dossier.convenant,
        doel=DOEL_UITVOERING,
    )


@transaction.atomic
def dossier_claim(*, dossier_id: uuid.UUID | str, door: User) -> Dossier:
    """Claim an unclaimed dossier. Under concurrency exactly one claimant wins (row lock, SKIP LOCKED)."""
    if not door.heeft_rol(Rol.HULPVERLENER, Rol.TEAMLEIDER):
        raise ApplicationError("Alleen hulpverleners en teamleiders kunnen een dossier oppakken.")
    dossier = (
        Dossier.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("convenant", "sleutel")
        .filter(
            pk=dossier_id,
            status=DossierStatus.NIEUW,
            convenant__uitvoerder=door.organisatie,
            afgeschermd_sinds__isnull=True,
        )
        .first()
    )
    if dossier is None:
        raise ApplicationError("Dit dossier is al opgepakt of niet (meer) beschikbaar.")
    _overgang(dossier, DossierStatus.GECLAIMD, door=door)
    _behandelaar(dossier, door, door=door)
    dossier.geclaimd_op = timezone.now()
    dossier.save(update_fields=["status", "behandelaar", "geclaimd_op"])
    dossier.meldingen.filter(status=Signaalstatus.NOG_NIET_OPGEPAKT).update(status=Signaalstatus.OPGEPAKT)
    informatieplicht_starten(dossier=dossier)
    _log_dossier(dossier, door)
    return dossier


@transaction.atomic
def dossier_toewijzen(*, dossier: Dossier, behandelaar: User, door: User) -> Dossier:
    """A teamleider assigns or reassigns an open dossier to a member of the team."""
    dossier = vergrendeld(dossier)
    vereis_uitvoerder(door, dossier, Rol.TEAMLEIDER)
    if behandelaar.organisatie_id != door.organisatie_id or not behandelaar.is_active:
        raise ApplicationError(
            "Kies een actieve medewerker van uw eigen organisatie.", extra={"behandelaar": ["Ongeldig."]}
        )
    if not behandelaar.heeft_rol(Rol.HULPVERLENER, Rol.TEAMLEIDER):
        raise ApplicationError("Deze medewerker is geen hulpverlener.", extra={"behandelaar": ["Geen hulpverlener."]})
    if dossier.status == DossierStatus.AFGESLOTEN:
        raise ApplicationError("Een afgesloten dossier kan niet worden toegewezen; heropen het eerst.")
    if dossier.status == DossierStatus.NIEUW:
        _overgang(dossier, DossierStatus.GECLAIMD, door=door)
        dossier.geclaimd_op = timezone.now()
        dossier.meldingen.filter(status=Signaalstatus.NOG_NIET_OPGEPAKT).update(status=Signaalstatus.OPGEPAKT)
        informatieplicht_starten(dossier=dossier)
    _behandelaar(dossier, behandelaar, door=door)
    dossier.save(update_fields=["status", "behandelaar", "geclaimd_op"])
    _log_dossier(dossier, door)
    return dossier


#: The longest reason for handing a dossier back or reopening it.
MAX_REDEN = 1000


@transaction.atomic
def dossier_teruggeven(*, dossier: Dossier, door: User, reden: str) -> Dossier:
    """The behandelaar (or a teamleider) hands a claimed dossier back to the queue, with a reason.

    Only before the tenant was reached (``geclaimd`` → ``nieuw``, as the transition table allows). The
    reason is kept encrypted in the history; the dossier has no behandelaar again and its meldingen read
    "Nog niet opgepakt" until someone claims it. The art. 14 clock, started by the first claim, keeps running.
    """
    dossier = vergrendeld(dossier)
    vereis_behandelaar(door, dossier, bericht="Alleen de behandelaar of een teamleider geeft dit dossier terug.")
    reden = (reden or "").strip()
    if not reden:
        raise ApplicationError("Geef de reden voor teruggeven.", extra={"reden": ["Vul de reden in."]})
    if len(reden) > MAX_REDEN:
        raise ApplicationError("Geef de reden voor teruggeven.", extra={"reden": [f"Ten hoogste {MAX_REDEN} tekens."]})
    if dossier.status != DossierStatus.GECLAIMD:
        raise ApplicationError("Alleen een opgepakt dossier zonder contact met de huurder kan terug naar de wachtrij.")
    _overgang(dossier, DossierStatus.NIEUW, door=door, reden=reden)
    _behandelaar(dossier, None, door=door)
    dossier.geclaimd_op = None
    dossier.save(update_fields=["status", "behandelaar", "geclaimd_op"])
    dossier.meldingen.filter(status=Signaalstatus.OPGEPAKT).update(status=Signaalstatus.NOG_NIET_OPGEPAKT)
    _log_dossier(dossier, door)
    return dossier


@transaction.atomic
def contactpoging_create(
    *,
    dossier: Dossier,
    door: User,
    soort: str,
    datum: dt.date,
    dagdeel: str,
    bereikt: bool,
    notitie: str = "",
) -> Contactpoging:
    dossier = vergrendeld(dossier)
    vereis_behandelaar(door, dossier, bericht="Alleen de behandelaar of een teamleider legt contactpogingen vast.")
    if dossier.status not in (DossierStatus.GECLAIMD, DossierStatus.IN_CONTACT):
        raise ApplicationError("Contactpogingen zijn alleen mogelijk bij een opgepakt, open dossier.")
    fouten: dict[str, list[str]] = {}
    if soort not in Contactsoort.values:
        fouten["soort"] = ["Kies een soort contact."]
    if dagdeel not in Dagdeel.values:
        fouten["dagdeel"] = ["Kies een dagdeel."]
    if datum > timezone.localdate():
        fouten["datum"] = ["De datum ligt in de toekomst."]
    elif dossier.geclaimd_op and datum < timezone.localtime(dossier.geclaimd_op).date() - dt.timedelta(days=1):
        fouten["datum"] = ["De datum ligt vóór het oppakken van het dossier."]
    if len(notitie) > 5000:
        fouten["notitie"] = ["Ten hoogste 5000 tekens."]
    if fouten:
        raise ApplicationError("De contactpoging is niet vastgelegd.", extra=fouten)
    poging = Contactpoging(dossier=dossier, soort=soort, datum=datum, dagdeel=dagdeel, bereikt=bereikt, door=door)
    poging.save()
    if notitie:
        poging.notitie = Kluis(dossier.sleutel).versleutel(notitie, context=f"meldingen.contactpoging:{poging.pk}")
        poging.save(update_fields=["notitie"])
    if bereikt and dossier.status == DossierStatus.GECLAIMD:
        _overgang(dossier, DossierStatus.IN_CONTACT, door=door)
        dossier.save(update_fields=["status"])
    _log_dossier(dossier, door, actie="aanmaken")
    return poging


@transaction.atomic
def dossier_afsluiten(*, dossier: Dossier, door: User, eindresultaat: str) -> Dossier:
    """Close with a DDAS end result. From the queue only the not-picked-up results are possible."""
    dossier = vergrendeld(dossier)
    vereis_uitvoerder(door, dossier, Rol.HULPVERLENER, Rol.TEAMLEIDER)
    if (
        dossier.status != DossierStatus.NIEUW
        and dossier.behandelaar_id != door.pk
        and not door.heeft_rol(Rol.TEAMLEIDER)
    ):
        raise ApplicationError("Alleen de behandelaar of een teamleider sluit dit dossier af.")
    if eindresultaat not in Eindresultaat.values:
        raise ApplicationError("Kies een eindresultaat.", extra={"eindresultaat": ["Kies een eindresultaat."]})
    if dossier.status == DossierStatus.NIEUW and eindresultaat not in NIET_OPGEPAKT_EINDRESULTATEN:
        raise ApplicationError(
            "Een dossier dat niet is opgepakt kan alleen met een 'niet opgepakt'-resultaat worden afgesloten.",
            extra={"eindresultaat": ["Pak het dossier eerst op, of kies een reden waarom het niet wordt opgepakt."]},
        )
    niet_opgepakt = dossier.status == DossierStatus.NIEUW
    _overgang(dossier, DossierStatus.AFGESLOTEN, door=door)
    dossier.eindresultaat = eindresultaat
    dossier.afgesloten_op = timezone.now()
    dossier.save(update_fields=["status", "eindresultaat", "afgesloten_op", *termijnen_zetten(dossier)])
    if niet_opgepakt:
        dossier.meldingen.filter(status=Signaalstatus.NOG_NIET_OPGEPAKT).update(
            status=NIET_OPGEPAKT_EINDRESULTATEN[eindresultaat]
        )
    _log_dossier(dossier, door)
    return dossier


@transaction.atomic
def dossier_heropenen(*, dossier: Dossier, door: User, reden: str) -> Dossier:
    """A teamleider reopens a closed dossier, with a reason (kept encrypted in the history)."""
    dossier = vergrendeld(dossier)
    vereis_uitvoerder(door, dossier, Rol.TEAMLEIDER)
    if not reden.strip():
        raise ApplicationError("Geef de reden voor heropenen.", extra={"reden": ["Vul de reden in."]})
    if (
        dossier.referentie_index
        and Dossier.objects.filter(
            convenant=dossier.convenant, referentie_index=dossier.referentie_index, status__in=OPEN_STATUSSEN
        )
        .exclude(pk=dossier.pk)
        .exists()
    ):
        raise ApplicationError("Voor deze huurrelatie loopt al een ander dossier.")
    _overgang(dossier, DossierStatus.GECLAIMD, door=door, reden=reden.strip())
    if dossier.behandelaar_id is None:
        _behandelaar(dossier, door, door=door)
    dossier.eindresultaat = ""
    dossier.afgesloten_op = None
    dossier.save(update_fields=["status", "behandelaar", "eindresultaat", "afgesloten_op", *termijnen_zetten(dossier)])
    _log_dossier(dossier, door)
    return dossier


# --- work queues (werkbakjes) -----------------------------------------------------------------------
WERKBAK_FILTERS = (
    "type",
    "alleen_minderjarigen",
    "bedrag_vanaf",
    "postcode_van",
    "postcode_tot",
    "alleen_herhaald",
    "partner",
)


@transaction.atomic
def werkbak_create(*, door: User, naam: str, **filters: Any) -> Werkbak:
    """A teamleider defines a named queue for the team; filters are combined with AND."""
    if not door.heeft_rol(Rol.TEAMLEIDER) or door.organisatie.type != "uitvoerder":
        raise ApplicationError("Alleen een teamleider van een uitvoerder maakt werkbakjes.")
    onbekend = set(filters) - set(WERKBAK_FILTERS)
    if onbekend:
        raise ApplicationError("Onbekend filter.", extra={k: ["Onbekend filter."] for k in sorted(onbekend)})
    fouten: dict[str, list[str]] = {}
    naam = naam.strip()
    if not naam:
        fouten["naam"] = ["Geef het werkbakje een naam."]
    elif Werkbak.objects.filter(organisatie=door.organisatie, naam__iexact=naam).exists():
        fouten["naam"] = ["Er is al een werkbakje met deze naam."]
    van, tot = filters.get("postcode_van"), filters.get("postcode_tot")
    for veld, waarde in (("postcode_van", van), ("postcode_tot", tot)):
        if waarde is not None and not 1000 <= waarde <= 9999:
            fouten[veld] = ["Vier cijfers, van 1000 tot en met 9999."]
    if van is not None and tot is not None and van > tot and "postcode_tot" not in fouten:
        fouten["postcode_tot"] = ["De tot-postcode ligt vóór de van-postcode."]
    bedrag = filters.get("bedrag_vanaf")
    if bedrag is not None and bedrag < 0:
        fouten["bedrag_vanaf"] = ["Een bedrag van 0 of meer."]
    partner = filters.get("partner")
    if (
        partner is not None
        and not door.organisatie.convenanten_als_uitvoerder.filter(deelnames__partner=partner).exists()
    ):
        fouten["partner"] = ["Deze partner neemt niet deel aan uw convenanten."]
    if fouten:
        raise ApplicationError("Het werkbakje is niet aangemaakt.", extra=fouten)
    werkbak = Werkbak.objects.create(organisatie=door.organisatie, naam=naam, aangemaakt_door=door, **filters)
    logregel_create(actie="aanmaken", object_type="meldingen.werkbak", object_id=str(werkbak.pk), gebruiker=door)
    return werkbak


@transaction.atomic
def werkbak_verwijderen(*, werkbak: Werkbak, door: User) -> None:
    if not door.heeft_rol(Rol.TEAMLEIDER) or werkbak.organisatie_id != door.organisatie_id:
        raise ApplicationError("Alleen een teamleider van het team verwijdert werkbakjes.")
    logregel_create(actie="verwijderen", object_type="meldingen.werkbak", object_id=str(werkbak.pk), gebruiker=door)
    werkbak.delete()
