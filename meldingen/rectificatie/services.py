"""Correcting a dossier's personal data (art. 16 AVG), by the contactpunt of its convenant's Gemeente.

Every melding of the dossier is decrypted, corrected and encrypted again under the dossier's key (same
context); each new value passes the same rules as at intake; the blind indexes that depend on the corrected
fields (achternaam + geboortedatum, postcode + huisnummer) are computed again from all meldingen, exactly as
intake computes them, so a search finds the tenant by the corrected data and no longer by the old. The content
index is left as it was: it identifies what the Partner submitted, so the same submission again is still
recognised as received before. All or nothing, with the Logboek entry in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from meldingen.doelen import DOEL_AVG_VERZOEK
from meldingen.dossiers.models import Dossier
from meldingen.intake.models import Melding
from meldingen.intake.services import melding_gegevens
from meldingen.intake.validatie import MeldingInvoer, plat, valideer_melding
from meldpunt.audit.services import logregel_voor_door
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol, User
from meldpunt.privacy.blind import index_naam_geboortedatum, index_postcode_huisnummer
from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.services import blinde_indexen_zetten

from .models import Rectificatie

#: The tenant's data a rectification may correct: every field of the huurder and adres groups of a melding
#: as intake stores it (derived from the intake's own shape, not a second list).
_VORM: dict[str, Any] = MeldingInvoer().gegevens()
RECTIFICEERBAAR: tuple[str, ...] = tuple(f"{groep}.{veld}" for groep in ("huurder", "adres") for veld in _VORM[groep])
#: Which blind index depends on which fields.
INDEX_VELDEN = {
    "naam_geboortedatum": {"huurder.achternaam", "huurder.geboortedatum"},
    "postcode_huisnummer": {"adres.postcode", "adres.huisnummer", "adres.toevoeging"},
}


def _attribuut(pad: str) -> str:
    return pad.split(".")[-1]


#: The message when a value cannot even be read as its kind (the intake rules then check the value itself).
ONLEESBAAR = {
    "huurder.geboortedatum": "Vul een geldige datum in.",
    "adres.huisnummer": "Vul het huisnummer in cijfers in; een toevoeging hoort in het veld toevoeging.",
}


def _schoon(pad: str, waarde: Any) -> Any:
    """The value as intake holds it: a date, a house number (int, or None when empty), else stripped text.
    Raises ``ValueError`` for a value that is not of its kind."""
    if pad == "huurder.geboortedatum":
        return waarde if isinstance(waarde, dt.date) or waarde is None else dt.date.fromisoformat(str(waarde))
    if pad == "adres.huisnummer":
        tekst = "" if waarde is None else str(waarde).strip()
        if not tekst:
            return None
        if not tekst.isdigit():
            raise ValueError(pad)
        return int(tekst)
    return "" if waarde is None else str(waarde).strip()


def _indexen(invoeren: list[MeldingInvoer]) -> dict[str, list[str | None]]:
    return {
        "naam_geboortedatum": [
            index_naam_geboortedatum(i.achternaam, i.geboortedatum) if i.geboortedatum else None for i in invoeren
        ],
        "postcode_huisnummer": [
            index_postcode_huisnummer(i.postcode, i.huisnummer or "", i.toevoeging) for i in invoeren
        ],
    }


@transaction.atomic
def dossier_rectificeren(
    *, dossier: Dossier, door: User, wijzigingen: dict[str, Any], bron: str, bron_id: str = "", toelichting: str = ""
) -> Rectificatie:
    """Correct ``wijzigingen`` (path → new value) in every melding of ``dossier``. Field errors are keyed by
    the flat field name (``achternaam``), as the intake form's are."""
    dossier = Dossier.objects.select_for_update(of=("self",)).select_related("sleutel", "convenant").get(pk=dossier.pk)
    if door.organisatie_id != dossier.convenant.gemeente_id or not door.heeft_rol(Rol.CONTACTPUNT):
        raise ApplicationError("Alleen het contactpunt van de gemeente van dit convenant corrigeert gegevens.")
    if dossier.vernietigd_op is not None or dossier.sleutel.vernietigd:
        raise ApplicationError("De persoonsgegevens van dit dossier zijn vernietigd.")
    onbekend = set(wijzigingen) - set(RECTIFICEERBAAR)
    if onbekend:
        raise ApplicationError(f"Deze gegevens kunnen niet worden gecorrigeerd: {', '.join(sorted(onbekend))}.")
    meldingen = list(
        Melding.objects.filter(dossier=dossier)
        .select_related("partner", "dossier__sleutel")
        .order_by("ontvangen_op", "pk")
    )
    if not meldingen:
        raise ApplicationError("Dit dossier heeft geen meldingen.")
    kluis = Kluis(dossier.sleutel)
    fouten: dict[str, list[str]] = {}
    schoon: dict[str, Any] = {}
    for pad, waarde in wijzigingen.items():
        try:
            schoon[pad] = _schoon(pad, waarde)
        except ValueError:
            fouten[plat(pad)] = [ONLEESBAAR[pad]]
    vandaag = timezone.localdate()
    invoeren: list[MeldingInvoer] = []
    gewijzigd: set[str] = set()
    for melding in meldingen:
        invoer = MeldingInvoer.uit_gegevens(melding_gegevens(melding))
        for pad, waarde in schoon.items():
            if getattr(invoer, _attribuut(pad)) != waarde:
                setattr(invoer, _attribuut(pad), waarde)
                gewijzigd.add(pad)
        uitkomst = valideer_melding(invoer, partner=melding.partner, vandaag=vandaag)
        # Only the rules of the corrected fields count: the rest was valid when received (a date may be older
        # than intake accepts today, a convenant may have ended since).
        for pad in schoon:
            for bericht in uitkomst.fouten.get(pad, []):
                if bericht not in fouten.setdefault(plat(pad), []):
                    fouten[plat(pad)].append(bericht)
        invoeren.append(uitkomst.invoer)
    fouten = {veld: berichten for veld, berichten in fouten.items() if berichten}
    if fouten:
        raise ApplicationError("De gegevens zijn niet gecorrigeerd. Controleer de gemarkeerde velden.", extra=fouten)
    if not gewijzigd:
        raise ApplicationError("Er is niets veranderd: de gegevens waren al zo.")
    for melding, invoer in zip(meldingen, invoeren, strict=True):
        melding.gegevens = kluis.versleutel_bytes(invoer.canoniek().encode(), context=melding.context)
        melding.save(update_fields=["gegevens"])
    soorten = [soort for soort, velden in INDEX_VELDEN.items() if velden & gewijzigd]
    if soorten:
        alle = _indexen(invoeren)
        blinde_indexen_zetten(sleutel=dossier.sleutel, indexen={soort: alle[soort] for soort in soorten})
    rectificatie = Rectificatie.objects.create(
        dossier=dossier,
        velden=sorted(gewijzigd),
        bron=bron,
        bron_id=bron_id,
        toelichting=toelichting[:200],
        gecorrigeerd_op=timezone.now(),
        gecorrigeerd_door=door,
    )
    logregel_voor_door(door=door, actie="wijzigen", obj=dossier, doel=DOEL_AVG_VERZOEK)
    return rectificatie
