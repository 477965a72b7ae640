"""A line in bespreking: its discussion, and disputing, replying and resolving on one page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from facturatie.facturen.models import FactuurRegel
from facturatie.facturen.selectors import FACTUUR_ROLLEN, regel_get
from facturatie.facturen.workflow import FactuurStatus, RegelStatus
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol
from meldpunt.core.permissions import IngelogdVerzoek, RolVereistMixin

from .forms import OpmerkingForm
from .services import regel_betwisten, regel_oplossen, regel_reageren

KNOPPEN = {"betwisten": "Regel betwisten", "reageren": "Reageren", "oplossen": "Betwisting oplossen"}


def _acties(request: IngelogdVerzoek, regel: FactuurRegel) -> list[str]:
    if regel.credit or (regel.factuur is not None and regel.factuur.status != FactuurStatus.CONCEPT):
        return []
    if regel.status in (RegelStatus.OPEN, RegelStatus.OPGELOST):
        return ["betwisten"]
    acties = ["reageren"]
    if request.user.heeft_rol(Rol.FINANCIEN) and request.user.organisatie_id == regel.convenant.gemeente_id:
        acties.append("oplossen")
    return acties


class RegelView(RolVereistMixin, View):
    rollen = FACTUUR_ROLLEN
    template_name = "facturatie/bespreking/regel.html"

    def _render(
        self, request: IngelogdVerzoek, regel: FactuurRegel, form: OpmerkingForm, actie: str = "", status: int = 200
    ) -> HttpResponse:
        acties = _acties(request, regel)
        context = {
            "regel": regel,
            "opmerkingen": regel.opmerkingen.select_related("door", "organisatie"),
            "form": form,
            "acties": [(a, KNOPPEN[a]) for a in acties],
            "actie": actie,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: IngelogdVerzoek, pk: int) -> HttpResponse:
        regel = regel_get(user=request.user, pk=pk)
        return self._render(request, regel, OpmerkingForm())

    def post(self, request: IngelogdVerzoek, pk: int) -> HttpResponse:
        regel = regel_get(user=request.user, pk=pk)
        actie = request.POST.get("actie", "")
        form = OpmerkingForm(request.POST)
        if actie not in _acties(request, regel):
            form.is_valid()
            form.add_error(None, "Deze handeling kan nu niet op deze regel.")
            return self._render(request, regel, form, actie, status=400)
        if form.is_valid():
            tekst = form.cleaned_data["tekst"]
            try:
                if actie == "betwisten":
                    regel_betwisten(regel_id=regel.pk, door=request.user, reden=tekst)
                elif actie == "reageren":
                    regel_reageren(regel_id=regel.pk, door=request.user, tekst=tekst)
                else:
                    regel_oplossen(regel_id=regel.pk, door=request.user, toelichting=tekst)
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(request, f"Regel {regel.dossiernummer}: {KNOPPEN[actie].lower()} is opgeslagen.")
                return redirect("facturatie:regel", pk=regel.pk)
        return self._render(request, regel, form, actie, status=400)
