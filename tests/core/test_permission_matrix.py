"""Role × view × own/other organisation matrix, generated from the URL conf.

Every URL pattern of the project is collected. Each must either be public (``login_not_required``)
or declare its roles. For every role of DOMAIN.md the test asserts: a role that is not allowed gets 403,
an allowed role gets the page for objects of its own organisation and 404 for another organisation's
objects (platformbeheer manages all organisations), and nothing of the other organisation appears in a
refused response. Anonymous visitors are sent to the login page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from meldpunt.core.models import Rol, User
from meldpunt.core.permissions import view_rollen
from tests.conftest import Tenant, login_verified


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


ROUTES = _collect(get_resolver().url_patterns)
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
}

#: POST-only views are exercised with POST.
POST_ONLY = {"core:gebruiker_actie"}


def test_every_view_is_public_on_purpose_or_declares_roles():
    assert {r.name for r in PUBLIC} == PUBLIC_NAMES
    undeclared = [r.name for r in PROTECTED if not view_rollen(r.callback)]
    assert undeclared == []


def _object_user(tenant: Tenant, acting: User) -> User:
    """A user of the acting user's organisation in ``tenant`` (or of its partner, for outsiders)."""
    for user in tenant.gebruikers.values():
        if user.organisatie_id == acting.organisatie_id and user.pk != acting.pk:
            return user
    return tenant.gebruikers["melder"]


def _other_user(tenant: Tenant) -> User:
    return tenant.gebruikers["melder"]


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
    ok_status = {302} if route.name in POST_ONLY else {200}
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
        for forbidden in (tenant_b.convenant.naam, tenant_b.partner.naam, _other_user(tenant_b).username):
            assert forbidden not in body


@pytest.mark.django_db
@pytest.mark.parametrize("route", PROTECTED, ids=[r.name for r in PROTECTED])
def test_anonymous_is_sent_to_login(client, route: Route, tenant_a: Tenant, tenant_b: Tenant):
    objects = kwargs_for(route.name, tenant_a, tenant_b, tenant_a.gebruikers["melder"])
    url = _url(route, objects[0] if objects else {})
    response = client.post(url) if route.name in POST_ONLY else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")
