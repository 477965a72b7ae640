"""The participant's pages: its consultations, and answering one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.permissions import IngelogdVerzoek, RolVereistMixin

from ..bezwaren.selectors import uitnodigingen_voor_deelnemer
from .forms import AntwoordForm
from .selectors import (
    DEELNEMER_ROLLEN,
    antwoord_voor_deelnemer_get,
    raadpleging_voor_deelnemer_get,
    raadplegingen_voor_deelnemer,
    te_laat,
)
from .services import raadpleging_beantwoorden, uitzondering_vervallen


class RaadplegingListView(RolVereistMixin, View):
    rollen = DEELNEMER_ROLLEN

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        regels = [(r, te_laat(r)) for r in raadplegingen_voor_deelnemer(user=request.user)[:200]]
        bezwaren = list(uitnodigingen_voor_deelnemer(user=request.user)[:200])
        return render(request, "avg/raadpleging/list.html", {"regels": regels, "bezwaren": bezwaren})


class RaadplegingDetailView(RolVereistMixin, View):
    rollen = DEELNEMER_ROLLEN
    template_name = "avg/raadpleging/detail.html"

    def get(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        r = raadpleging_voor_deelnemer_get(user=request.user, pk=pk)
        return render(request, self.template_name, {"r": r, "form": AntwoordForm(categorieen=r.categorieen)})

    def post(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        r = raadpleging_voor_deelnemer_get(user=request.user, pk=pk)
        form = AntwoordForm(request.POST, categorieen=r.categorieen)
        if form.is_valid():
            try:
                raadpleging_beantwoorden(raadpleging=r, door=request.user, antwoorden=form.antwoorden())
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(request, f"Uw antwoord over verzoek {r.verzoek.nummer} is vastgelegd.")
                return redirect("raadpleging:list")
        return render(request, self.template_name, {"r": r, "form": form}, status=400)


class UitzonderingVervallenView(RolVereistMixin, View):
    """The participant reports that an exception it invoked no longer applies (the contactpunt then takes a
    supplementary decision)."""

    rollen = DEELNEMER_ROLLEN

    def post(self, request: IngelogdVerzoek, pk: Any, antwoord_pk: Any) -> HttpResponse:
        r = raadpleging_voor_deelnemer_get(user=request.user, pk=pk)
        antwoord = antwoord_voor_deelnemer_get(raadpleging=r, pk=antwoord_pk)
        try:
            uitzondering_vervallen(antwoord=antwoord, door=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"Vastgelegd dat de uitzondering niet meer geldt. Het contactpunt neemt een aanvullend besluit "
                f"over verzoek {r.verzoek.nummer}.",
            )
        return redirect("raadpleging:detail", pk=r.pk)
