"""Consent matrix: every route of the URL conf and the API × every role × own/other organisation ×
consent state (none, Gemeente status, Gemeente rapportage, Partner, withdrawn) × restricted or not.

One dossier of tenant A (claimed, a reached contact attempt with a note, a complete rapportage, stored
PDFs, the information letter, consents with a signed form) is put in each consent state, restricted or
not. Then every route is requested by every role of tenant A (own) and of tenant B (other) and by the
platform operator. The expected answer is computed by :func:`verwacht` from DOMAIN.md's rules 1–4, not
read from the views. Every cell asserts

* the status code (403 for a role the view does not admit, 404 for what the actor may not see);
* that no personal data, note, rapportage text or consent evidence appears in a refused response, and
  that an admitted response shows no more than its scope (no rapportage without scope ``rapportage``,
  never the contact notes or the evidence outside the Uitvoerder);
* on list pages, that the dossier appears exactly for those entitled to it.

Each request runs in a savepoint that is rolled back, so cells do not influence each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meldingen.dossiers.services import contactpoging_create
from meldingen.models import Rapportage
from meldingen.rapportage.services import rapportage_opslaan
from meldpunt.core.models import Rol, User
from meldpunt.core.permissions import view_rollen
from meldpunt.privacy.services import versleuteld_bestand_create
from tests.conftest import Tenant, login_verified
from tests.core.test_permission_matrix import ALL_ROUTES, POST_ONLY, PUBLIC_NAMES, Route
from tests.meldingen.helpers import geclaimd_dossier, geef_toestemming, scherm_af, trek_in
from tests.persoonsgegevens import ACHTERNAAM, STRAAT

NOTITIE = "Huurder vertelde over de scheiding en de schuld bij de buurman"
BEWIJS = "Akkoord gegeven aan de keukentafel, formulier getekend"
PDF = b"%PDF-1.4 ondertekend"

TOESTANDEN = ["geen", "gemeente_status", "gemeente_rapportage", "partner_status", "ingetrokken"]
GEMEENTE_GELDIG = {"gemeente_status", "gemeente_rapportage"}

#: Routes about one dossier (or its melding, rapportage, letter, consent) and whose side they belong to.
UITVOERDER_ROUTES = {
    "meldingen:dossier",
    "meldingen:dossier_claim",
    "rapportage:detail",
    "rapportage:pdf",
    "rapportage:pdf_status",
    "informatieplicht:detail",
    "informatieplicht:brief",
    "toestemming:dossier",
    "toestemming:intrekken",
    "toestemming:formulier",
}
PARTNER_ROUTES = {"meldingen:detail", "api:melding-detail"}
GEMEENTE_ROUTES = {"gemeente:detail", "gemeente:rapportage_pdf"}
DOSSIER_ROUTES = UITVOERDER_ROUTES | PARTNER_ROUTES | GEMEENTE_ROUTES

#: Routes with an object in the URL that is not a dossier: covered by tests/core/test_permission_matrix.py.
ANDERE_OBJECT_ROUTES = {
    "core:organisatie_detail",
    "core:gebruiker_detail",
    "core:gebruiker_actie",
    "core:account_activeren",
    "convenanten:detail",
    "convenanten:update",
    "convenanten:parameters",
    "convenanten:parameters_nieuw",
    "convenanten:opzeggen",
    "tokens:detail",
    "tokens:aangemaakt",
    "tokens:intrekken",
    "meldingen:werkbak_verwijderen",
    "upload:detail",
    "upload:voortgang",
    "upload:afgewezen",
    "afscherming:opheffen",
    "core:accountwijziging_beoordelen",
    # Retention: a hold, a destruction report, and the anonymous record of a destroyed dossier (no consent
    # applies to what holds no personal data); the Uitvoerder's, FG's and contactpunt's pages.
    "bewaring:blokkade_opheffen",
    "bewaring:dossier",
    "bewaring:verklaring",
    "bewaring:verklaring_pdf",
    "bewaring:verklaring_xlsx",
    # Breaches, invoices and AVG requests: their own objects, seen by their own roles.
    "datalekken:aanvullen",
    "datalekken:ap_concept",
    "datalekken:brief",
    "datalekken:brieven_stand",
    "datalekken:detail",
    "datalekken:rapport",
    "facturatie:crediteren",
    "facturatie:csv",
    "facturatie:detail",
    "facturatie:opstelrun_stand",
    "facturatie:pdf",
    "facturatie:regel",
    "facturatie:ubl",
    "facturatie:uitgeven",
    "facturatie:xlsx",
    "verzoeken:bevestigen",
    "verzoeken:detail",
    "verzoeken:verklaring",
    "verzoeken:verlengingsbrief",
    "verzoeken:verlengingsbrief_status",
    "raadpleging:detail",
    "raadpleging:vervallen",
    "bezwaren:detail",
    "bezwaren:reactie",
    "rectificatie:corrigeren",
    "besluiten:brief",
    "besluiten:pakket",
    "besluiten:pakket_status",
}
#: Only the melder reads meldingen through the API with a browser session (partner_beheer: 403, docs/security.md).
API_ROLLEN = (Rol.MELDER,)


def _heeft_kwargs(route: Route) -> bool:
    return bool(re.search(r"<[^>]+>", route.route))


LIJST_ROUTES = [r for r in ALL_ROUTES if not _heeft_kwargs(r) and r.name not in PUBLIC_NAMES]
OBJECT_ROUTES = [r for r in ALL_ROUTES if _heeft_kwargs(r) and r.name not in PUBLIC_NAMES]


def test_every_object_route_is_classified():
    """A new route with an object in its URL must be placed in this matrix or the general one."""
    namen = {r.name for r in OBJECT_ROUTES}
    assert namen - DOSSIER_ROUTES - ANDERE_OBJECT_ROUTES == set()
    assert namen >= DOSSIER_ROUTES


@dataclass
class Opzet:
    tenant: Tenant
    ander: Tenant
    dossier: Any
    melding: Any
    toestemming: Any | None
    toestand: str
    afgeschermd: bool


def _opzet(tenant: Tenant, ander: Tenant, toestand: str, afgeschermd: bool) -> Opzet:
    from tests.meldingen.rapportage.test_rapportage import VOLLEDIG

    dossier = geclaimd_dossier(tenant)
    hulpverlener = tenant.gebruikers["hulpverlener"]
    contactpoging_create(
        dossier=dossier,
        door=hulpverlener,
        soort="Huisbezoek",
        datum=timezone.localdate(),
        dagdeel="Middag",
        bereikt=True,
        notitie=NOTITIE,
    )
    rapportage_opslaan(dossier=dossier, door=hulpverlener, inhoud=VOLLEDIG)
    bestand = lambda soort: versleuteld_bestand_create(  # noqa: E731
        sleutel=dossier.sleutel, soort=soort, naam=f"{soort}.pdf", mime="application/pdf", inhoud=b"%PDF-"
    )
    Rapportage.objects.filter(dossier=dossier).update(
        pdf=bestand("rapportage_pdf"), pdf_gemeente=bestand("rapportage_pdf_gemeente")
    )
    bestand("informatiebrief")
    extra = {"bewijs": BEWIJS, "formulier": PDF}
    toestemming = None
    if toestand == "gemeente_status":
        toestemming = geef_toestemming(tenant, dossier, "gemeente", "status", **extra)
    elif toestand == "gemeente_rapportage":
        toestemming = geef_toestemming(tenant, dossier, "gemeente", "rapportage", **extra)
    elif toestand == "partner_status":
        toestemming = geef_toestemming(tenant, dossier, "partner", "status", **extra)
    elif toestand == "ingetrokken":
        trek_in(tenant, geef_toestemming(tenant, dossier, "partner", "status", **extra))
        toestemming = trek_in(tenant, geef_toestemming(tenant, dossier, "gemeente", "rapportage", **extra))
    if afgeschermd:
        scherm_af(tenant, dossier)
    dossier.refresh_from_db()
    return Opzet(tenant, ander, dossier, dossier.meldingen.get(), toestemming, toestand, afgeschermd)


def _rollen(route: Route) -> tuple[str, ...]:
    if route.name.startswith("api:"):
        return API_ROLLEN
    return view_rollen(route.callback) or ()


def _kwargs(route: Route, o: Opzet) -> dict[str, Any] | None:
    if route.name == "meldingen:detail":
        return {"pk": o.melding.pk}
    if route.name == "api:melding-detail":
        return {"id": o.melding.pk}
    if route.name in {"toestemming:intrekken", "toestemming:formulier"}:
        return {"pk": o.toestemming.pk} if o.toestemming is not None else None
    if route.name.startswith(("rapportage:", "informatieplicht:", "toestemming:")):
        return {"dossier_id": o.dossier.pk}
    return {"pk": o.dossier.pk}


def verwacht(route: str, rol: str, eigen: bool, o: Opzet) -> int:
    """The status DOMAIN.md prescribes (POST routes: 302 where admitted)."""
    toegestaan = 302 if route in POST_ONLY else 200
    if not eigen or o.afgeschermd:
        return 404  # rule 1 (another organisation's dossier), rule 4 (restriction hides it from all)
    if route in UITVOERDER_ROUTES or route in PARTNER_ROUTES:
        return toegestaan  # rule 1: the Uitvoerder of the convenant; the Partner's own submission
    if route == "gemeente:detail":
        return toegestaan if o.toestand in GEMEENTE_GELDIG else 404  # rule 2
    if route == "gemeente:rapportage_pdf":
        return toegestaan if o.toestand == "gemeente_rapportage" else 404  # rule 2, scope
    raise AssertionError(route)


def _zichtbaar_in_lijst(route: str, rol: str, eigen: bool, o: Opzet) -> bool:
    """Whether the dossier (its number or the tenant's name) belongs on a list page for this actor."""
    if not eigen:
        return False
    if route == "afscherming:list":
        return o.afgeschermd  # only the contactpunt and FG see a restricted dossier
    if route == "audit:list":
        return rol == Rol.FG  # the FG's log names the dossiers of its convenants by number (no personal data)
    if o.afgeschermd:
        return False
    if route in {"meldingen:list", "api:melding-list"}:
        return True
    if route == "meldingen:mijn_dossiers":
        return rol == Rol.HULPVERLENER  # the behandelaar's own caseload
    if route == "meldingen:team":
        return rol == Rol.TEAMLEIDER  # the team's open dossiers
    if route == "gemeente:list":
        return o.toestand in GEMEENTE_GELDIG
    return False


def _verboden_inhoud(route: str, status: int, o: Opzet) -> list[str]:
    """Texts that must not appear in this response."""
    alles = [ACHTERNAAM, STRAAT, NOTITIE, BEWIJS, "Incassobureau Zwaluwstaart", o.dossier.nummer]
    if status in (403, 404):
        return alles
    if route in UITVOERDER_ROUTES or route in {
        "meldingen:dossier",
        "meldingen:mijn_dossiers",
        "meldingen:wachtrij",
        "meldingen:team",
    }:
        return []
    verboden = [NOTITIE, BEWIJS]
    if route in PARTNER_ROUTES or route in {"meldingen:list", "api:melding-list"}:
        verboden.append("Incassobureau Zwaluwstaart")  # never the rapportage to the Partner (rule 3)
    if route in GEMEENTE_ROUTES or route == "gemeente:list":
        if route == "gemeente:list" or o.toestand != "gemeente_rapportage":
            verboden.append("Incassobureau Zwaluwstaart")
    return verboden


def _actoren(o: Opzet, platformbeheerder: User) -> list[tuple[str, bool, User]]:
    uit = [(rol, True, o.tenant.gebruikers[rol]) for rol in Rol.values if rol != Rol.PLATFORMBEHEER]
    uit += [(rol, False, o.ander.gebruikers[rol]) for rol in Rol.values if rol != Rol.PLATFORMBEHEER]
    return [*uit, (Rol.PLATFORMBEHEER, False, platformbeheerder)]


def _vraag(client: Client, route: Route, kwargs: dict[str, Any]) -> tuple[int, str]:
    url = reverse(route.name, kwargs=kwargs)
    with transaction.atomic():
        if route.name in POST_ONLY:
            response = client.post(url, {"ingetrokken_op": timezone.localdate().isoformat()})
        else:
            response = client.get(url, HTTP_ACCEPT="application/json" if route.name.startswith("api:") else "*/*")
        body = (
            b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
        ).decode("utf-8", "replace")
        transaction.set_rollback(True)
    return response.status_code, body


CELLEN = [(toestand, afgeschermd) for toestand in TOESTANDEN for afgeschermd in (False, True)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("toestand", "afgeschermd"),
    CELLEN,
    ids=[f"{t}-{'afgeschermd' if a else 'open'}" for t, a in CELLEN],
)
def test_consent_matrix(tenant_a: Tenant, tenant_b: Tenant, platformbeheerder: User, toestand: str, afgeschermd: bool):
    o = _opzet(tenant_a, tenant_b, toestand, afgeschermd)
    fouten: list[str] = []
    geteld = {"cellen": 0, "2xx_onterecht": 0}
    clients: dict[int, Client] = {}

    def client_voor(user: User) -> Client:
        if user.pk not in clients:
            clients[user.pk] = login_verified(Client(), user)
        return clients[user.pk]

    for rol, eigen, user in _actoren(o, platformbeheerder):
        client = client_voor(user)
        for route in OBJECT_ROUTES:
            if route.name not in DOSSIER_ROUTES:
                continue
            kwargs = _kwargs(route, o)
            if kwargs is None:
                continue  # no consent in this state to address
            status, body = _vraag(client, route, kwargs)
            admitted = rol in _rollen(route)
            verwachte = verwacht(route.name, rol, eigen, o) if admitted else 403
            geteld["cellen"] += 1
            cel = f"{route.name} {rol} {'eigen' if eigen else 'ander'}"
            if status != verwachte:
                fouten.append(f"{cel}: {status}, verwacht {verwachte}")
                if 200 <= status < 300 and verwachte >= 400:
                    geteld["2xx_onterecht"] += 1
            for tekst in _verboden_inhoud(route.name, status, o):
                if tekst in body:
                    fouten.append(f"{cel}: {tekst!r} in het antwoord ({status})")
        for route in LIJST_ROUTES:
            if rol not in _rollen(route):
                continue
            status, body = _vraag(client, route, {})
            geteld["cellen"] += 1
            cel = f"{route.name} {rol} {'eigen' if eigen else 'ander'}"
            if status != (302 if route.name in POST_ONLY else 200):
                fouten.append(f"{cel}: {status}")
                continue
            zichtbaar = any(t in body for t in (o.dossier.nummer, ACHTERNAAM, STRAAT))
            if zichtbaar != _zichtbaar_in_lijst(route.name, rol, eigen, o):
                fouten.append(f"{cel}: dossier {'wel' if zichtbaar else 'niet'} zichtbaar")
            for tekst in _verboden_inhoud(route.name, status, o):
                if tekst in body and tekst not in (o.dossier.nummer, ACHTERNAAM, STRAAT):
                    fouten.append(f"{cel}: {tekst!r} in de lijst")
    assert geteld["cellen"] > 250
    assert fouten == [], "\n".join(fouten)
    assert geteld["2xx_onterecht"] == 0


@pytest.mark.django_db
def test_the_api_with_a_key_follows_the_same_rules(tenant_a: Tenant, tenant_b: Tenant):
    """The Partner's machine clients: own melding 200 with the result only under consent; restricted 404."""
    from rest_framework.test import APIClient

    from meldingen.dossiers.services import dossier_afsluiten
    from meldingen.tokens.services import api_token_create

    o = _opzet(tenant_a, tenant_b, "partner_status", False)
    dossier_afsluiten(
        dossier=o.dossier, door=tenant_a.gebruikers["hulpverlener"], eindresultaat="Geen reactie na eerder contact"
    )
    url = reverse("api:melding-detail", kwargs={"id": o.melding.pk})
    eigen, ander = APIClient(), APIClient()
    eigen.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(organisatie=tenant_a.partner, naam='a')[1]}")
    ander.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(organisatie=tenant_b.partner, naam='b')[1]}")
    assert eigen.get(url).json()["eindresultaat"] == "Geen reactie na eerder contact"
    geweigerd = ander.get(url)
    assert geweigerd.status_code == 404 and ACHTERNAAM not in geweigerd.content.decode()
    trek_in(tenant_a, o.toestemming)
    assert eigen.get(url).json()["eindresultaat"] is None
    scherm_af(tenant_a, o.dossier)
    assert eigen.get(url).status_code == 404
