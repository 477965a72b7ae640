"""Browser journey in Debian chromium: a hulpverlener records the tenant's consent for the Gemeente, the
Gemeente sees the dossier and its rapportage (never the notes of contact attempts), the consent is withdrawn
and the Gemeente's access ends at once (404, logged); another tenant's Gemeente never sees the dossier."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meldingen.rapportage.inhoud import VASTE_LASTEN
from meldingen.rapportage.services import rapportage_opslaan
from meldpunt.audit.models import Actie, LogRegel
from tests.conftest import maak_tenant
from tests.e2e.test_caseload_journey import inloggen
from tests.meldingen.helpers import geclaimd_dossier
from tests.persoonsgegevens import ACHTERNAAM

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

NOTITIE = "Vertrouwelijk: huurder vertelde over een ziekenhuisopname van haar zoon"
TOELICHTING = "Telefonisch uitgelegd wat de gemeente ziet; de huurder stemde mondeling in."
MOTIVATIE = "Inkomen dekt de vaste lasten na budgetadvies."
RAPPORTAGE = {
    "inkomsten": [{"bron": "Loon", "bedrag": "2100.00"}],
    "uitgaven": [{"omschrijving": "Huur", "bedrag": "650.00"}],
    "geen_schulden": True,
    "schulden": [],
    "vaste_lasten": {last: {"status": "betaald", "achterstand": None} for last in VASTE_LASTEN},
    "betalingsregelingen": "geen",
    "kan_betalen": "ja",
    "kan_betalen_motivatie": MOTIVATIE,
    "plan": ["thuisadministratie_budgetcoaching"],
    "ondersteuning": "Twee gesprekken budgetcoaching.",
}


class Browserfouten:
    """Console errors, uncaught page errors and CSP violations of every page, minus the expected HTTP errors."""

    def __init__(self) -> None:
        self.fouten: list[str] = []
        self.verwacht: dict[str, set[int]] = {}

    def volg(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.fouten.append(f"pageerror: {exc}"))

    def verwacht_status(self, url: str, status: int) -> None:
        self.verwacht.setdefault(url, set()).add(status)

    def _console(self, msg) -> None:
        tekst = msg.text
        if "Content Security Policy" in tekst:
            self.fouten.append(f"CSP: {tekst}")
        elif msg.type == "error":
            url = (msg.location or {}).get("url", "")
            statussen = self.verwacht.get(url, set())
            if not any(f"status of {s} " in tekst for s in statussen):
                self.fouten.append(f"console: {tekst} ({url})")


def test_consent_gives_and_withdrawal_ends_gemeente_access(live_server, browser):
    base = live_server.url
    tenant = maak_tenant("toest")
    ander = maak_tenant("anders")
    hulpverlener = tenant.gebruikers["hulpverlener"]
    gemeente = tenant.gebruikers["gemeente_medewerker"]
    vandaag = timezone.localdate()

    # The claimed dossier with a complete rapportage, through the real services.
    dossier = geclaimd_dossier(tenant, "RC-TOEST-1")
    rapportage_opslaan(dossier=dossier, door=hulpverlener, inhoud=RAPPORTAGE)
    dossier_url = f"{base}/meldingen/dossiers/{dossier.pk}/"
    toestemming_url = f"{base}/toestemmingen/dossier/{dossier.pk}/"
    gemeente_url = f"{base}/gemeente/dossiers/{dossier.pk}/"
    fouten = Browserfouten()
    fouten.verwacht_status(toestemming_url, 400)  # the refused consent form answers 400
    contexten = []

    def nieuwe_pagina():
        context = browser.new_context(locale="nl-NL")
        contexten.append(context)
        pagina = context.new_page()
        fouten.volg(pagina)
        return pagina

    try:
        # 1. The hulpverlener logs the reached contact attempt with a note in the browser ...
        hv = nieuwe_pagina()
        inloggen(hv, base, hulpverlener)
        hv.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn dossiers").click()
        hv.get_by_role("link", name=dossier.nummer).click()
        hv.wait_for_url(dossier_url)
        hv.get_by_label("Soort contact").select_option("Telefoon")
        hv.get_by_label("Datum", exact=True).fill(vandaag.isoformat())
        hv.get_by_label("Middag").check()
        hv.get_by_role("group", name="Huurder bereikt?").get_by_label("Ja").check()
        hv.get_by_label("Notitie").fill(NOTITIE)
        with hv.expect_navigation():
            hv.get_by_role("button", name="Contactpoging vastleggen").click()
        expect(hv.get_by_text(NOTITIE)).to_be_visible()
        expect(hv.locator("[data-resultaat-bereikt]")).to_have_attribute("data-resultaat-bereikt", "ja")

        # ... follows "Toestemming van de huurder" and is first refused: Partner + rapportage, no evidence.
        hv.get_by_role("link", name="Toestemming van de huurder").click()
        hv.wait_for_url(toestemming_url)
        expect(hv.get_by_text("Er is geen toestemming vastgelegd.")).to_be_visible()
        ontvanger = hv.get_by_role("group", name="Aan wie geeft de huurder toestemming?")
        scope = hv.get_by_role("group", name="Wat mag worden gedeeld?")
        ontvanger.get_by_label("Partner (woningcorporatie)").check()
        scope.get_by_label("Status, resultaat en rapportage").check()
        hv.get_by_label("Hoe is de toestemming gegeven?").select_option("Mondeling")
        with hv.expect_navigation() as navigatie:
            hv.get_by_role("button", name="Toestemming vastleggen").click()
        assert navigatie.value.status == 400
        scope_fout = hv.locator("#id_scope_error")
        expect(scope_fout).to_have_text(
            "De rapportage wordt nooit met de woningcorporatie gedeeld; kies 'status en resultaat'."
        )
        for keuze in ("Status en resultaat van het traject", "Status, resultaat en rapportage"):
            radio = scope.get_by_label(keuze)
            expect(radio).to_have_attribute("aria-invalid", "true")
            assert "id_scope_error" in (radio.get_attribute("aria-describedby") or "").split()
        toelichting = hv.get_by_label("Toelichting")
        expect(hv.locator("#id_bewijs_error")).to_have_text(
            "Beschrijf hoe de toestemming is gegeven, of upload het ondertekende formulier."
        )
        expect(toelichting).to_have_attribute("aria-invalid", "true")
        assert "id_bewijs_error" in (toelichting.get_attribute("aria-describedby") or "").split()
        overzicht = hv.get_by_role("alert")
        expect(overzicht.get_by_role("link", name="Toelichting")).to_have_attribute("href", "#id_bewijs")
        expect(hv.locator("#id_bewijs")).to_have_attribute("name", "bewijs")
        expect(hv.get_by_text("Er is geen toestemming vastgelegd.")).to_be_visible()

        # ... and records the consent for the Gemeente with the rapportage.
        ontvanger.get_by_label("Gemeente", exact=True).check()
        scope.get_by_label("Status, resultaat en rapportage").check()
        hv.get_by_label("Hoe is de toestemming gegeven?").select_option("Mondeling")
        toelichting.fill(TOELICHTING)
        with hv.expect_navigation() as navigatie:
            hv.get_by_role("button", name="Toestemming vastleggen").click()
        assert navigatie.value.status == 200
        assert hv.url == toestemming_url
        expect(hv.get_by_text("De toestemming is vastgelegd.")).to_be_visible()
        rij = hv.locator("[data-toestemmingen] tbody tr")
        expect(rij).to_have_count(1)
        expect(rij).to_have_attribute("data-geldig", "ja")
        expect(rij).to_contain_text(f"Gemeente: {tenant.gemeente.naam}")
        expect(rij).to_contain_text("Status, resultaat en rapportage")
        expect(rij).to_contain_text("mondeling")
        expect(rij).to_contain_text(TOELICHTING)

        # 2. The Gemeente of the same tenant finds the dossier through its menu, with the rapportage.
        gm = nieuwe_pagina()
        inloggen(gm, base, gemeente)
        gm.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Dossiers met toestemming").click()
        gm.wait_for_url(f"{base}/gemeente/dossiers/")
        lijstrij = gm.locator(f'tr[data-dossier="{dossier.nummer}"]')
        expect(lijstrij).to_contain_text(ACHTERNAAM)
        expect(lijstrij).to_contain_text("Status, resultaat en rapportage")
        lijstrij.get_by_role("link", name=dossier.nummer).click()
        gm.wait_for_url(gemeente_url)
        expect(gm.get_by_role("heading", name=f"Dossier {dossier.nummer}", level=1)).to_be_visible()
        rapportage = gm.locator("section[data-rapportage]")
        expect(rapportage.get_by_role("heading", name="Rapportage", level=2)).to_be_visible()
        expect(rapportage).to_contain_text(MOTIVATIE)
        poging = rapportage.get_by_role("listitem").filter(has_text=re.compile(r"middag · Telefoon · bereikt$"))
        expect(poging).to_have_count(1)
        inhoud = gm.locator("main").inner_text()
        assert NOTITIE not in inhoud and "ziekenhuisopname" not in inhoud
        assert TOELICHTING not in inhoud

        # 5. (while the consent is valid) Another tenant's Gemeente gets 404 and an empty list.
        vreemd = nieuwe_pagina()
        fouten.verwacht_status(gemeente_url, 404)
        inloggen(vreemd, base, ander.gebruikers["gemeente_medewerker"])
        antwoord = vreemd.goto(gemeente_url)
        assert antwoord is not None and antwoord.status == 404
        expect(vreemd.get_by_role("heading", name="Pagina niet gevonden")).to_be_visible()
        assert dossier.nummer not in vreemd.locator("main").inner_text()
        vreemd.goto(f"{base}/gemeente/dossiers/")
        expect(vreemd.get_by_text("Er zijn geen dossiers waarvoor de huurder toestemming gaf.")).to_be_visible()
        assert dossier.nummer not in vreemd.locator("main").inner_text()

        # 3. The hulpverlener withdraws the consent.
        weigeringen = LogRegel.objects.filter(
            actie=Actie.AUTORISATIE_GEWEIGERD, gebruiker=gemeente, object_id=str(dossier.pk)
        )
        assert not weigeringen.exists()
        welke = "toestemming Gemeente, status, resultaat en rapportage"  # names the row for screen readers
        hv.get_by_label(f"Ingetrokken op ({welke})", exact=True).fill(vandaag.isoformat())
        with hv.expect_navigation():
            hv.get_by_role("button", name=f"Intrekken {welke}", exact=True).click()
        expect(hv.get_by_text("De toestemming is ingetrokken; de toegang is direct vervallen.")).to_be_visible()
        expect(rij).to_have_attribute("data-geldig", "nee")
        expect(rij).to_contain_text("Ingetrokken door de huurder")
        expect(hv.get_by_role("button", name="Intrekken")).to_have_count(0)

        # 4. The same detail URL now answers 404 for the Gemeente, logged; the list no longer shows it.
        antwoord = gm.reload()
        assert antwoord is not None and antwoord.status == 404
        expect(gm.get_by_role("heading", name="Pagina niet gevonden")).to_be_visible()
        inhoud = gm.locator("main").inner_text()
        assert MOTIVATIE not in inhoud and dossier.nummer not in inhoud and ACHTERNAAM not in inhoud
        assert weigeringen.get().object_type == "url:gemeente:detail"
        vreemde = ander.gebruikers["gemeente_medewerker"]
        assert LogRegel.objects.filter(
            actie=Actie.AUTORISATIE_GEWEIGERD, gebruiker=vreemde, object_id=str(dossier.pk)
        ).exists()
        gm.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Dossiers met toestemming").click()
        gm.wait_for_url(f"{base}/gemeente/dossiers/")
        expect(gm.locator("[data-aantal]")).to_have_attribute("data-aantal", "0")
        expect(gm.locator(f'tr[data-dossier="{dossier.nummer}"]')).to_have_count(0)
        expect(gm.get_by_text("Er zijn geen dossiers waarvoor de huurder toestemming gaf.")).to_be_visible()
    finally:
        for context in contexten:
            context.close()

    assert fouten.fouten == []
