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
    #: What the page lets the user do, in one line (the start page shows it under the link).
    omschrijving: str = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class Paneel:
    """A role's work on the start page: only what it can do now, one link per task."""

    rol: str
    items: list[MenuItem] = field(default_factory=list)

    @property
    def titel(self) -> str:
        return Rol(self.rol).label


CONVENANTEN = MenuItem("Convenanten", "convenanten:list", "De afspraken, partners en tarieven van uw convenanten.")
GEBRUIKERS = MenuItem("Gebruikers", "core:gebruiker_list", "Accounts aanmaken, rollen geven en blokkeren.")
ACCOUNTWIJZIGINGEN = MenuItem(
    "Accountwijzigingen",
    "core:accountwijziging_list",
    "Wijzigingen door platformbeheer goedkeuren of afwijzen (vier ogen).",
)
LOGBOEK = MenuItem("Logboek", "audit:list", "Wie welke persoonsgegevens wanneer inzag of wijzigde; met export.")
WACHTRIJ = MenuItem(
    "Wachtrij", "meldingen:wachtrij", "Nieuwe signalen, EO en huishoudens met kinderen eerst; oppakken."
)
MIJN_DOSSIERS = MenuItem(
    "Mijn dossiers", "meldingen:mijn_dossiers", "Uw lopende dossiers: contact, rapportage, toestemming, afsluiten."
)
TEAM = MenuItem("Team", "meldingen:team", "Alle dossiers van het team, met behandelaar en termijnen; zoeken.")
FACTUREN = MenuItem(
    "Facturen", "facturatie:list", "Cofinancieringsfacturen en subsidie-afrekeningen: bespreken, uitgeven, downloaden."
)
AFSCHERMING = MenuItem(
    "Afgeschermde dossiers", "afscherming:list", "Beperking (art. 18) en bezwaar (art. 21) instellen en opheffen."
)
AVG_VERZOEKEN = MenuItem(
    "AVG-verzoeken", "verzoeken:list", "Verzoeken van betrokkenen: termijnen, raadplegen, besluiten, bezwaar."
)
AVG_RAADPLEGINGEN = MenuItem(
    "AVG-raadplegingen", "raadpleging:list", "Vragen van het contactpunt over uitzonderingen bij AVG-verzoeken."
)
VERNIETIGINGSLIJST = MenuItem(
    "Vernietigingslijst",
    "bewaring:lijst",
    "Dossiers waarvan de bewaartermijn verstrijkt; blokkeren met een wettelijke grond.",
)
VERNIETIGINGSVERKLARINGEN = MenuItem(
    "Vernietigingsverklaringen", "bewaring:verklaringen", "Bewijs van wat is vernietigd, als PDF en Excel."
)

PANELEN: dict[str, Paneel] = {
    Rol.MELDER: Paneel(
        Rol.MELDER,
        [
            MenuItem("Melding indienen", "meldingen:create", "Eén huurachterstand melden met het formulier."),
            MenuItem("Bestand uploaden", "upload:nieuw", "Veel meldingen tegelijk, als CSV of Excel."),
            MenuItem("Meldingen", "meldingen:list", "Uw meldingen en de status die de huurder toestaat."),
            CONVENANTEN,
        ],
    ),
    Rol.PARTNER_BEHEER: Paneel(
        Rol.PARTNER_BEHEER,
        [
            GEBRUIKERS,
            MenuItem("API-sleutels", "tokens:list", "Sleutels voor de koppeling met uw systeem."),
            AVG_RAADPLEGINGEN,
            CONVENANTEN,
            FACTUREN,
            ACCOUNTWIJZIGINGEN,
        ],
    ),
    Rol.UITVOERDER_BEHEER: Paneel(Rol.UITVOERDER_BEHEER, [GEBRUIKERS, ACCOUNTWIJZIGINGEN, CONVENANTEN]),
    Rol.GEMEENTE_BEHEER: Paneel(Rol.GEMEENTE_BEHEER, [GEBRUIKERS, ACCOUNTWIJZIGINGEN, CONVENANTEN]),
    Rol.HULPVERLENER: Paneel(Rol.HULPVERLENER, [WACHTRIJ, MIJN_DOSSIERS, CONVENANTEN]),
    Rol.TEAMLEIDER: Paneel(
        Rol.TEAMLEIDER,
        [
            WACHTRIJ,
            MIJN_DOSSIERS,
            TEAM,
            VERNIETIGINGSLIJST,
            VERNIETIGINGSVERKLARINGEN,
            AVG_RAADPLEGINGEN,
            CONVENANTEN,
            FACTUREN,
        ],
    ),
    Rol.GEMEENTE_MEDEWERKER: Paneel(
        Rol.GEMEENTE_MEDEWERKER,
        [
            MenuItem("Dossiers met toestemming", "gemeente:list", "Alleen wat de huurder met de gemeente wilde delen."),
            AVG_RAADPLEGINGEN,
            CONVENANTEN,
        ],
    ),
    Rol.CONTACTPUNT: Paneel(Rol.CONTACTPUNT, [AVG_VERZOEKEN, AFSCHERMING, VERNIETIGINGSLIJST, CONVENANTEN]),
    Rol.FG: Paneel(
        Rol.FG, [LOGBOEK, AVG_VERZOEKEN, AFSCHERMING, VERNIETIGINGSLIJST, VERNIETIGINGSVERKLARINGEN, CONVENANTEN]
    ),
    Rol.FINANCIEN: Paneel(Rol.FINANCIEN, [FACTUREN, CONVENANTEN]),
    Rol.PLATFORMBEHEER: Paneel(
        Rol.PLATFORMBEHEER,
        [
            MenuItem("Organisaties", "core:organisatie_list", "Gemeenten, corporaties en uitvoerders."),
            GEBRUIKERS,
            ACCOUNTWIJZIGINGEN,
            CONVENANTEN,
            MenuItem("Status", "core:status", "Database, achtergrondtaken en e-mail."),
        ],
    ),
}


# Breaches: every role of a convenant's organisations reports one; the FG keeps the register.
DATALEK_MELDEN = MenuItem("Datalek melden", "datalekken:melden", "Een datalek direct melden; de FG krijgt bericht.")
DATALEKKEN = MenuItem("Datalekken", "datalekken:register", "Het datalekkenregister: termijnen, besluiten, export.")
for _rol, _paneel in PANELEN.items():
    if _rol != Rol.PLATFORMBEHEER:
        _paneel.items.append(DATALEKKEN if _rol == Rol.FG else DATALEK_MELDEN)
PANELEN[Rol.FG].items.append(DATALEK_MELDEN)


def menu_voor(user: User) -> list[Paneel]:
    return [PANELEN[rol] for rol in Rol.values if rol in user.rollen]


@dataclass(frozen=True)
class Menupunt:
    label: str
    url: str
    #: The current page is this item's page or one below it (``aria-current="page"``).
    actief: bool


def hoofdmenu(user: User, pad: str) -> list[Menupunt]:
    """The main menu: Start, then the union of the user's role menus in a fixed order; the item whose address
    is the longest prefix of ``pad`` is the current one."""
    items: list[MenuItem] = []
    for paneel in menu_voor(user):
        for item in paneel.items:
            if item not in items:
                items.append(item)
    punten = [("Start", reverse("core:home")), *((item.label, item.url) for item in items)]
    passend = [url for _, url in punten if pad == url or (url != "/" and pad.startswith(url))]
    huidig = max(passend, key=len) if passend else None
    return [Menupunt(label, url, url == huidig) for label, url in punten]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the main menu (empty before the login is complete)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "is_verified", lambda: False)():
        return {"hoofdmenu": []}
    return {"hoofdmenu": hoofdmenu(user, request.path)}
