"""Navigation per role: which pages each role reaches from the menu and the start page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from .models import Rol, User


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class Paneel:
    rol: str
    omschrijving: str
    items: list[MenuItem] = field(default_factory=list)

    @property
    def titel(self) -> str:
        return Rol(self.rol).label


CONVENANTEN = MenuItem("Convenanten", "convenanten:list")
GEBRUIKERS = MenuItem("Gebruikers", "core:gebruiker_list")
LOGBOEK = MenuItem("Logboek", "audit:list")
WACHTRIJ = MenuItem("Wachtrij", "meldingen:wachtrij")
MIJN_DOSSIERS = MenuItem("Mijn dossiers", "meldingen:mijn_dossiers")
AFSCHERMING = MenuItem("Afgeschermde dossiers", "afscherming:list")

PANELEN: dict[str, Paneel] = {
    Rol.MELDER: Paneel(
        Rol.MELDER,
        "Meldingen van huurachterstand indienen en de status volgen.",
        [
            MenuItem("Melding indienen", "meldingen:create"),
            MenuItem("Bestand uploaden", "upload:nieuw"),
            MenuItem("Meldingen", "meldingen:list"),
            CONVENANTEN,
        ],
    ),
    Rol.PARTNER_BEHEER: Paneel(
        Rol.PARTNER_BEHEER,
        "De gebruikers en API-sleutels van uw organisatie beheren.",
        [GEBRUIKERS, MenuItem("API-sleutels", "tokens:list"), CONVENANTEN],
    ),
    Rol.HULPVERLENER: Paneel(
        Rol.HULPVERLENER,
        "Signalen oppakken, de huurder bereiken en de rapportage schrijven.",
        [WACHTRIJ, MIJN_DOSSIERS, CONVENANTEN],
    ),
    Rol.TEAMLEIDER: Paneel(
        Rol.TEAMLEIDER, "Het werk van het team verdelen en volgen.", [WACHTRIJ, MIJN_DOSSIERS, CONVENANTEN]
    ),
    Rol.GEMEENTE_MEDEWERKER: Paneel(
        Rol.GEMEENTE_MEDEWERKER,
        "Dossiers inzien waarvoor de huurder toestemming gaf.",
        [MenuItem("Dossiers met toestemming", "gemeente:list"), CONVENANTEN],
    ),
    Rol.CONTACTPUNT: Paneel(
        Rol.CONTACTPUNT, "AVG-verzoeken en de informatieplicht afhandelen.", [AFSCHERMING, CONVENANTEN]
    ),
    Rol.FG: Paneel(
        Rol.FG, "Het datalekkenregister, de logboeken en het verwerkingsregister.", [CONVENANTEN, LOGBOEK, AFSCHERMING]
    ),
    Rol.FINANCIEN: Paneel(Rol.FINANCIEN, "Facturen en subsidieafrekeningen opstellen en exporteren.", [CONVENANTEN]),
    Rol.PLATFORMBEHEER: Paneel(
        Rol.PLATFORMBEHEER,
        "Organisaties, gebruikers en convenanten beheren. Geen toegang tot persoonsgegevens.",
        [
            MenuItem("Organisaties", "core:organisatie_list"),
            GEBRUIKERS,
            CONVENANTEN,
            MenuItem("Status", "core:status"),
        ],
    ),
}


def menu_voor(user: User) -> list[Paneel]:
    return [PANELEN[rol] for rol in Rol.values if rol in user.rollen]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the main menu (the union of the user's role menus, in a fixed order)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "is_verified", lambda: False)():
        return {"hoofdmenu": []}
    items: list[MenuItem] = []
    for paneel in menu_voor(user):
        for item in paneel.items:
            if item not in items:
                items.append(item)
    return {"hoofdmenu": items}
