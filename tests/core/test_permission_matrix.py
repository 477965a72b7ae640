"""Role × view × own/other organisation matrix, generated from the URL conf.

Every URL pattern of the project is collected. Each must either be public (``login_not_required``)
or declare its roles. For every role of DOMAIN.md the test asserts: a role that is not allowed gets 403,
an allowed role gets the page for objects of its own organisation and 404 for another organisation's
objects (platformbeheer manages all organisations), and nothing of the other organisation appears in a
refused response. Anonymous visitors are sent to the login page.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

import tests
from meldpunt.core.models import Rol, User
from meldpunt.core.permissions import view_rollen
from tests.conftest import Tenant, login_verified
from tests.meldingen.helpers import maak_melding
from tests.meldingen.upload.helpers import verwerkte_upload
from tests.persoonsgegevens import ACHTERNAAM, STRAAT


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    callback: Callable[..., Any]


def _collect(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[Route]:
    routes: list[Route] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            routes += _collect(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            routes.append(Route(f"{namespace}{p.name}", prefix + str(p.pattern), p.callback))
    return routes


ALL_ROUTES = _collect(get_resolver().url_patterns)

#: The intake API authenticates every request itself (API key or verified session, DRF) and answers
#: 401/403/404 in JSON rather than with the login redirect; it is left out of the browser matrix and
#: covered by tests/api (401 without a key, 404 for another organisation's ids, 403 for other roles).
API_NAMES = {"api:melding-list", "api:melding-detail"}
API_ROUTES = [r for r in ALL_ROUTES if r.name in API_NAMES]
ROUTES = [r for r in ALL_ROUTES if r.name not in API_NAMES]
PUBLIC = [r for r in ROUTES if not getattr(r.callback, "login_required", True)]
PROTECTED = [r for r in ROUTES if getattr(r.callback, "login_required", True)]

#: Expected public views: everything else must require login and declare roles.
PUBLIC_NAMES = {
    "core:login",
    "core:tweede_factor",
    "core:tweede_factor_instellen",
    "core:logout",
    "core:account_activeren",
    "core:healthz",
    "api:schema",
    "api:docs",
    "api:docs_bestand",
}


def _uitbreidingen() -> list[ModuleType]:
    """The ``matrix`` modules of the test packages (``tests/<app>/matrix.py``): each module of the project
    makes the objects of its own routes there, with ``kwargs_for(name, own, other, acting)`` (as below) and
    the names of its POST-only routes in ``POST_ONLY``."""
    modules = []
    for info in pkgutil.walk_packages(tests.__path__, "tests."):
        if info.name.endswith(".matrix"):
            modules.append(importlib.import_module(info.name))
    return modules


UITBREIDINGEN = _uitbreidingen()

#: POST-only views are exercised with POST.
POST_ONLY = {
    "core:gebruiker_actie",
    "tokens:intrekken",
    "meldingen:dossier_claim",
    "meldingen:werkbak_verwijderen",
    "toestemming:intrekken",
    "afscherming:opheffen",
}
#: GET views that answer a redirect when they work (a page shown once, then sent on).
GET_REDIRECT: set[str] = set()
for _module in UITBREIDINGEN:
    POST_ONLY |= set(getattr(_module, "POST_ONLY", ()))
    GET_REDIRECT |= set(getattr(_module, "GET_REDIRECT", ()))


def test_every_view_is_public_on_purpose_or_declares_roles():
    assert {r.name for r in PUBLIC} == PUBLIC_NAMES
    undeclared = [r.name for r in PROTECTED if not view_rollen(r.callback)]
    assert undeclared == []


def test_the_api_routes_are_left_to_drf_on_purpose():
    from meldingen.api.authentication import ApiTokenAuthentication, PartnerToegang, VerifiedSessionAuthentication

    assert {r.name for r in API_ROUTES} == API_NAMES
    for route in API_ROUTES:
        assert getattr(route.callback, "login_required", True) is False
        view = route.callback.cls  # type: ignore[attr-defined]
        assert view.authentication_classes == [ApiTokenAuthentication, VerifiedSessionAuthentication]
        assert view.permission_classes == [PartnerToegang]


def test_the_log_screens_are_in_the_matrix_for_the_fg_only():
    """The log (list and CSV export) takes no object in its URL: the FG's scoping is in tests/audit."""
    logboek = {r.name: view_rollen(r.callback) for r in PROTECTED if r.name.startswith("audit:")}
    assert logboek == {"audit:list": (Rol.FG,), "audit:export": (Rol.FG,)}


def _object_user(tenant: Tenant, acting: User) -> User:
    """A user of the acting user's organisation in ``tenant`` (or of its partner, for outsiders)."""
    for user in tenant.gebruikers.values():
        if user.organisatie_id == acting.organisatie_id and user.pk != acting.pk:
            return user
    return tenant.gebruikers["melder"]


def _other_user(tenant: Tenant) -> User:
    return tenant.gebruikers["melder"]


def _dossier_met_rapportage_pdf(tenant: Tenant) -> Any:
    """A dossier whose rapportage has a stored (stand-in) PDF, so the download answers 200 when allowed."""
    from meldingen.models import Rapportage
    from meldpunt.privacy.services import versleuteld_bestand_create

    dossier = maak_melding(tenant).dossier
    pdf = versleuteld_bestand_create(
        sleutel=dossier.sleutel, soort="rapportage_pdf", naam="rapportage.pdf", mime="application/pdf", inhoud=b"%PDF-"
    )
    Rapportage.objects.create(dossier=dossier, pdf=pdf)
    return dossier.pk


def _dossier_kwarg(name: str) -> str:
    return "dossier_id" if name.startswith("toestemming:") else "pk"


def _gedeeld_dossier(tenant: Tenant) -> Any:
    """A claimed dossier with consent (scope rapportage) for the tenant's Gemeente and a stored Gemeente PDF."""
    from meldingen.models import Rapportage
    from meldpunt.privacy.services import versleuteld_bestand_create
    from tests.meldingen.helpers import geclaimd_dossier, geef_toestemming

    dossier = geclaimd_dossier(tenant)
    geef_toestemming(tenant, dossier, "gemeente", "rapportage")
    pdf = versleuteld_bestand_create(
        sleutel=dossier.sleutel, soort="rapportage_pdf_gemeente", naam="r.pdf", mime="application/pdf", inhoud=b"%PDF-"
    )
    Rapportage.objects.create(dossier=dossier, pdf_gemeente=pdf)
    return dossier.pk


def _toestemming_met_formulier(tenant: Tenant) -> Any:
    from tests.meldingen.helpers import geclaimd_dossier, geef_toestemming

    dossier = geclaimd_dossier(tenant)
    return geef_toestemming(tenant, dossier, "partner", "status", formulier=b"%PDF-1.4 ondertekend").pk


#: url name -> (kwargs for an object of the actor's own tenant, kwargs for the other tenant)
def kwargs_for(name: str, own: Tenant, other: Tenant, acting: User) -> tuple[dict[str, Any], dict[str, Any]] | None:
    if name == "core:organisatie_detail":
        return {"pk": own.partner.pk}, {"pk": other.partner.pk}
    if name == "core:gebruiker_detail":
        return {"pk": _object_user(own, acting).pk}, {"pk": _other_user(other).pk}
    if name == "core:gebruiker_actie":
        return (
            {"pk": _object_user(own, acting).pk, "actie": "ontgrendelen"},
            {"pk": _other_user(other).pk, "actie": "ontgrendelen"},
        )
    if name.startswith("convenanten:") and name not in {"convenanten:list", "convenanten:create"}:
        extra = {"jaar": 2027} if name == "convenanten:parameters" else {}
        return {"slug": own.convenant.slug, **extra}, {"slug": other.convenant.slug, **extra}
    if name in {"tokens:detail", "tokens:intrekken"}:
        from meldingen.tokens.services import api_token_create

        eigen, _ = api_token_create(organisatie=own.partner, naam="matrix")
        ander, _ = api_token_create(organisatie=other.partner, naam="matrix")
        return {"pk": eigen.pk}, {"pk": ander.pk}
    if name == "meldingen:detail":
        return {"pk": maak_melding(own).pk}, {"pk": maak_melding(other).pk}
    if name == "meldingen:werkbak_verwijderen":
        from tests.meldingen.helpers import maak_werkbak

        return {"pk": maak_werkbak(own).pk}, {"pk": maak_werkbak(other).pk}
    if name in {"meldingen:dossier", "meldingen:dossier_claim"}:
        return {"pk": maak_melding(own).dossier_id}, {"pk": maak_melding(other).dossier_id}
    if name in {"informatieplicht:detail", "informatieplicht:brief"}:
        from meldingen.dossiers.services import dossier_claim
        from meldpunt.privacy.services import versleuteld_bestand_create

        eigen = dossier_claim(dossier_id=maak_melding(own).dossier_id, door=own.gebruikers["hulpverlener"])
        versleuteld_bestand_create(
            sleutel=eigen.sleutel, soort="informatiebrief", naam="brief.pdf", mime="application/pdf", inhoud=b"%PDF-"
        )
        return {"dossier_id": eigen.pk}, {"dossier_id": maak_melding(other).dossier_id}
    if name == "rapportage:detail":
        return {"dossier_id": maak_melding(own).dossier_id}, {"dossier_id": maak_melding(other).dossier_id}
    if name == "rapportage:pdf":
        return {"dossier_id": _dossier_met_rapportage_pdf(own)}, {"dossier_id": _dossier_met_rapportage_pdf(other)}
    if name in {"toestemming:dossier", "gemeente:detail", "gemeente:rapportage_pdf"}:
        # Each tenant's dossier carries a consent for its own Gemeente (scope rapportage), so that the
        # Gemeente's pages answer 200 for its own dossier: "other" is then purely another tenant.
        return {_dossier_kwarg(name): _gedeeld_dossier(own)}, {_dossier_kwarg(name): _gedeeld_dossier(other)}
    if name in {"toestemming:intrekken", "toestemming:formulier"}:
        return {"pk": _toestemming_met_formulier(own)}, {"pk": _toestemming_met_formulier(other)}
    if name == "afscherming:opheffen":
        from tests.meldingen.helpers import scherm_af

        return {"pk": scherm_af(own, maak_melding(own).dossier).pk}, {
            "pk": scherm_af(other, maak_melding(other).dossier).pk
        }
    if name in {"upload:detail", "upload:voortgang", "upload:afgewezen"}:
        return {"pk": verwerkte_upload(own).pk}, {"pk": verwerkte_upload(other).pk}
    for module in UITBREIDINGEN:
        gevonden = module.kwargs_for(name, own, other, acting)
        if gevonden is not None:
            return gevonden
    return None


def _url(route: Route, kwargs: dict[str, Any]) -> str:
    from django.urls import reverse

    return reverse(route.name, kwargs=kwargs)


ROLES = list(Rol.values)
MATRIX = [(r, rol) for r in PROTECTED for rol in ROLES]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "rol"), MATRIX, ids=[f"{r.name}-{rol}" for r, rol in MATRIX])
def test_role_view_matrix(client, route: Route, rol: str, tenant_a: Tenant, tenant_b: Tenant, platformbeheerder):
    acting = platformbeheerder if rol == Rol.PLATFORMBEHEER else tenant_a.gebruikers[rol]
    login_verified(client, acting)
    allowed = rol in (view_rollen(route.callback) or ())
    method = client.post if route.name in POST_ONLY else client.get
    ok_status = {302} if route.name in POST_ONLY | GET_REDIRECT else {200}
    objects = kwargs_for(route.name, tenant_a, tenant_b, acting)

    if objects is None:
        response = method(_url(route, {}))
        assert response.status_code == (ok_status.pop() if allowed else 403), response.status_code
        return

    own_kwargs, other_kwargs = objects
    own = method(_url(route, own_kwargs))
    other = method(_url(route, other_kwargs))
    if not allowed:
        assert own.status_code == 403
        assert other.status_code == 403
    elif rol == Rol.PLATFORMBEHEER:
        assert own.status_code in ok_status
        assert other.status_code in ok_status
    else:
        assert own.status_code in ok_status, own.status_code
        assert other.status_code == 404
    if other.status_code in (403, 404):
        body = other.content.decode()
        for forbidden in (
            tenant_b.convenant.naam,
            tenant_b.partner.naam,
            _other_user(tenant_b).username,
            ACHTERNAAM,
            STRAAT,
        ):
            assert forbidden not in body


@pytest.mark.django_db
@pytest.mark.parametrize("route", PROTECTED, ids=[r.name for r in PROTECTED])
def test_anonymous_is_sent_to_login(client, route: Route, tenant_a: Tenant, tenant_b: Tenant):
    objects = kwargs_for(route.name, tenant_a, tenant_b, tenant_a.gebruikers["melder"])
    url = _url(route, objects[0] if objects else {})
    response = client.post(url) if route.name in POST_ONLY else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


#: The pages of one dossier for the Uitvoerder, by the name of their URL argument.
DOSSIERPAGINAS = [
    ("meldingen:dossier", "pk"),
    ("rapportage:detail", "dossier_id"),
    ("toestemming:dossier", "dossier_id"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwarg"), DOSSIERPAGINAS, ids=[n for n, _ in DOSSIERPAGINAS])
def test_a_hulpverlener_opens_only_their_own_caseload_and_the_teamleider_the_teams(client, tenant_a, name, kwarg):
    """DOMAIN.md: a hulpverlener works their own caseload, a teamleider the whole team's (least privilege)."""
    from django.urls import reverse

    from meldingen.dossiers.services import dossier_claim
    from tests.factories import UserFactory

    collega = UserFactory(organisatie=tenant_a.uitvoerder, rollen=[Rol.HULPVERLENER])
    van_collega = dossier_claim(dossier_id=maak_melding(tenant_a, "R-COLLEGA").dossier_id, door=collega)
    eigen = dossier_claim(
        dossier_id=maak_melding(tenant_a, "R-EIGEN").dossier_id, door=tenant_a.gebruikers["hulpverlener"]
    )
    in_de_wachtrij = maak_melding(tenant_a, "R-WACHTRIJ").dossier_id

    login_verified(client, tenant_a.gebruikers["hulpverlener"])
    assert client.get(reverse(name, kwargs={kwarg: eigen.pk})).status_code == 200
    assert client.get(reverse(name, kwargs={kwarg: in_de_wachtrij})).status_code == 200  # to claim from the queue
    assert client.get(reverse(name, kwargs={kwarg: van_collega.pk})).status_code == 404
    gezocht = client.post(reverse("meldingen:zoeken"), {"zoekterm": van_collega.nummer})
    assert gezocht.context["resultaten"] == []

    login_verified(client, tenant_a.gebruikers["teamleider"])
    assert client.get(reverse(name, kwargs={kwarg: van_collega.pk})).status_code == 200


@pytest.mark.django_db
def test_a_hulpverlener_still_claims_from_the_queue_and_works_the_claimed_dossier(client, tenant_a):
    from django.urls import reverse

    dossier_id = maak_melding(tenant_a, "R-CLAIM").dossier_id
    login_verified(client, tenant_a.gebruikers["hulpverlener"])
    assert dossier_id in [d.pk for d in client.get(reverse("meldingen:wachtrij")).context["pagina"]]
    response = client.post(reverse("meldingen:dossier_claim", kwargs={"pk": dossier_id}))
    assert response.status_code == 302 and response["Location"] == reverse(
        "meldingen:dossier", kwargs={"pk": dossier_id}
    )
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_partner_beheer_reads_no_meldingen_through_the_api_with_a_browser_session(client, tenant_a):
    """As in the screens: the melder alone reads meldingen; partner_beheer manages users and keys."""
    from django.urls import reverse

    melding = maak_melding(tenant_a)
    login_verified(client, tenant_a.gebruikers["partner_beheer"])
    assert client.get(reverse("api:melding-list")).status_code == 403
    assert client.get(reverse("api:melding-detail", kwargs={"id": melding.pk})).status_code == 403
    assert client.get(reverse("meldingen:detail", kwargs={"pk": melding.pk})).status_code == 403
    login_verified(client, tenant_a.gebruikers["melder"])
    assert client.get(reverse("api:melding-list")).status_code == 200
