"""Writes of intake: storing meldingen, opening dossiers and attaching vervolgmeldingen.

One rule for every channel (form, file, API): validate with :func:`meldingen.validatie.valideer_melding`,
then :func:`melding_create`. Within one transaction it serialises on the tenancy (convenant +
referentie), recognises a repeat of identical content ("al ontvangen": nothing new is stored), attaches
a melding to the open dossier of the same tenancy (vervolgmelding) or opens a new dossier that points
to the previous closed one, encrypts the submitted data under the dossier's data key, adds blind
indexes and writes the audit entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from meldpunt.core.bulk import kopieer
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Organisatie, Rol, User
from meldpunt.privacy.blind import blinde_index, index_naam_geboortedatum, index_postcode_huisnummer
from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.models import BlindeIndex, DataSleutel
from meldpunt.privacy.services import datasleutel_nieuw

from .ddas import Contactsoort, Dagdeel, Eindresultaat, Signaalstatus
from .models import (
    ApiToken,
    Bestandsupload,
    Contactpoging,
    Dossier,
    Informatieplicht,
    Melding,
    StatusWijziging,
    Werkbak,
)
from .validatie import Uitkomst
from .workflow import OPEN_STATUSSEN, DossierStatus, MeldingType, overgang_toegestaan


@dataclass(frozen=True)
class Resultaat:
    melding: Melding
    #: False when identical content was received before: the earlier melding is returned.
    nieuw: bool

    @property
    def vervolgmelding(self) -> bool:
        return self.melding.vervolgmelding


def referentie_index(convenant_id: int, referentie: str) -> str:
    return blinde_index("referentie", str(convenant_id), referentie.strip().upper())


def inhoud_index(partner_id: int, gegevens: dict[str, object]) -> str:
    canoniek = json.dumps(gegevens, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return blinde_index("melding_inhoud", str(partner_id), canoniek)


def _slot(index: str) -> int:
    return int.from_bytes(hashlib.sha256(index.encode()).digest()[:8], "big", signed=True)


def _vergrendel_huurrelaties(indexen: set[str]) -> None:
    """Serialise concurrent intake per tenancy (sorted, so two batches never deadlock)."""
    sloten = sorted({_slot(i) for i in indexen})
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k ORDER BY k", [sloten])


def _dossiernummers(aantal: int) -> list[str]:
    if not aantal:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('meldingen_dossiernummer_seq') FROM generate_series(1, %s)", [aantal])
        volgnummers = [rij[0] for rij in cursor.fetchall()]
    jaar = timezone.localdate().year
    return [f"{jaar}-{n:07d}" for n in volgnummers]


def melding_create(
    *,
    uitkomst: Uitkomst,
    partner: Organisatie,
    kanaal: str,
    door: User | None = None,
    api_token: ApiToken | None = None,
    upload: Bestandsupload | None = None,
    herkomst: str = "",
) -> Resultaat:
    """Store one validated melding (see :func:`meldingen_bulk_create`)."""
    (resultaat,) = meldingen_bulk_create(
        uitkomsten=[uitkomst],
        partner=partner,
        kanaal=kanaal,
        door=door,
        api_token=api_token,
        upload=upload,
        herkomst=herkomst,
    )
    return resultaat


@transaction.atomic
def meldingen_bulk_create(
    *,
    uitkomsten: list[Uitkomst],
    partner: Organisatie,
    kanaal: str,
    door: User | None = None,
    api_token: ApiToken | None = None,
    upload: Bestandsupload | None = None,
    herkomst: str = "",
) -> list[Resultaat]:
    """Store validated meldingen of one Partner in one transaction; one Resultaat per input, in order.

    Rows are handled in order, so a later row of the same tenancy in the same batch becomes a
    vervolgmelding of an earlier one, and a row identical to an earlier one is "al ontvangen".
    """
    for uitkomst in uitkomsten:
        if not uitkomst.geldig or uitkomst.convenant is None:
            raise ApplicationError("De melding is niet geldig.", extra=uitkomst.fouten)
    if not uitkomsten:
        return []
    rijen = []
    for uitkomst in uitkomsten:
        gegevens = uitkomst.invoer.gegevens()
        convenant = uitkomst.convenant
        assert convenant is not None
        rijen.append(
            (
                uitkomst,
                gegevens,
                referentie_index(convenant.pk, uitkomst.invoer.referentie),
                inhoud_index(partner.pk, gegevens),
            )
        )
    _vergrendel_huurrelaties({ref for _, _, ref, _ in rijen})

    eerder: dict[str, Melding] = {
        m.inhoud_index: m
        for m in Melding.objects.filter(partner=partner, inhoud_index__in=[inh for *_, inh in rijen]).select_related(
            "dossier"
        )
        if m.inhoud_index
    }
    convenant_ids = {u.convenant.pk for u, *_ in rijen if u.convenant}
    ref_indexen = {ref for _, _, ref, _ in rijen}
    open_dossiers: dict[tuple[int, str], Dossier] = {
        (d.convenant_id, d.referentie_index or ""): d
        for d in Dossier.objects.select_for_update()
        .select_related("sleutel")
        .filter(convenant_id__in=convenant_ids, referentie_index__in=ref_indexen, status__in=OPEN_STATUSSEN)
    }
    laatste_bedrag: dict[object, object] = {}
    for dossier_id, bedrag in (
        Melding.objects.filter(dossier__in=list(open_dossiers.values()))
        .order_by("dossier_id", "-ontvangen_op")
        .distinct("dossier_id")
        .values_list("dossier_id", "achterstand_bedrag")
    ):
        laatste_bedrag[dossier_id] = bedrag
    gesloten: dict[tuple[int, str], Dossier] = {}
    for d in (
        Dossier.objects.filter(
            convenant_id__in=convenant_ids, referentie_index__in=ref_indexen, status=DossierStatus.AFGESLOTEN
        )
        .order_by("convenant_id", "referentie_index", "-afgesloten_op")
        .distinct("convenant_id", "referentie_index")
    ):
        gesloten[(d.convenant_id, d.referentie_index or "")] = d
    nieuwe_huurrelaties = {
        (u.convenant.pk, ref) for u, _, ref, _ in rijen if u.convenant and (u.convenant.pk, ref) not in open_dossiers
    }
    nummers = iter(_dossiernummers(len(nieuwe_huurrelaties)))

    kluizen: dict[object, Kluis] = {}
    nieuwe_dossiers: list[Dossier] = []
    gewijzigde_dossiers: dict[object, Dossier] = {}
    nieuwe_meldingen: list[Melding] = []
    indexen: list[BlindeIndex] = []
    resultaten: list[Resultaat] = []
    for uitkomst, gegevens, ref, inh in rijen:
        invoer, convenant = uitkomst.invoer, uitkomst.convenant
        assert convenant is not None and invoer.bedrag is not None and invoer.maanden is not None
        assert invoer.maandhuur is not None
        if inh in eerder:
            resultaten.append(Resultaat(eerder[inh], nieuw=False))
            continue
        postcode_cijfers = int(invoer.postcode[:4])
        dossier = open_dossiers.get((convenant.pk, ref))
        if dossier is not None:
            vorige = laatste_bedrag.get(dossier.pk)
            if vorige is not None and invoer.bedrag <= vorige:  # type: ignore[operator]
                status = Signaalstatus.HERHAALDE_MELDING
            elif dossier.status == DossierStatus.NIEUW:
                status = Signaalstatus.NOG_NIET_OPGEPAKT
            else:
                status = Signaalstatus.OPGEPAKT
            dossier.herhaald = True
            dossier.achterstand_bedrag = max(dossier.achterstand_bedrag, invoer.bedrag)
            dossier.heeft_minderjarigen = dossier.heeft_minderjarigen or bool(invoer.minderjarige_kinderen)
            if invoer.type == MeldingType.EO:
                dossier.type = MeldingType.EO
                dossier.ontruimingsdatum = invoer.ontruimingsdatum
            if dossier not in nieuwe_dossiers:
                gewijzigde_dossiers[dossier.pk] = dossier
            vervolg = True
        else:
            vorig_dossier = gesloten.get((convenant.pk, ref))
            dossier = Dossier(
                nummer=next(nummers),
                convenant=convenant,
                partner=partner,
                sleutel=datasleutel_nieuw(doel="dossier"),
                referentie_index=ref,
                type=invoer.type,
                vorig_dossier=vorig_dossier,
                heeft_minderjarigen=bool(invoer.minderjarige_kinderen),
                achterstand_bedrag=invoer.bedrag,
                postcode_cijfers=postcode_cijfers,
                ontruimingsdatum=invoer.ontruimingsdatum,
                herhaald=invoer.herhaald or vorig_dossier is not None,
            )
            nieuwe_dossiers.append(dossier)
            open_dossiers[(convenant.pk, ref)] = dossier
            status = Signaalstatus.NOG_NIET_OPGEPAKT
            vervolg = False
        laatste_bedrag[dossier.pk] = invoer.bedrag
        melding = Melding(
            dossier=dossier,
            convenant=convenant,
            partner=partner,
            ingediend_door=door,
            api_token=api_token,
            upload=upload,
            kanaal=kanaal,
            type=invoer.type,
            status=status,
            vervolgmelding=vervolg,
            achterstand_bedrag=invoer.bedrag,
            achterstand_maanden=invoer.maanden,
            herhaald=invoer.herhaald,
            maandhuur=invoer.maandhuur,
            minderjarige_kinderen=invoer.minderjarige_kinderen or 0,
            postcode_cijfers=postcode_cijfers,
            vonnisdatum=invoer.vonnisdatum,
            ontruimingsdatum=invoer.ontruimingsdatum,
            referentie_index=ref,
            inhoud_index=inh,
        )
        kluis = kluizen.get(dossier.sleutel_id) or kluizen.setdefault(dossier.sleutel_id, Kluis(dossier.sleutel))
        melding.gegevens = kluis.versleutel(gegevens, context=melding.context)
        nieuwe_meldingen.append(melding)
        eerder[inh] = melding
        for soort, waarde in (
            (
                "naam_geboortedatum",
                index_naam_geboortedatum(invoer.achternaam, invoer.geboortedatum) if invoer.geboortedatum else None,
            ),
            (
                "postcode_huisnummer",
                index_postcode_huisnummer(invoer.postcode, invoer.huisnummer or "", invoer.toevoeging),
            ),
        ):
            if waarde:
                indexen.append(BlindeIndex(sleutel_id=dossier.sleutel_id, soort=soort, waarde=waarde))
        resultaten.append(Resultaat(melding, nieuw=True))

    kopieer(DataSleutel, [d.sleutel for d in nieuwe_dossiers])
    kopieer(Dossier, nieuwe_dossiers)
    nu = timezone.now()
    kopieer(
        StatusWijziging,
        [StatusWijziging(dossier=d, van="", naar=DossierStatus.NIEUW, door=door, tijdstip=nu) for d in nieuwe_dossiers],
    )
    if gewijzigde_dossiers:
        Dossier.objects.bulk_update(
            list(gewijzigde_dossiers.values()),
            ["herhaald", "achterstand_bedrag", "heeft_minderjarigen", "type", "ontruimingsdatum"],
        )
    kopieer(Melding, nieuwe_meldingen)
    # Indexes of new dossiers cannot exist yet (COPY); those of existing dossiers may (skip duplicates).
    nieuwe_sleutels = {d.sleutel_id for d in nieuwe_dossiers}
    uniek = {(i.sleutel_id, i.soort, i.waarde): i for i in indexen if i.sleutel_id in nieuwe_sleutels}
    kopieer(BlindeIndex, list(uniek.values()))
    BlindeIndex.objects.bulk_create([i for i in indexen if i.sleutel_id not in nieuwe_sleutels], ignore_conflicts=True)
    _log(meldingen=nieuwe_meldingen, door=door, partner=partner, api_token=api_token, herkomst=herkomst)
    return resultaten


def _log(
    *, meldingen: list[Melding], door: User | None, partner: Organisatie, api_token: ApiToken | None, herkomst: str
) -> None:
    from meldpunt.audit.services import logregels_create

    herkomst = herkomst or (f"api:{api_token.pk}" if api_token else "")
    logregels_create(
        regels=[
            {
                "actie": "aanmaken",
                "object_type": "meldingen.melding",
                "object_id": str(melding.pk),
                "gebruiker": door,
                "organisatie": partner,
                "convenant": melding.convenant,
                "herkomst": herkomst,
                "doel": "vroegsignalering huurachterstand",
            }
            for melding in meldingen
        ]
    )


def melding_gegevens(melding: Melding) -> dict[str, object]:
    """Decrypt the submitted data of a melding (callers are selectors that checked access and audit)."""
    return Kluis(melding.dossier.sleutel).ontsleutel(melding.gegevens, context=melding.context)


# --- caseload: claiming, assigning, contact attempts, closing, reopening ------------------------------
#: Ends of a dossier that was never picked up, and the signal status each gives its meldingen.
NIET_OPGEPAKT_EINDRESULTATEN = {
    Eindresultaat.NIET_OPGEPAKT_ONTERECHT: Signaalstatus.ONTERECHT_SIGNAAL,
    Eindresultaat.NIET_OPGEPAKT_HERHAALD: Signaalstatus.HERHAALDE_MELDING,
    Eindresultaat.NIET_OPGEPAKT_ANDERE_REDEN: Signaalstatus.ANDERE_REDEN,
    Eindresultaat.OVERLEDEN: Signaalstatus.OVERLEDEN,
    Eindresultaat.GEEN_INWONER: Signaalstatus.GEEN_INWONER,
    Eindresultaat.AL_BEKEND: Signaalstatus.AL_BEKEND,
}


def _vereis_uitvoerder(door: User, dossier: Dossier, *rollen: str) -> None:
    if door.organisatie_id != dossier.convenant.uitvoerder_id or not door.heeft_rol(*rollen):
        raise ApplicationError("U mag dit dossier niet bewerken.")


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


def _log_dossier(dossier: Dossier, door: User, actie: str = "wijzigen") -> None:
    from meldpunt.audit.services import logregel_create

    logregel_create(
        actie=actie,
        object_type="meldingen.dossier",
        object_id=str(dossier.pk),
        gebruiker=door,
        convenant=dossier.convenant,
        doel="uitvoering vroegsignalering",
    )


@transaction.atomic
def dossier_claim(*, dossier_id: object, door: User) -> Dossier:
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
    dossier.behandelaar = door
    dossier.geclaimd_op = timezone.now()
    dossier.save(update_fields=["status", "behandelaar", "geclaimd_op"])
    dossier.meldingen.filter(status=Signaalstatus.NOG_NIET_OPGEPAKT).update(status=Signaalstatus.OPGEPAKT)
    _start_informatieplicht(dossier)
    _log_dossier(dossier, door)
    return dossier


def _start_informatieplicht(dossier: Dossier) -> None:
    """Claiming starts the joint processing: the art. 14 clock starts (once per dossier)."""
    from dateutil.relativedelta import relativedelta

    vandaag = timezone.localdate()
    parameters = dossier.convenant.parameters_voor(vandaag.year)
    maanden = parameters.informatieplicht_maanden if parameters else 1
    Informatieplicht.objects.get_or_create(
        dossier=dossier, defaults={"gestart_op": vandaag, "termijn_op": vandaag + relativedelta(months=maanden)}
    )


def _vergrendeld(dossier: Dossier) -> Dossier:
    """Lock ``dossier`` for a change; a dossier under restriction or objection cannot be changed."""
    dossier = Dossier.objects.select_for_update(of=("self",)).select_related("convenant", "sleutel").get(pk=dossier.pk)
    if dossier.afgeschermd_sinds is not None:
        raise ApplicationError("Dit dossier is afgeschermd (beperking of bezwaar) en kan niet worden gewijzigd.")
    return dossier


@transaction.atomic
def dossier_toewijzen(*, dossier: Dossier, behandelaar: User, door: User) -> Dossier:
    """A teamleider assigns or reassigns an open dossier to a member of the team."""
    dossier = _vergrendeld(dossier)
    _vereis_uitvoerder(door, dossier, Rol.TEAMLEIDER)
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
        _start_informatieplicht(dossier)
    dossier.behandelaar = behandelaar
    dossier.save(update_fields=["status", "behandelaar", "geclaimd_op"])
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
    dossier = _vergrendeld(dossier)
    _vereis_uitvoerder(door, dossier, Rol.HULPVERLENER, Rol.TEAMLEIDER)
    if dossier.behandelaar_id != door.pk and not door.heeft_rol(Rol.TEAMLEIDER):
        raise ApplicationError("Alleen de behandelaar of een teamleider legt contactpogingen vast.")
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
    dossier = _vergrendeld(dossier)
    _vereis_uitvoerder(door, dossier, Rol.HULPVERLENER, Rol.TEAMLEIDER)
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
    dossier.save(update_fields=["status", "eindresultaat", "afgesloten_op"])
    if niet_opgepakt:
        dossier.meldingen.filter(status=Signaalstatus.NOG_NIET_OPGEPAKT).update(
            status=NIET_OPGEPAKT_EINDRESULTATEN[eindresultaat]
        )
    _log_dossier(dossier, door)
    return dossier


@transaction.atomic
def dossier_heropenen(*, dossier: Dossier, door: User, reden: str) -> Dossier:
    """A teamleider reopens a closed dossier, with a reason (kept encrypted in the history)."""
    dossier = _vergrendeld(dossier)
    _vereis_uitvoerder(door, dossier, Rol.TEAMLEIDER)
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
        dossier.behandelaar = door
    dossier.eindresultaat = ""
    dossier.afgesloten_op = None
    dossier.save(update_fields=["status", "behandelaar", "eindresultaat", "afgesloten_op"])
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
    from meldpunt.audit.services import logregel_create

    logregel_create(actie="aanmaken", object_type="meldingen.werkbak", object_id=str(werkbak.pk), gebruiker=door)
    return werkbak


@transaction.atomic
def werkbak_verwijderen(*, werkbak: Werkbak, door: User) -> None:
    if not door.heeft_rol(Rol.TEAMLEIDER) or werkbak.organisatie_id != door.organisatie_id:
        raise ApplicationError("Alleen een teamleider van het team verwijdert werkbakjes.")
    from meldpunt.audit.services import logregel_create

    logregel_create(actie="verwijderen", object_type="meldingen.werkbak", object_id=str(werkbak.pk), gebruiker=door)
    werkbak.delete()
