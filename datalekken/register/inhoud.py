"""The encrypted part of a breach: free text and the reporter's contact details, one JSON object under the
breach's own data key."""

from __future__ import annotations

from typing import Any

from meldpunt.privacy.kluis import Kluis

from .models import Datalek, Voortgang

#: The encrypted fields, with their maximum length.
VELDEN: dict[str, int] = {
    "omschrijving": 5000,
    "systeem": 200,
    "contact_naam": 200,
    "contact_telefoon": 40,
    "contact_email": 254,
    "groepen": 2000,
    "gevolgen": 5000,
    "maatregelen_genomen": 5000,
    "maatregelen_gepland": 5000,
    "risicobeoordeling": 5000,
    "reden_ap": 5000,
    "reden_te_laat": 5000,
    "reden_betrokkenen": 5000,
    "evaluatie": 5000,
}


def inhoud_lezen(datalek: Datalek) -> dict[str, str]:
    """The decrypted free text (callers log the read)."""
    if not datalek.inhoud:
        return dict.fromkeys(VELDEN, "")
    waarden: dict[str, Any] = Kluis(datalek.sleutel).ontsleutel(datalek.inhoud, context=datalek.inhoud_context)
    return {veld: str(waarden.get(veld) or "") for veld in VELDEN}


def inhoud_zetten(datalek: Datalek, wijzigingen: dict[str, str]) -> None:
    """Merge ``wijzigingen`` into the encrypted object (not saved)."""
    waarden = inhoud_lezen(datalek)
    waarden.update({k: v for k, v in wijzigingen.items() if k in VELDEN})
    datalek.inhoud = Kluis(datalek.sleutel).versleutel(waarden, context=datalek.inhoud_context)


def notitie_lezen(voortgang: Voortgang, kluis: Kluis) -> str:
    if not voortgang.notitie:
        return ""
    return str(kluis.ontsleutel(voortgang.notitie, context=voortgang.notitie_context))
