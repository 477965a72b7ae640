"""The Gemeente's pages (gemeente_medewerker): dossiers with the tenant's consent, within its scope."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views import View

from meldpunt.core.downloads import bijlage
from meldpunt.core.models import Rol
from meldpunt.core.permissions import IngelogdVerzoek, RolVereistMixin

from .selectors import (
    dossier_get_voor_gemeente,
    dossier_list_voor_gemeente,
    gemeente_dossier,
    gemeente_rapportage_pdf,
    gemeente_weergaven,
)

GEMEENTE = (Rol.GEMEENTE_MEDEWERKER,)
PER_PAGINA = 25


class GemeenteDossierListView(RolVereistMixin, View):
    rollen = GEMEENTE

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        pagina = Paginator(dossier_list_voor_gemeente(user=request.user), PER_PAGINA).get_page(
            request.GET.get("pagina")
        )
        weergaven = gemeente_weergaven(dossiers=list(pagina.object_list), gebruiker=request.user)
        context = {"pagina": pagina, "weergaven": weergaven, "aantal": pagina.paginator.count}
        return render(request, "meldingen/gemeente/list.html", context)


class GemeenteDossierDetailView(RolVereistMixin, View):
    rollen = GEMEENTE

    def get(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        dossier = dossier_get_voor_gemeente(user=request.user, pk=pk)
        gegevens = gemeente_dossier(dossier=dossier, gebruiker=request.user)
        return render(request, "meldingen/gemeente/detail.html", {"g": gegevens, "w": gegevens.weergave})


class GemeenteRapportagePdfView(RolVereistMixin, View):
    rollen = GEMEENTE

    def get(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        dossier = dossier_get_voor_gemeente(user=request.user, pk=pk)
        gelezen = gemeente_rapportage_pdf(dossier=dossier, gebruiker=request.user)
        if gelezen is None:
            raise Http404("Er is nog geen PDF van deze rapportage.")
        naam, data = gelezen
        return bijlage(data, naam=naam, mime="application/pdf")
