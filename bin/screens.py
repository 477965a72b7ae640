"""Screenshots of each role's main pages, from the demo data, for docs/screens.md.

Run by ``bin/screens`` (which prepares the demo database and serves the application); by hand:

    DJANGO_SETTINGS_MODULE=meldpunt.settings.dev python bin/screens.py --url http://127.0.0.1:8000 --uit docs/screens

Logs in as the demo users (password and the current TOTP code, read from the demo database), opens each
page at desktop width (and the main ones at 375 px) and writes one PNG per page.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldpunt.settings.dev")
# Playwright drives the browser from this thread, which Django would otherwise take for an async context.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django

django.setup()

from django.urls import reverse  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from meldpunt.core.management.commands.demo_data import DEMO_WACHTWOORD  # noqa: E402
from meldpunt.core.management.commands.totp_code import huidige_code  # noqa: E402

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE", "/usr/bin/chromium")


@dataclass(frozen=True)
class Scherm:
    naam: str
    titel: str
    pad: Callable[[], str]
    mobiel: bool = False


def _dossier(**filters: object) -> str:
    from meldingen.dossiers.models import Dossier

    dossier = Dossier.objects.filter(convenant__slug="diemen", **filters).order_by("aangemaakt_op").first()
    if dossier is None:
        raise SystemExit(f"geen demo-dossier met {filters}")
    return str(dossier.pk)


def _melding() -> str:
    from meldingen.intake.models import Melding

    return str(Melding.objects.filter(partner__slug="rochdale").order_by("ontvangen_op").first().pk)  # type: ignore[union-attr]  # demo data


#: user -> the pages shown in docs/screens.md, in order.
SCHERMEN: dict[str, list[Scherm]] = {
    "melder.rochdale": [
        Scherm("melder-start", "Startpagina van de melder", lambda: reverse("core:home")),
        Scherm("melder-melding-indienen", "Melding indienen", lambda: reverse("meldingen:create")),
        Scherm("melder-meldingen", "De eigen meldingen", lambda: reverse("meldingen:list"), mobiel=True),
        Scherm(
            "melder-melding",
            "Eén melding met de terugkoppeling",
            lambda: reverse("meldingen:detail", args=[_melding()]),
        ),
        Scherm("melder-bestand", "Bestand uploaden", lambda: reverse("upload:nieuw")),
    ],
    "hulpverlener.madizo": [
        Scherm("hulpverlener-wachtrij", "De wachtrij", lambda: reverse("meldingen:wachtrij"), mobiel=True),
        Scherm("hulpverlener-mijn-dossiers", "Mijn dossiers", lambda: reverse("meldingen:mijn_dossiers")),
        Scherm(
            "hulpverlener-dossier",
            "Een dossier in behandeling",
            lambda: reverse("meldingen:dossier", args=[_dossier(status__in=["geclaimd", "in_contact"])]),
            mobiel=True,
        ),
        Scherm(
            "hulpverlener-rapportage",
            "De rapportage",
            lambda: reverse("rapportage:detail", args=[_dossier(status__in=["geclaimd", "in_contact"])]),
        ),
    ],
    "gemeente_medewerker.diemen": [
        Scherm("gemeente-dossiers", "Dossiers met toestemming", lambda: reverse("gemeente:list")),
    ],
    "contactpunt.diemen": [
        Scherm("contactpunt-afscherming", "Afgeschermde dossiers", lambda: reverse("afscherming:list")),
    ],
    "fg.diemen": [
        Scherm("fg-logboek", "Het logboek", lambda: reverse("audit:list"), mobiel=True),
    ],
    "partner_beheer.rochdale": [
        Scherm("partnerbeheer-gebruikers", "Gebruikers van de corporatie", lambda: reverse("core:gebruiker_list")),
        Scherm("partnerbeheer-api-sleutels", "API-sleutels", lambda: reverse("tokens:list")),
    ],
    "beheer": [
        Scherm("platformbeheer-organisaties", "Organisaties", lambda: reverse("core:organisatie_list")),
        Scherm("platformbeheer-convenanten", "Convenanten", lambda: reverse("convenanten:list")),
    ],
}


def inloggen(page: object, url: str, gebruikersnaam: str) -> None:
    page.goto(f"{url}/inloggen/")  # type: ignore[attr-defined]  # a Playwright page
    page.get_by_label("Gebruikersnaam").fill(gebruikersnaam)  # type: ignore[attr-defined]  # a Playwright page
    page.get_by_label("Wachtwoord").fill(DEMO_WACHTWOORD)  # type: ignore[attr-defined]  # a Playwright page
    page.get_by_role("button", name="Verder").click()  # type: ignore[attr-defined]  # a Playwright page
    page.wait_for_url("**/inloggen/tweede-factor/")  # type: ignore[attr-defined]  # a Playwright page
    device = TOTPDevice.objects.get(user__username=gebruikersnaam, confirmed=True)
    page.get_by_label("Code uit uw authenticator-app").fill(huidige_code(device))  # type: ignore[attr-defined]  # a Playwright page
    page.get_by_role("button", name="Inloggen").click()  # type: ignore[attr-defined]  # a Playwright page
    page.wait_for_url(f"{url}/")  # type: ignore[attr-defined]  # a Playwright page


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--uit", default="docs/screens", type=Path)
    parser.add_argument("--alleen", help="alleen deze gebruiker")
    args = parser.parse_args()
    args.uit.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        for gebruiker, schermen in SCHERMEN.items():
            if args.alleen and gebruiker != args.alleen:
                continue
            context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 800})
            page = context.new_page()
            inloggen(page, args.url, gebruiker)
            for scherm in schermen:
                page.set_viewport_size({"width": 1280, "height": 800})
                page.goto(args.url + scherm.pad())
                page.screenshot(path=str(args.uit / f"{scherm.naam}.png"), full_page=True)
                if scherm.mobiel:
                    page.set_viewport_size({"width": 375, "height": 740})
                    page.screenshot(path=str(args.uit / f"{scherm.naam}-375.png"), full_page=True)
                print(f"{scherm.naam}: {scherm.titel}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
