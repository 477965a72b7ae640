"""Writes of data-subject requests: registering, identity, the deadline and its one extension (recorded, its
letter made by the worker, then sent within the first month), confirming the
requester's dossiers, closing (seed 002 §2.4, §2.5; DOMAIN.md "AVG requests").

Every service locks the request, checks that ``door`` is the contactpunt of the request's Gemeente, and writes
its Logboek entry (purpose :data:`~meldingen.doelen.DOEL_AVG_VERZOEK`) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from meldingen.bewaring.services import bewaarblokkade_instellen, bewaarblokkaden_voor_bron_opheffen
from meldingen.bewaring.workflow import BlokkadeGrond
from meldingen.doelen import DOEL_AVG_VERZOEK
from meldingen.dossiers.models import Dossier
from meldpunt.audit.services import logregel_voor_door
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Organisatie, OrganisatieType, Rol, User
from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.services import datasleutel_create

from .models import IdentiteitMethode, Verlengingsbrief, Verzoek, VerzoekDossier, VerzoekKanaal, VerzoekSoort
from .tasks import maak_verlengingsbrief
from .workflow import VerzoekStatus, mag_overgaan

#: One month from identity established (seed 002 §2.5), extendable once by at most two months.
TERMIJN_MAANDEN = 1
VERLENGING_MAANDEN = 2
MAX_TEKST = 2000
VERZOEKER_VELDEN = ("achternaam", "voornamen", "geboortedatum", "postcode", "huisnummer", "toevoeging", "email")
#: The sources of the retention holds a request and a bezwaar against its decision set (meldingen.bewaring).
BRON_VERZOEK = "avg_verzoek"
BRON_BEZWAAR = "avg_bezwaar"


def vereis_contactpunt(door: User, gemeente_id: int | None) -> None:
    if door.organisatie_id != gemeente_id or not door.heeft_rol(Rol.CONTACTPUNT):
        raise ApplicationError("Alleen het contactpunt van de gemeente behandelt dit AVG-verzoek.")


def termijn_berekenen(vastgesteld_op: dt.date) -> dt.date:
    """One calendar month after identity was established (31 January → 28/29 February)."""
    return vastgesteld_op + relativedelta(months=TERMIJN_MAANDEN)


def hoogste_verlenging(termijn_op: dt.date) -> dt.date:
    return termijn_op + relativedelta(months=VERLENGING_MAANDEN)


def vergrendel(verzoek: Verzoek) -> Verzoek:
    return Verzoek.objects.select_for_update(of=("self",)).select_related("sleutel", "gemeente").get(pk=verzoek.pk)


def status_zetten(verzoek: Verzoek, naar: str) -> None:
    if not mag_overgaan(verzoek.status, naar):
        raise ApplicationError(f"Dit kan niet in de stand '{verzoek.get_status_display()}'.")
    verzoek.status = naar


def _nieuw_nummer(gemeente: Organisatie, jaar: int) -> str:
    Organisatie.objects.select_for_update().filter(pk=gemeente.pk).first()  # serialises numbering per Gemeente
    prefix = f"AVG-{jaar}-"
    laatste = (
        Verzoek.objects.filter(nummer__startswith=prefix).order_by("-nummer").values_list("nummer", flat=True).first()
    )
    volgend = int(laatste.rsplit("-", 1)[1]) + 1 if laatste else 1
    return f"{prefix}{volgend:04d}"


def _verzoeker_valideren(gegevens: dict[str, Any], fouten: dict[str, list[str]]) -> dict[str, Any]:
    schoon = {k: (gegevens.get(k) or "") for k in VERZOEKER_VELDEN}
    for k in ("achternaam", "voornamen", "postcode", "toevoeging", "email"):
        schoon[k] = str(schoon[k]).strip()
    if not schoon["achternaam"]:
        fouten["achternaam"] = ["Vul de achternaam van de betrokkene in."]
    geboortedatum = gegevens.get("geboortedatum")
    if not isinstance(geboortedatum, dt.date):
        fouten["geboortedatum"] = ["Vul de geboortedatum van de betrokkene in."]
    elif geboortedatum > timezone.localdate():
        fouten["geboortedatum"] = ["De geboortedatum ligt in de toekomst."]
    else:
        schoon["geboortedatum"] = geboortedatum.isoformat()
    schoon["huisnummer"] = str(gegevens.get("huisnummer") or "").strip()
    return schoon


@transaction.atomic
def verzoek_registreren(
    *,
    door: User,
    ontvangen_op: dt.date | None,
    kanaal: str,
    soorten: list[str],
    verzoeker: dict[str, Any],
    door_vertegenwoordiger: bool = False,
    vertegenwoordiger: str = "",
) -> Verzoek:
    """Register a request as received; the deadline starts once identity is established."""
    gemeente = door.organisatie
    if gemeente is None or gemeente.type != OrganisatieType.GEMEENTE or not door.heeft_rol(Rol.CONTACTPUNT):
        raise ApplicationError("Alleen het contactpunt van een gemeente registreert AVG-verzoeken.")
    fouten: dict[str, list[str]] = {}
    if not isinstance(ontvangen_op, dt.date):
        fouten["ontvangen_op"] = ["Vul de datum van ontvangst in."]
    elif ontvangen_op > timezone.localdate():
        fouten["ontvangen_op"] = ["De datum van ontvangst ligt in de toekomst."]
    if kanaal not in VerzoekKanaal.values:
        fouten["kanaal"] = ["Kies hoe het verzoek binnenkwam."]
    soorten = list(dict.fromkeys(soorten or []))
    if not soorten:
        fouten["soorten"] = ["Kies ten minste één soort verzoek."]
    elif any(s not in VerzoekSoort.values for s in soorten):
        fouten["soorten"] = ["Kies alleen soorten uit de lijst."]
    gegevens = _verzoeker_valideren(verzoeker, fouten)
    vertegenwoordiger = (vertegenwoordiger or "").strip()
    if door_vertegenwoordiger and not vertegenwoordiger:
        fouten["vertegenwoordiger"] = ["Vul de naam van de vertegenwoordiger en diens machtiging in."]
    if len(vertegenwoordiger) > MAX_TEKST:
        fouten["vertegenwoordiger"] = [f"Ten hoogste {MAX_TEKST} tekens."]
    if fouten:
        raise ApplicationError("Het verzoek is niet geregistreerd. Controleer de gemarkeerde velden.", extra=fouten)
    assert isinstance(ontvangen_op, dt.date)
    gegevens["vertegenwoordiger"] = vertegenwoordiger if door_vertegenwoordiger else ""
    sleutel = datasleutel_create(doel="avg_verzoek")
    verzoek = Verzoek(
        gemeente=gemeente,
        nummer=_nieuw_nummer(gemeente, ontvangen_op.year),
        sleutel=sleutel,
        ontvangen_op=ontvangen_op,
        kanaal=kanaal,
        soorten=soorten,
        door_vertegenwoordiger=door_vertegenwoordiger,
        geregistreerd_door=door,
    )
    verzoek.save()
    verzoek.verzoeker = Kluis(sleutel).versleutel(gegevens, context=verzoek.verzoeker_context)
    verzoek.save(update_fields=["verzoeker"])
    logregel_voor_door(door=door, actie="aanmaken", obj=verzoek, doel=DOEL_AVG_VERZOEK)
    return verzoek


@transaction.atomic
def verzoek_identiteit_vaststellen(
    *, verzoek: Verzoek, door: User, methode: str, vastgesteld_op: dt.date | None, kopie_vernietigd: bool = False
) -> Verzoek:
    """Record how identity was established (never the copy itself); the one-month deadline starts."""
    verzoek = vergrendel(verzoek)
    vereis_contactpunt(door, verzoek.gemeente_id)
    fouten: dict[str, list[str]] = {}
    if methode not in IdentiteitMethode.values:
        fouten["methode"] = ["Kies hoe de identiteit is vastgesteld."]
    elif methode == IdentiteitMethode.KOPIE_ID and not kopie_vernietigd:
        fouten["kopie_vernietigd"] = ["Vernietig de kopie van het identiteitsbewijs na de controle en bevestig dat."]
    if not isinstance(vastgesteld_op, dt.date):
        fouten["vastgesteld_op"] = ["Vul de datum in."]
    elif vastgesteld_op > timezone.localdate():
        fouten["vastgesteld_op"] = ["De datum ligt in de toekomst."]
    elif vastgesteld_op < verzoek.ontvangen_op:
        fouten["vastgesteld_op"] = ["De datum ligt vóór de ontvangst van het verzoek."]
    if fouten:
        raise ApplicationError("De identiteit is niet vastgelegd.", extra=fouten)
    assert isinstance(vastgesteld_op, dt.date)
    status_zetten(verzoek, VerzoekStatus.IN_BEHANDELING)
    verzoek.identiteit_methode = methode
    verzoek.identiteit_vastgesteld_op = vastgesteld_op
    verzoek.identiteit_vastgesteld_door = door
    verzoek.termijn_op = termijn_berekenen(vastgesteld_op)
    verzoek.save(
        update_fields=[
            "status",
            "identiteit_methode",
            "identiteit_vastgesteld_op",
            "identiteit_vastgesteld_door",
            "termijn_op",
        ]
    )
    logregel_voor_door(door=door, actie="wijzigen", obj=verzoek, doel=DOEL_AVG_VERZOEK)
    return verzoek


@transaction.atomic
def verzoek_verlengen(*, verzoek: Verzoek, door: User, verlengd_tot: dt.date | None, reden: str) -> Verzoek:
    """Record the one extension (at most two months) with its reasons; the worker makes the letter to the
    requester. It takes effect once the letter was sent within the first month (:func:`verlenging_verzonden`);
    until then it may be changed (a new letter is made)."""
    verzoek = vergrendel(verzoek)
    vereis_contactpunt(door, verzoek.gemeente_id)
    if verzoek.termijn_op is None or verzoek.status != VerzoekStatus.IN_BEHANDELING:
        raise ApplicationError("Verlengen kan alleen bij een verzoek in behandeling.")
    if verzoek.verlenging_bericht_op is not None:
        raise ApplicationError("De termijn is al een keer verlengd; dat kan maar één keer.")
    vandaag = timezone.localdate()
    if vandaag > verzoek.termijn_op:
        raise ApplicationError(
            f"De eerste maand is op {verzoek.termijn_op:%d-%m-%Y} verstreken; de termijn kan niet meer worden "
            "verlengd, want de verzoeker moet binnen de eerste maand bericht krijgen."
        )
    fouten: dict[str, list[str]] = {}
    hoogste = hoogste_verlenging(verzoek.termijn_op)
    if not isinstance(verlengd_tot, dt.date):
        fouten["verlengd_tot"] = ["Vul de nieuwe uiterste datum in."]
    elif verlengd_tot <= verzoek.termijn_op:
        fouten["verlengd_tot"] = [f"De nieuwe datum ligt niet na de huidige termijn ({verzoek.termijn_op:%d-%m-%Y})."]
    elif verlengd_tot > hoogste:
        fouten["verlengd_tot"] = [f"Ten hoogste twee maanden verlengen: uiterlijk {hoogste:%d-%m-%Y}."]
    reden = (reden or "").strip()
    if not reden:
        fouten["reden"] = ["Vul de redenen van de verlenging in; ze komen in de brief aan de verzoeker."]
    elif len(reden) > MAX_TEKST:
        fouten["reden"] = [f"Ten hoogste {MAX_TEKST} tekens."]
    if fouten:
        raise ApplicationError("De termijn is niet verlengd. Controleer de gemarkeerde velden.", extra=fouten)
    verzoek.verlengd_tot = verlengd_tot
    verzoek.verlengd_door = door
    verzoek.verlenging_reden = Kluis(verzoek.sleutel).versleutel(reden, context=verzoek.verlenging_context)
    verzoek.save(update_fields=["verlengd_tot", "verlengd_door", "verlenging_reden"])
    Verlengingsbrief.objects.update_or_create(
        verzoek=verzoek, defaults={"datum": vandaag, "aangevraagd_op": timezone.now(), "gemaakt_op": None}
    )
    maak_verlengingsbrief.delay_on_commit(verzoek.pk)
    logregel_voor_door(door=door, actie="wijzigen", obj=verzoek, doel=DOEL_AVG_VERZOEK)
    return verzoek


@transaction.atomic
def verlenging_verzonden(*, verzoek: Verzoek, door: User, verzonden_op: dt.date | None) -> Verzoek:
    """Record the date the extension letter was sent: not before the letter's date, not in the future, and
    within the first month (the original deadline) — otherwise the extension does not take effect."""
    verzoek = vergrendel(verzoek)
    vereis_contactpunt(door, verzoek.gemeente_id)
    if verzoek.status != VerzoekStatus.IN_BEHANDELING or verzoek.termijn_op is None:
        raise ApplicationError("De verzending van de verlenging leg je vast bij een verzoek in behandeling.")
    if verzoek.verlengd_tot is None:
        raise ApplicationError("Leg eerst de verlenging en haar redenen vast; dan wordt de brief gemaakt.")
    if verzoek.verlenging_bericht_op is not None:
        raise ApplicationError(f"De verzending is al vastgelegd ({verzoek.verlenging_bericht_op:%d-%m-%Y}).")
    brief = Verlengingsbrief.objects.filter(verzoek=verzoek).first()
    if brief is None or not brief.klaar:
        raise ApplicationError("De verlengingsbrief wordt nog gemaakt; download en verstuur hem eerst.")
    fouten: dict[str, list[str]] = {}
    if not isinstance(verzonden_op, dt.date):
        fouten["verzonden_op"] = ["Vul in wanneer de brief aan de verzoeker is verzonden."]
    elif verzonden_op > timezone.localdate():
        fouten["verzonden_op"] = ["De datum ligt in de toekomst."]
    elif verzonden_op < brief.datum:
        fouten["verzonden_op"] = [f"De datum ligt vóór de datum van de brief ({brief.datum:%d-%m-%Y})."]
    elif verzonden_op > verzoek.termijn_op:
        fouten["verzonden_op"] = [
            f"De verzoeker moet binnen de eerste maand bericht krijgen, uiterlijk op {verzoek.termijn_op:%d-%m-%Y}. "
            "Na die datum geldt de verlenging niet; de oorspronkelijke termijn blijft staan."
        ]
    if fouten:
        raise ApplicationError("De verzending is niet vastgelegd.", extra=fouten)
    verzoek.verlenging_bericht_op = verzonden_op
    # The extended deadline is in force from now on: its reminders are due again.
    verzoek.herinnering_voor_termijn_op = None
    verzoek.herinnering_na_termijn_op = None
    verzoek.save(update_fields=["verlenging_bericht_op", "herinnering_voor_termijn_op", "herinnering_na_termijn_op"])
    logregel_voor_door(door=door, actie="wijzigen", obj=verzoek, doel=DOEL_AVG_VERZOEK)
    return verzoek


@transaction.atomic
def verzoekdossier_bevestigen(*, verzoek: Verzoek, dossier: Dossier, door: User) -> VerzoekDossier:
    """The contactpunt confirms that ``dossier`` is the requester's.

    From then on the dossier is kept beyond its retention term until the request is closed (a hold with grond
    and bron ``avg_verzoek``, bron_id the request's pk).
    """
    verzoek = vergrendel(verzoek)
    vereis_contactpunt(door, verzoek.gemeente_id)
    if verzoek.status != VerzoekStatus.IN_BEHANDELING:
        raise ApplicationError("Dossiers bevestigen kan zodra de identiteit is vastgesteld en vóór het besluit.")
    dossier = Dossier.objects.select_related("convenant").get(pk=dossier.pk)
    if dossier.convenant.gemeente_id != verzoek.gemeente_id or dossier.vernietigd_op is not None:
        raise ApplicationError("Dit dossier hoort niet bij een convenant van uw gemeente.")
    if VerzoekDossier.objects.filter(verzoek=verzoek, dossier=dossier).exists():
        raise ApplicationError(f"Dossier {dossier.nummer} is al bevestigd.")
    koppeling = VerzoekDossier.objects.create(
        verzoek=verzoek, dossier=dossier, bevestigd_op=timezone.now(), bevestigd_door=door
    )
    logregel_voor_door(door=door, actie="aanmaken", obj=koppeling, doel=DOEL_AVG_VERZOEK)
    bewaarblokkade_instellen(
        dossier=dossier,
        grond=BlokkadeGrond.AVG_VERZOEK,
        door=door,
        reden=f"AVG-verzoek {verzoek.nummer}",
        bron=BRON_VERZOEK,
        bron_id=str(verzoek.pk),
    )
    return koppeling


@transaction.atomic
def verzoekdossier_verklaring_toevoegen(*, koppeling: VerzoekDossier, door: User, verklaring: str) -> VerzoekDossier:
    """Rectification refused (or partly): the tenant's own statement is added to the dossier (art. 16 AVG)."""
    koppeling = (
        VerzoekDossier.objects.select_for_update().select_related("dossier__sleutel", "verzoek").get(pk=koppeling.pk)
    )
    vereis_contactpunt(door, koppeling.verzoek.gemeente_id)
    verklaring = (verklaring or "").strip()
    if not verklaring:
        raise ApplicationError("Vul de verklaring van de huurder in.", extra={"verklaring": ["Vul de verklaring in."]})
    if len(verklaring) > MAX_TEKST:
        raise ApplicationError("De verklaring is te lang.", extra={"verklaring": [f"Ten hoogste {MAX_TEKST} tekens."]})
    koppeling.verklaring = Kluis(koppeling.dossier.sleutel).versleutel(verklaring, context=koppeling.verklaring_context)
    koppeling.save(update_fields=["verklaring"])
    logregel_voor_door(door=door, actie="wijzigen", obj=koppeling, doel=DOEL_AVG_VERZOEK)
    return koppeling


@transaction.atomic
def verzoek_afsluiten(*, verzoek: Verzoek, door: User) -> Verzoek:
    """The request is done (decided and carried out): its retention holds are lifted (a bezwaar keeps the
    dossiers with holds of its own until it is decided)."""
    verzoek = vergrendel(verzoek)
    vereis_contactpunt(door, verzoek.gemeente_id)
    status_zetten(verzoek, VerzoekStatus.AFGEHANDELD)
    verzoek.afgehandeld_op = timezone.now()
    verzoek.save(update_fields=["status", "afgehandeld_op"])
    bewaarblokkaden_voor_bron_opheffen(bron=BRON_VERZOEK, bron_id=str(verzoek.pk), door=door)
    logregel_voor_door(door=door, actie="wijzigen", obj=verzoek, doel=DOEL_AVG_VERZOEK)
    return verzoek
