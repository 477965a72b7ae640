"""Reads of data-subject requests, for the contactpunt and the FG of the request's Gemeente.

Every read of a requester's data (their identifying data, the dossiers found, the dossiers' contents) is
logged with the purpose :data:`~meldingen.doelen.DOEL_AVG_VERZOEK`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from meldingen.doelen import DOEL_AVG_VERZOEK
from meldingen.dossiers.models import Dossier
from meldingen.intake.models import Melding
from meldpunt.audit.context import huidige_herkomst
from meldpunt.audit.services import logregel_voor_door, logregels_voor_objecten
from meldpunt.core.models import OrganisatieType, Rol, User
from meldpunt.privacy.blind import index_naam_geboortedatum, index_postcode_huisnummer
from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.models import BlindeIndex

from .models import Verlengingsbrief, Verzoek, VerzoekDossier
from .workflow import OPEN_STATUSSEN

#: Amber from this many days before the deadline.
ORANJE_DAGEN = 7


def gemeente_id_van(user: User) -> int | None:
    organisatie = user.organisatie
    if organisatie is None or organisatie.type != OrganisatieType.GEMEENTE:
        return None
    if not user.heeft_rol(Rol.CONTACTPUNT, Rol.FG):
        return None
    return organisatie.pk


def verzoeken_list(*, user: User) -> QuerySet[Verzoek]:
    """The requests of the user's Gemeente (contactpunt and FG), open first, nearest deadline first."""
    gemeente_id = gemeente_id_van(user)
    if gemeente_id is None:
        return Verzoek.objects.none()
    return Verzoek.objects.filter(gemeente_id=gemeente_id).select_related("gemeente", "sleutel")


def verzoek_get(*, user: User, pk: Any) -> Verzoek:
    try:
        return verzoeken_list(user=user).get(pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def stoplicht(verzoek: Verzoek, vandaag: dt.date | None = None) -> str:
    """``groen``, ``oranje`` (within a week), ``rood`` (deadline passed), ``wacht`` (no identity yet),
    ``klaar`` (done)."""
    if verzoek.status not in OPEN_STATUSSEN or verzoek.besloten_op:
        return "klaar"
    uiterste = verzoek.uiterste_datum
    if uiterste is None:
        return "wacht"
    vandaag = vandaag or timezone.localdate()
    if uiterste < vandaag:
        return "rood"
    if uiterste <= vandaag + dt.timedelta(days=ORANJE_DAGEN):
        return "oranje"
    return "groen"


STOPLICHT_LABELS = {
    "groen": "Op schema",
    "oranje": "Termijn verloopt binnen een week",
    "rood": "Termijn verstreken",
    "wacht": "Identiteit nog niet vastgesteld",
    "klaar": "Besloten",
}


#: The status label's colour of each traffic light.
STOPLICHT_KLASSE = {"groen": "ok", "oranje": "binnenkort", "rood": "verlopen", "wacht": "nieuw", "klaar": "afgesloten"}


@dataclass(frozen=True)
class VerzoekRegel:
    verzoek: Verzoek
    stoplicht: str

    @property
    def stoplicht_label(self) -> str:
        return STOPLICHT_LABELS[self.stoplicht]

    @property
    def stoplicht_klasse(self) -> str:
        return STOPLICHT_KLASSE[self.stoplicht]


def verzoeken_overzicht(*, user: User, vandaag: dt.date | None = None) -> list[VerzoekRegel]:
    """The contactpunt's list with traffic lights: overdue first, then by deadline; done requests last."""
    volgorde = {"rood": 0, "oranje": 1, "groen": 2, "wacht": 3, "klaar": 4}
    regels = [VerzoekRegel(v, stoplicht(v, vandaag)) for v in verzoeken_list(user=user)[:500]]
    return sorted(
        regels,
        key=lambda r: (volgorde[r.stoplicht], r.verzoek.uiterste_datum or dt.date.max, r.verzoek.nummer),
    )


def verzoeker_gegevens(*, verzoek: Verzoek, gebruiker: User) -> dict[str, Any]:
    """The requester's identifying data, decrypted; the read is logged."""
    if not verzoek.verzoeker or verzoek.sleutel.vernietigd:
        return {}
    gegevens: dict[str, Any] = Kluis(verzoek.sleutel).ontsleutel(
        bytes(verzoek.verzoeker), context=verzoek.verzoeker_context
    )
    logregel_voor_door(door=gebruiker, actie="bekijken", obj=verzoek, doel=DOEL_AVG_VERZOEK)
    return gegevens


def verlenging_reden(verzoek: Verzoek) -> str:
    if not verzoek.verlenging_reden or verzoek.sleutel.vernietigd:
        return ""
    reden: str = Kluis(verzoek.sleutel).ontsleutel(bytes(verzoek.verlenging_reden), context=verzoek.verlenging_context)
    return reden


def verlengingsbrief_van(verzoek: Verzoek) -> Verlengingsbrief | None:
    return Verlengingsbrief.objects.filter(verzoek=verzoek).select_related("bestand__sleutel").first()


@dataclass(frozen=True)
class Kandidaat:
    """A dossier found for the requester, with only what the contactpunt needs to decide whether it is theirs."""

    dossier: Dossier
    gevonden_op: tuple[str, ...]
    naam: str
    geboortedatum: str
    adres: str
    bevestigd: bool


def dossiers_zoeken(
    *,
    verzoek: Verzoek,
    gebruiker: User,
    achternaam: str = "",
    geboortedatum: dt.date | None = None,
    postcode: str = "",
    huisnummer: str = "",
    toevoeging: str = "",
) -> list[Kandidaat]:
    """Dossiers of the Gemeente's convenants matching the surname and date of birth, or the postcode and house
    number, through the blind indexes (nothing is decrypted to search). Each candidate shows the tenant's name,
    date of birth and address of its latest melding; every dossier shown is logged."""
    zoek: dict[str, str] = {}
    if achternaam and geboortedatum:
        waarde = index_naam_geboortedatum(achternaam, geboortedatum)
        if waarde:
            zoek["naam_geboortedatum"] = waarde
    if postcode and huisnummer:
        waarde = index_postcode_huisnummer(postcode, huisnummer, toevoeging)
        if waarde:
            zoek["postcode_huisnummer"] = waarde
    if not zoek:
        return []
    treffers: dict[Any, list[str]] = {}
    for soort, waarde in zoek.items():
        for sleutel_id in BlindeIndex.objects.filter(waarde=waarde, soort=soort).values_list("sleutel_id", flat=True):
            treffers.setdefault(sleutel_id, []).append(soort)
    dossiers = list(
        Dossier.objects.filter(
            sleutel_id__in=list(treffers),
            convenant__gemeente_id=verzoek.gemeente_id,
            vernietigd_op__isnull=True,
            sleutel__vernietigd_op__isnull=True,
        )
        .select_related("convenant", "partner", "sleutel")
        .order_by("aangemaakt_op")
    )
    bevestigd = set(VerzoekDossier.objects.filter(verzoek=verzoek).values_list("dossier_id", flat=True))
    uit = []
    for dossier in dossiers:
        melding = Melding.objects.filter(dossier=dossier).order_by("-ontvangen_op").first()
        gegevens = (
            Kluis(dossier.sleutel).ontsleutel(bytes(melding.gegevens), context=melding.context)
            if melding and melding.gegevens
            else {}
        )
        huurder, adres = gegevens.get("huurder", {}), gegevens.get("adres", {})
        naam = " ".join(
            str(d) for d in (huurder.get("voorletters") or huurder.get("voornamen"), huurder.get("achternaam")) if d
        )
        regel = " ".join(str(d) for d in (adres.get("postcode"), adres.get("huisnummer"), adres.get("toevoeging")) if d)
        uit.append(
            Kandidaat(
                dossier=dossier,
                gevonden_op=tuple(treffers[dossier.sleutel_id]),
                naam=naam,
                geboortedatum=huurder.get("geboortedatum") or "",
                adres=regel,
                bevestigd=dossier.pk in bevestigd,
            )
        )
    logregels_voor_objecten(
        actie="bekijken",
        object_type="meldingen.dossier",
        objecten=[(str(d.pk), d.convenant_id) for d in dossiers],
        gebruiker=gebruiker,
        herkomst=huidige_herkomst(),
        doel=DOEL_AVG_VERZOEK,
    )
    return uit


def bevestigde_dossiers(verzoek: Verzoek) -> list[VerzoekDossier]:
    return list(
        VerzoekDossier.objects.filter(verzoek=verzoek)
        .select_related(
            "dossier__convenant__gemeente", "dossier__convenant__uitvoerder", "dossier__partner", "dossier__sleutel"
        )
        .order_by("dossier__nummer")
    )


def kandidaat_dossier_get(*, verzoek: Verzoek, pk: Any) -> Dossier:
    """A dossier of the request's Gemeente's convenants (to confirm it), else 404."""
    try:
        return Dossier.objects.select_related("convenant").get(
            pk=pk, convenant__gemeente_id=verzoek.gemeente_id, vernietigd_op__isnull=True
        )
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc
