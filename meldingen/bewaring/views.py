"""Retention pages: the vernietigingslijst with holds, the destruction reports, a destroyed dossier."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from meldingen.doelen import DOEL_BEWARING
from meldpunt.audit.services import logregel_voor_request
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol
from meldpunt.core.permissions import IngelogdVerzoek, RolVereistMixin

from .forms import BlokkadeForm, LijstFilterForm
from .selectors import (
    STANDAARD_DAGEN,
    anoniem_dossier_get,
    blokkade_get,
    blokkaden_list,
    contactsoorten,
    dossier_zoek,
    verklaring_get,
    verklaringen_list,
    vernietigingslijst,
)
from .services import bewaarblokkade_instellen, bewaarblokkade_opheffen
from .verklaring import verklaring_context, verklaring_pdf, verklaring_xlsx

LIJST_ROLLEN = (Rol.TEAMLEIDER, Rol.FG, Rol.CONTACTPUNT)
BLOKKADE_ROLLEN = (Rol.TEAMLEIDER, Rol.FG, Rol.CONTACTPUNT)
VERKLARING_ROLLEN = (Rol.TEAMLEIDER, Rol.FG)


class VernietigingslijstView(RolVereistMixin, View):
    rollen = LIJST_ROLLEN

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        filter_form = LijstFilterForm(request.GET or None)
        dagen = STANDAARD_DAGEN
        if filter_form.is_bound and filter_form.is_valid() and filter_form.cleaned_data["dagen"] is not None:
            dagen = filter_form.cleaned_data["dagen"]
        context = {
            "lijsten": vernietigingslijst(user=request.user, dagen=dagen),
            "dagen": dagen,
            "filter_form": filter_form if filter_form.is_bound else LijstFilterForm(initial={"dagen": dagen}),
            "blokkaden": list(blokkaden_list(user=request.user)[:200]),
        }
        return render(request, "meldingen/bewaring/lijst.html", context)


class BlokkadeCreateView(RolVereistMixin, View):
    rollen = BLOKKADE_ROLLEN
    template_name = "meldingen/bewaring/blokkade_form.html"

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {"form": BlokkadeForm(initial={"dossiernummer": request.GET.get("nummer", "")})},
        )

    def post(self, request: IngelogdVerzoek) -> HttpResponse:
        form = BlokkadeForm(request.POST)
        if form.is_valid():
            dossier = dossier_zoek(user=request.user, nummer=form.cleaned_data["dossiernummer"])
            if dossier is None:
                form.add_error("dossiernummer", "Geen dossier met dit nummer in uw convenanten.")
            else:
                try:
                    bewaarblokkade_instellen(
                        dossier=dossier,
                        grond=form.cleaned_data["grond"],
                        door=request.user,
                        reden=form.cleaned_data["reden"],
                        tot=form.cleaned_data["tot"],
                    )
                except ApplicationError as exc:
                    form.apply_application_error(exc)
                else:
                    messages.success(
                        request, f"Dossier {dossier.nummer} wordt niet vernietigd zolang de blokkade loopt."
                    )
                    return redirect("bewaring:lijst")
        return render(request, self.template_name, {"form": form}, status=400)


class BlokkadeOpheffenView(RolVereistMixin, View):
    rollen = BLOKKADE_ROLLEN

    def post(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        blokkade = blokkade_get(user=request.user, pk=pk)
        try:
            bewaarblokkade_opheffen(blokkade=blokkade, door=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"De blokkade van dossier {blokkade.dossier.nummer} is opgeheven.")
        return redirect("bewaring:lijst")


class VerklaringListView(RolVereistMixin, View):
    rollen = VERKLARING_ROLLEN

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        verklaringen = list(verklaringen_list(user=request.user)[:200])
        return render(request, "meldingen/bewaring/verklaringen.html", {"verklaringen": verklaringen})


class VerklaringDetailView(RolVereistMixin, View):
    rollen = VERKLARING_ROLLEN

    def get(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        verklaring = verklaring_get(user=request.user, pk=pk)
        logregel_voor_request(request, actie="bekijken", obj=verklaring, doel=DOEL_BEWARING)
        return render(request, "meldingen/bewaring/verklaring.html", verklaring_context(verklaring))


class VerklaringDownloadView(RolVereistMixin, View):
    rollen = VERKLARING_ROLLEN
    soorten = {
        "pdf": ("application/pdf", verklaring_pdf),
        "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", verklaring_xlsx),
    }

    def get(self, request: IngelogdVerzoek, pk: Any, soort: str) -> HttpResponse:
        verklaring = verklaring_get(user=request.user, pk=pk)
        mime, maak = self.soorten[soort]
        inhoud = maak(verklaring)
        logregel_voor_request(request, actie="exporteren", obj=verklaring, doel=DOEL_BEWARING)
        response = HttpResponse(inhoud, content_type=mime)
        naam = f"vernietigingsverklaring-{verklaring.convenant.slug}-{verklaring.datum:%Y-%m-%d}.{soort}"
        response["Content-Disposition"] = f'attachment; filename="{naam}"'
        return response


class AnoniemDossierView(RolVereistMixin, View):
    """What stays of a destroyed dossier: its anonymous record."""

    rollen = (Rol.HULPVERLENER, Rol.TEAMLEIDER, Rol.FG, Rol.CONTACTPUNT)

    def get(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        dossier = anoniem_dossier_get(user=request.user, pk=pk)
        return render(
            request, "meldingen/bewaring/dossier.html", {"dossier": dossier, "contactsoorten": contactsoorten(dossier)}
        )
