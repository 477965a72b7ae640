"""WCAG 2.1 A/AA proven by a tool: axe-core in Debian chromium on every page of every role.

The pages are generated from the URL conf, with the objects of the permission matrix
(tests/core/test_permission_matrix.py): every page a role may open, at desktop width and at 375 px, plus the
main forms after a submit with errors. A new page joins by itself; a new violation fails the test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from meldpunt.core.models import Rol
from meldpunt.core.permissions import view_rollen
from tests.conftest import login_verified
from tests.core.test_permission_matrix import GET_REDIRECT, POST_ONLY, PROTECTED, PUBLIC, _url, kwargs_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BREEDTES = (1280, 375)

#: Forms whose submit without input must show errors: (role, url name, button).
FORMULIEREN = [
    (Rol.MELDER, "meldingen:create", "Melding versturen"),
    (Rol.MELDER, "upload:nieuw", "Uploaden"),
    (Rol.HULPVERLENER, "meldingen:dossier", "Contactpoging vastleggen"),
    (Rol.HULPVERLENER, "toestemming:dossier", "Toestemming vastleggen"),
    (Rol.HULPVERLENER, "informatieplicht:detail", "Uitzondering vastleggen"),
    (Rol.TEAMLEIDER, "meldingen:werkbak_create", "Opslaan"),
    (Rol.CONTACTPUNT, "afscherming:create", "Afschermen"),
    (Rol.CONTACTPUNT, "verzoeken:create", "Registreren"),
    (Rol.CONTACTPUNT, "bezwaren:detail", "Plannen"),
    (Rol.PARTNER_BEHEER, "bezwaren:reactie", "Reactie versturen"),
    (Rol.PARTNER_BEHEER, "tokens:create", "Sleutel aanmaken"),
    (Rol.PARTNER_BEHEER, "core:gebruiker_create", "Opslaan"),
    (Rol.PLATFORMBEHEER, "core:organisatie_create", "Opslaan"),
    (Rol.PLATFORMBEHEER, "convenanten:create", "Opslaan"),
    (Rol.HULPVERLENER, "datalekken:melden", "Datalek melden"),
    (Rol.FG, "datalekken:detail", "Datalek afsluiten"),
]


def _axe(page: Any) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    resultaat = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
        ".map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)",
        WCAG,
    )
    return list(resultaat)


def _context_voor(browser: Any, live_server: Any, user: Any) -> Any:
    """A browser context logged in as ``user`` (the session of Django's test client, as a cookie)."""
    client = login_verified(Client(), user)
    context = browser.new_context(locale="nl-NL", bypass_csp=True, viewport={"width": BREEDTES[0], "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context, client


def _is_pagina(client: Client, url: str) -> bool:
    antwoord = client.get(url)
    return (
        antwoord.status_code == 200
        and antwoord["Content-Type"].startswith("text/html")
        and b"<html" in antwoord.content[:300]
    )


def _controleer(page: Any, naam: str, fouten: list[str]) -> None:
    for breedte in BREEDTES:
        page.set_viewport_size({"width": breedte, "height": 900})
        fouten += [f"{naam} @ {breedte}px: {v}" for v in _axe(page)]
    page.set_viewport_size({"width": BREEDTES[0], "height": 900})


#: The pages are checked in this many parts, which the parallel run spreads over its workers.
DELEN = 4


@pytest.mark.parametrize("deel", range(DELEN), ids=lambda d: f"deel{d}")
def test_every_page_of_every_role_meets_wcag_21_aa(live_server, browser, platformbeheerder, deel):
    from tests.conftest import maak_tenant

    fouten: list[str] = []
    bezocht = 0
    for n, route in enumerate(PROTECTED):
        rollen = [r for r in Rol.values if r in (view_rollen(route.callback) or ())]
        if route.name in POST_ONLY | GET_REDIRECT or not rollen or n % DELEN != deel:
            continue
        # Fresh tenants per page (the matrix's objects assume an empty database); one object for every role.
        eigen, ander = maak_tenant(f"a{n}"), maak_tenant(f"b{n}")
        gebruikers = {r: platformbeheerder if r == Rol.PLATFORMBEHEER else eigen.gebruikers[r] for r in rollen}
        objecten = kwargs_for(route.name, eigen, ander, gebruikers[rollen[0]])
        url = _url(route, objecten[0] if objecten else {})
        for rol, acting in gebruikers.items():
            context, client = _context_voor(browser, live_server, acting)
            if _is_pagina(client, url):  # else a download or an htmx fragment: no page of its own
                page = context.new_page()
                page.goto(live_server.url + url)
                _controleer(page, f"{rol} {route.name}", fouten)
                bezocht += 1
            context.close()
    assert bezocht >= 10  # every part checks pages (over 40 in all)
    assert fouten == []


def test_the_pages_before_login_meet_wcag_21_aa(live_server, browser):
    context = browser.new_context(locale="nl-NL", bypass_csp=True)
    page = context.new_page()
    fouten: list[str] = []
    for route in PUBLIC:
        if route.name in {"core:login", "core:logout"} or route.name.startswith("api:docs"):
            url = reverse(route.name) if route.name != "api:docs_bestand" else None
            if url:
                page.goto(live_server.url + url)
                if page.url.endswith("/inloggen/"):
                    _controleer(page, route.name, fouten)
    page.goto(live_server.url + reverse("core:login"))
    page.get_by_role("button", name="Verder").click()  # nothing filled in: the errors
    _controleer(page, "core:login met fouten", fouten)
    context.close()
    assert fouten == []


def test_forms_with_errors_meet_wcag_21_aa(live_server, browser, tenant_a, tenant_b, platformbeheerder):
    from meldingen.dossiers.services import dossier_claim
    from tests.meldingen.helpers import maak_melding

    dossier = dossier_claim(dossier_id=maak_melding(tenant_a).dossier_id, door=tenant_a.gebruikers["hulpverlener"])
    objecten = {"meldingen:dossier": {"pk": dossier.pk}, "toestemming:dossier": {"dossier_id": dossier.pk}}
    objecten["informatieplicht:detail"] = {"dossier_id": dossier.pk}
    from tests.datalekken.helpers import maak_datalek

    objecten["datalekken:detail"] = {"pk": maak_datalek(tenant_a).pk}
    from tests.avg.matrix import kwargs_for as avg_kwargs

    for naam in ("bezwaren:detail", "bezwaren:reactie"):
        acting = tenant_a.gebruikers[next(rol for rol, n, _ in FORMULIEREN if n == naam)]
        objecten[naam] = avg_kwargs(naam, tenant_a, tenant_b, acting)[0]
    fouten: list[str] = []
    for rol, naam, knop in FORMULIEREN:
        acting = platformbeheerder if rol == Rol.PLATFORMBEHEER else tenant_a.gebruikers[rol]
        context, _ = _context_voor(browser, live_server, acting)
        page = context.new_page()
        page.goto(live_server.url + reverse(naam, kwargs=objecten.get(naam, {})))
        page.get_by_role("button", name=knop, exact=True).first.click()
        page.wait_for_load_state()
        assert page.locator(".utrecht-form-field-error-message, .mp-foutoverzicht").count() > 0, naam
        _controleer(page, f"{naam} met fouten", fouten)
        context.close()
    assert fouten == []
