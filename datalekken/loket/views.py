"""The FG's desk: the register of their convenants (reporters see their own reports), exports, the breach
report as PDF and the draft of the AP notification."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from convenants.selectors import convenant_list
from meldpunt.audit.services import logregel_voor_request
from meldpunt.core.downloads import bijlage
from meldpunt.core.models import Rol
from meldpunt.core.permissions import IngelogdVerzoek, RolVereistMixin

from ..doelen import DOEL_DATALEK
from ..register.models import Datalek
from ..register.selectors import datalek_get
from ..register.toegang import MELDERS, is_fg_van
from ..register.workflow import ApBesluit, DatalekStatus, Oorzaak
from .exports import rapport_context, rapport_pdf, register_bestand
from .selectors import register_regels

FILTERS = ("status", "convenant", "oorzaak", "ap_besluit", "jaar")


def _filters(request: IngelogdVerzoek) -> dict[str, str]:
    return {f: request.GET.get(f, "").strip() for f in FILTERS if request.GET.get(f, "").strip()}


class RegisterView(RolVereistMixin, View):
    rollen = MELDERS

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        filters = _filters(request)
        regels = register_regels(user=request.user, filters=filters)
        context = {
            "regels": regels,
            "filters": filters,
            "is_fg": request.user.heeft_rol(Rol.FG),
            "convenanten": convenant_list(user=request.user),
            "statussen": DatalekStatus.choices,
            "oorzaken": Oorzaak.choices,
            "ap_besluiten": [("", "Nog niet besloten"), *ApBesluit.choices],
            "query": request.GET.urlencode(),
        }
        return render(request, "datalekken/loket/register.html", context)


class RegisterExportView(RolVereistMixin, View):
    rollen = (Rol.FG,)

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        formaat = request.GET.get("formaat", "csv")
        if formaat not in ("csv", "xlsx"):
            raise Http404
        regels = register_regels(user=request.user, filters=_filters(request))
        inhoud = register_bestand(regels, formaat)
        logregel_voor_request(request, actie="exporteren", obj=Datalek, doel=DOEL_DATALEK)
        mime = (
            "text/csv; charset=utf-8"
            if formaat == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        return bijlage(inhoud, naam=f"datalekkenregister-{timezone.localdate():%Y-%m-%d}.{formaat}", mime=mime)


def _fg_datalek(request: IngelogdVerzoek, pk: int) -> Datalek:
    datalek = datalek_get(user=request.user, pk=pk)
    if not is_fg_van(request.user, datalek):
        raise Http404
    return datalek


class RapportPdfView(RolVereistMixin, View):
    rollen = (Rol.FG,)

    def get(self, request: IngelogdVerzoek, pk: int) -> HttpResponse:
        datalek = _fg_datalek(request, pk)
        pdf = rapport_pdf(rapport_context(datalek))
        logregel_voor_request(request, actie="exporteren", obj=datalek, doel=DOEL_DATALEK)
        return bijlage(pdf, naam=f"datalek-{datalek.nummer}.pdf", mime="application/pdf")


class ApConceptView(RolVereistMixin, View):
    """A filled draft of the AP notification, in the order of the AP form's sections, to copy into its portal."""

    rollen = (Rol.FG,)

    def get(self, request: IngelogdVerzoek, pk: int) -> HttpResponse:
        datalek = _fg_datalek(request, pk)
        logregel_voor_request(request, actie="bekijken", obj=datalek, doel=DOEL_DATALEK)
        return render(request, "datalekken/loket/ap_concept.html", rapport_context(datalek))
