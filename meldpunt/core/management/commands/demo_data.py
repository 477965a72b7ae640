"""Load the demo tenants: convenant Diemen and a second convenant, one user per role per organisation.

Idempotent: existing organisations, convenants and users are found by their slug / username and left
as they are, so running it twice gives the same counts. Prints how to log in as each demo role.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from convenants.models import Convenant
from convenants.services import convenant_create
from meldpunt.core.models import ROLLEN_PER_TYPE, Organisatie, OrganisatieType, Rol, User
from meldpunt.core.services import gebruiker_create, organisatie_create

DEMO_WACHTWOORD = "Meldpunt-demo-2026"


@dataclass(frozen=True)
class DemoOrganisatie:
    slug: str
    naam: str
    type: str
    kort: str  # suffix of the demo usernames


ORGANISATIES = [
    DemoOrganisatie("platformbeheer", "Centraal Meldpunt Platformbeheer", OrganisatieType.PLATFORM, "beheer"),
    DemoOrganisatie("gemeente-diemen", "Gemeente Diemen", OrganisatieType.GEMEENTE, "diemen"),
    DemoOrganisatie("rochdale", "Woningstichting Rochdale", OrganisatieType.PARTNER, "rochdale"),
    DemoOrganisatie("madizo", "MaDiZo", OrganisatieType.UITVOERDER, "madizo"),
    DemoOrganisatie("gemeente-ouder-amstel", "Gemeente Ouder-Amstel", OrganisatieType.GEMEENTE, "ouderamstel"),
    DemoOrganisatie("woonzorg-amstel", "Woonstichting Amstelland", OrganisatieType.PARTNER, "amstelland"),
    DemoOrganisatie("schuldhulp-amstel", "Schuldhulp Amstel", OrganisatieType.UITVOERDER, "schuldhulpamstel"),
]


def demo_totp_sleutel(username: str) -> str:
    """A stable TOTP key per demo user (hex, 20 bytes), so re-running keeps the authenticator entries."""
    return hmac.new(settings.SECRET_KEY.encode(), f"demo-totp:{username}".encode(), hashlib.sha256).hexdigest()[:40]


def demo_gebruikersnaam(rol: str, org: DemoOrganisatie) -> str:
    return "beheer" if org.type == OrganisatieType.PLATFORM else f"{rol}.{org.kort}"


class Command(BaseCommand):
    help = "Laad de demo-organisaties, -convenanten en -gebruikers (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.MELDPUNT_DEMO_DATA_TOEGESTAAN:
            raise CommandError("Demodata is in deze omgeving uitgeschakeld (MELDPUNT_DEMO_DATA_TOEGESTAAN).")
        with transaction.atomic():
            orgs = {o.slug: self._organisatie(o) for o in ORGANISATIES}
            self._convenant(
                slug="diemen",
                naam="Convenant Aanpak Vroegsignalering Diemen",
                gemeente=orgs["gemeente-diemen"],
                uitvoerder=orgs["madizo"],
                partner=orgs["rochdale"],
                startdatum=dt.date(2019, 1, 1),
                fg_email="fg@diemen.nl",
                tarieven=None,
            )
            self._convenant(
                slug="ouder-amstel",
                naam="Convenant Vroegsignalering Ouder-Amstel",
                gemeente=orgs["gemeente-ouder-amstel"],
                uitvoerder=orgs["schuldhulp-amstel"],
                partner=orgs["woonzorg-amstel"],
                startdatum=dt.date(2024, 1, 1),
                fg_email="fg@ouder-amstel.nl",
                tarieven=(Decimal("250.00"), Decimal("650.00")),
            )
            regels = []
            for demo in ORGANISATIES:
                org = orgs[demo.slug]
                for rol in ROLLEN_PER_TYPE[demo.type]:
                    username = demo_gebruikersnaam(rol, demo)
                    self._gebruiker(org, username, rol)
                    regels.append((org.naam, rol, username, demo_totp_sleutel(username)))
            from facturatie.demo import demo_factuurgegevens_laden
            from meldingen.demo import demo_meldingen_laden

            demo_factuurgegevens_laden()

            nieuw = demo_meldingen_laden()
        self._print(regels)
        self.stdout.write(f"Demo-meldingen toegevoegd: {nieuw}")

    def _organisatie(self, demo: DemoOrganisatie) -> Organisatie:
        bestaand = Organisatie.objects.filter(slug=demo.slug).first()
        return bestaand or organisatie_create(naam=demo.naam, slug=demo.slug, type=demo.type)

    def _convenant(
        self,
        *,
        slug: str,
        naam: str,
        gemeente: Organisatie,
        uitvoerder: Organisatie,
        partner: Organisatie,
        startdatum: dt.date,
        fg_email: str,
        tarieven: tuple[Decimal, Decimal] | None,
    ) -> Convenant:
        bestaand = Convenant.objects.filter(slug=slug).first()
        if bestaand:
            return bestaand
        convenant = convenant_create(
            naam=naam,
            slug=slug,
            gemeente=gemeente,
            uitvoerder=uitvoerder,
            partners=[partner],
            startdatum=startdatum,
            fg_email=fg_email,
            parameters={"tarief_cofinanciering": tarieven[0], "tarief_interventie": tarieven[1]} if tarieven else None,
        )
        return convenant

    def _gebruiker(self, org: Organisatie, username: str, rol: str) -> User:
        gebruiker = User.objects.filter(username=username).first()
        if gebruiker is None:
            gebruiker = gebruiker_create(
                organisatie=org,
                gebruikersnaam=username,
                email=f"{username}@demo.centraalmeldpunt.nl",
                voornaam=Rol(rol).label,
                achternaam="(demo)",
                rollen=[rol],
                wachtwoord=DEMO_WACHTWOORD,
                uitnodigen=False,
            )
        TOTPDevice.objects.get_or_create(
            user=gebruiker,
            name="Demo-authenticator",
            defaults={"key": demo_totp_sleutel(username), "confirmed": True},
        )
        return gebruiker

    def _print(self, regels: list[tuple[str, str, str, str]]) -> None:
        out = self.stdout
        out.write("")
        out.write(f"Demo-accounts (wachtwoord voor allemaal: {DEMO_WACHTWOORD})")
        out.write("Tweede factor: voeg de TOTP-sleutel toe aan een authenticator-app, of vraag de huidige code op met")
        out.write("  python manage.py totp_code <gebruikersnaam>")
        out.write("")
        out.write(f"{'organisatie':34} {'rol':20} {'gebruikersnaam':30} TOTP-sleutel (base32)")
        for org, rol, username, sleutel in regels:
            b32 = base64.b32encode(bytes.fromhex(sleutel)).decode()
            out.write(f"{org:34} {rol:20} {username:30} {b32}")
        out.write("")
