"""The start page: one panel per role the user holds, with that role's work."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from convenants.selectors import convenant_list

from ..health import controleer_alles
from ..models import Rol
from ..navigation import menu_voor
from ..permissions import IngelogdVerzoek, rol_vereist


@rol_vereist(*Rol.values)
def home(request: IngelogdVerzoek) -> HttpResponse:
    user = request.user
    return render(
        request,
        "core/home.html",
        {
            "panelen": menu_voor(user),
            "convenanten": convenant_list(user=user)[:20],
        },
    )


@rol_vereist(Rol.PLATFORMBEHEER)
@never_cache
def status(request: IngelogdVerzoek) -> HttpResponse:
    """Health of the installation: database, Redis, Celery worker and beat."""
    return render(request, "core/status.html", {"controles": controleer_alles()})


@login_not_required
@never_cache
def healthz(request: IngelogdVerzoek) -> JsonResponse:
    """Unauthenticated liveness for the load balancer: names only, no details."""
    controles = controleer_alles(worker=False)
    ok = all(c.ok for c in controles)
    return JsonResponse(
        {"status": "ok" if ok else "fout", "controles": {c.naam: c.ok for c in controles}}, status=200 if ok else 503
    )
