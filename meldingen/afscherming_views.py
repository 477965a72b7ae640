"""The contactpunt's and FG's page of restricted dossiers (art. 18 and 21 AVG)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.forms import MeldpuntForm
from meldpunt.core.models import Rol
from meldpunt.core.permissions import RolVereistMixin

from .afscherming import (
    MAX_REDEN,
    afscherming_get,
    afscherming_instellen,
    afscherming_opheffen,
    afschermingen_list,
    afschermingen_weergave,
    dossier_zoek_voor_contactpunt,
)
from .models import AfschermingSoort


class AfschermingForm(MeldpuntForm):
    dossiernummer = forms.CharField(label="Dossiernummer", max_length=20, help_text="Bijvoorbeeld 2026-0000123.")
    soort = forms.ChoiceField(label="Soort", choices=AfschermingSoort.choices, widget=forms.RadioSelect)
    reden = forms.CharField(
        label="Reden",
        max_length=MAX_REDEN,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bijvoorbeeld het kenmerk van het AVG-verzoek. Wordt versleuteld opgeslagen.",
    )


class AfschermingListView(RolVereistMixin, View):
    rollen = (Rol.CONTACTPUNT, Rol.FG)

    def get(self, request: HttpRequest) -> HttpResponse:
        afschermingen = list(afschermingen_list(user=request.user)[:200])  # type: ignore[arg-type]
        context = {
            "weergaven": afschermingen_weergave(afschermingen=afschermingen, gebruiker=request.user),  # type: ignore[arg-type]
            "is_contactpunt": request.user.heeft_rol(Rol.CONTACTPUNT),  # type: ignore[union-attr]
        }
        return render(request, "meldingen/afscherming/list.html", context)


class AfschermingCreateView(RolVereistMixin, View):
    rollen = (Rol.CONTACTPUNT,)
    template_name = "meldingen/afscherming/form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": AfschermingForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AfschermingForm(request.POST)
        if form.is_valid():
            dossier = dossier_zoek_voor_contactpunt(user=request.user, nummer=form.cleaned_data["dossiernummer"])  # type: ignore[arg-type]
            if dossier is None:
                form.add_error("dossiernummer", "Geen dossier met dit nummer in de convenanten van uw gemeente.")
            else:
                try:
                    afscherming_instellen(
                        dossier=dossier,
                        door=request.user,  # type: ignore[arg-type]
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

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        afscherming = afscherming_get(user=request.user, pk=pk)  # type: ignore[arg-type]
        try:
            afscherming_opheffen(afscherming=afscherming, door=request.user)  # type: ignore[arg-type]
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"De afscherming van dossier {afscherming.dossier.nummer} is opgeheven.")
        return redirect("afscherming:list")
