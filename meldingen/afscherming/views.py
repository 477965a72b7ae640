"""The contactpunt's and FG's page of restricted dossiers (art. 18 and 21 AVG)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol
from meldpunt.core.permissions import IngelogdVerzoek, RolVereistMixin

from .forms import AfschermingForm
from .selectors import afscherming_get, afschermingen_list, afschermingen_weergave, dossier_zoek_voor_contactpunt
from .services import afscherming_instellen, afscherming_opheffen


class AfschermingListView(RolVereistMixin, View):
    rollen = (Rol.CONTACTPUNT, Rol.FG)

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        afschermingen = list(afschermingen_list(user=request.user)[:200])
        context = {
            "weergaven": afschermingen_weergave(afschermingen=afschermingen, gebruiker=request.user),
            "is_contactpunt": request.user.heeft_rol(Rol.CONTACTPUNT),
        }
        return render(request, "meldingen/afscherming/list.html", context)


class AfschermingCreateView(RolVereistMixin, View):
    rollen = (Rol.CONTACTPUNT,)
    template_name = "meldingen/afscherming/form.html"

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        return render(request, self.template_name, {"form": AfschermingForm()})

    def post(self, request: IngelogdVerzoek) -> HttpResponse:
        form = AfschermingForm(request.POST)
        if form.is_valid():
            dossier = dossier_zoek_voor_contactpunt(user=request.user, nummer=form.cleaned_data["dossiernummer"])
            if dossier is None:
                form.add_error("dossiernummer", "Geen dossier met dit nummer in de convenanten van uw gemeente.")
            else:
                try:
                    afscherming_instellen(
                        dossier=dossier,
                        door=request.user,
                        soort=form.cleaned_data["soort"],
                        reden=form.cleaned_data["reden"],
                    )
                except ApplicationError as exc:
                    form.apply_application_error(exc)
                else:
                    messages.success(request, f"Dossier {dossier.nummer} is afgeschermd.")
                    return redirect("afscherming:list")
        return render(request, self.template_name, {"form": form}, status=400)


class AfschermingOpheffenView(RolVereistMixin, View):
    rollen = (Rol.CONTACTPUNT,)

    def post(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        afscherming = afscherming_get(user=request.user, pk=pk)
        try:
            afscherming_opheffen(afscherming=afscherming, door=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"De afscherming van dossier {afscherming.dossier.nummer} is opgeheven.")
        return redirect("afscherming:list")
