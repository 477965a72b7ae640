"""Invoice screens: the list (with drafting for financien), an invoice with its lines, issuing, crediting.

Drafting a year runs on the worker: the list shows the run's status fragment, which htmx polls every second
while the run waits or runs (no script of our own, CSP-safe); once it has ended the fragment answers
``HX-Refresh`` so that the page reloads with the result and the new drafts in the table."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol
from meldpunt.core.permissions import IngelogdVerzoek, RolVereistMixin

from .forms import CreditForm, OpstellenForm
from .models import Opstelrun
from .selectors import (
    FACTUUR_ROLLEN,
    factuur_get,
    factuur_list,
    mag_zien,
    opstelrun_facturen,
    opstelrun_get,
    opstelrun_laatste,
    wachtende_regels,
)
from .services import creditfactuur_create, factuur_uitgeven, opstelrun_start
from .workflow import FactuurStatus


def _opstelrun_context(run: Opstelrun | None) -> dict[str, Any]:
    return {"run": run, "run_facturen": list(opstelrun_facturen(run)) if run is not None else []}


class FactuurListView(RolVereistMixin, View):
    rollen = FACTUUR_ROLLEN
    template_name = "facturatie/facturen/list.html"

    def _run(self, request: IngelogdVerzoek) -> Opstelrun | None:
        """The run named in the address (after starting one), else the Gemeente's latest."""
        gevraagd = request.GET.get("opstelrun", "")
        if gevraagd.isdigit() and request.user.heeft_rol(Rol.FINANCIEN):
            try:
                return opstelrun_get(user=request.user, pk=int(gevraagd))
            except Http404:
                pass
        return opstelrun_laatste(user=request.user)

    def _render(self, request: IngelogdVerzoek, form: OpstellenForm | None, status: int = 200) -> HttpResponse:
        jaar_tekst = request.GET.get("jaar", "")
        jaar = int(jaar_tekst) if jaar_tekst.isdigit() else None
        facturen = factuur_list(user=request.user, jaar=jaar).order_by("-jaar", "soort", "ontvanger__naam", "pk")
        context = {
            "facturen": facturen,
            "form": form,
            "jaar": jaar,
            "wachtend": wachtende_regels(user=request.user).order_by("dossiernummer"),
            **_opstelrun_context(self._run(request) if form is not None else None),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        return self._render(request, OpstellenForm() if request.user.heeft_rol(Rol.FINANCIEN) else None)

    def post(self, request: IngelogdVerzoek) -> HttpResponse:
        if not request.user.heeft_rol(Rol.FINANCIEN):
            return self._render(request, None, status=403)
        form = OpstellenForm(request.POST)
        if form.is_valid():
            jaar = form.cleaned_data["jaar"]
            try:
                run, nieuw = opstelrun_start(jaar=jaar, door=request.user)
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                if nieuw:
                    messages.success(
                        request,
                        f"Het opstellen van {jaar} is gestart. De voortgang staat hieronder; u kunt deze pagina "
                        "ook sluiten, het opstellen gaat door.",
                    )
                else:
                    messages.info(
                        request, f"Het opstellen van {jaar} loopt al. Hieronder staat de voortgang van die opstelling."
                    )
                return redirect(f"{reverse('facturatie:list')}?opstelrun={run.pk}")
        return self._render(request, form, status=400)


class OpstelrunStandView(RolVereistMixin, View):
    """The status fragment of a drafting run, polled by the list page."""

    rollen = (Rol.FINANCIEN,)

    def get(self, request: IngelogdVerzoek, pk: int) -> HttpResponse:
        run = opstelrun_get(user=request.user, pk=pk)
        response = render(request, "facturatie/facturen/_opstelrun.html", _opstelrun_context(run))
        if not run.lopend and getattr(request, "htmx", False):
            response["HX-Refresh"] = "true"
        return response


class FactuurDetailView(RolVereistMixin, View):
    rollen = FACTUUR_ROLLEN

    def get(self, request: IngelogdVerzoek, pk: int) -> HttpResponse:
        factuur = factuur_get(user=request.user, pk=pk)
        regels = factuur.regels.order_by("dossiernummer", "pk")
        context = {
            "factuur": factuur,
            "regels": regels,
            "concept": factuur.status == FactuurStatus.CONCEPT,
            "is_financien": request.user.heeft_rol(Rol.FINANCIEN)
            and factuur.gemeente_id == request.user.organisatie_id,
            "creditfacturen": [c for c in factuur.creditfacturen.all() if mag_zien(request.user, c)],
            "totaal": factuur.totaal if factuur.nummer else sum(r.bedrag for r in regels),
        }
        return render(request, "facturatie/facturen/detail.html", context)


class FactuurUitgevenView(RolVereistMixin, View):
    rollen = (Rol.FINANCIEN,)

    def post(self, request: IngelogdVerzoek, pk: int) -> HttpResponse:
        factuur = factuur_get(user=request.user, pk=pk)
        try:
            factuur = factuur_uitgeven(factuur=factuur, door=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Factuur {factuur.nummer} is uitgegeven.")
        return redirect("facturatie:detail", pk=factuur.pk)


class CreditView(RolVereistMixin, View):
    rollen = (Rol.FINANCIEN,)
    template_name = "facturatie/facturen/credit.html"

    def get(self, request: IngelogdVerzoek, pk: int) -> HttpResponse:
        factuur = factuur_get(user=request.user, pk=pk)
        form = CreditForm(factuur=factuur, initial={"regels": [r.pk for r in factuur.regels.all()]})
        return render(request, self.template_name, {"factuur": factuur, "form": form})

    def post(self, request: IngelogdVerzoek, pk: int) -> HttpResponse:
        factuur = factuur_get(user=request.user, pk=pk)
        form = CreditForm(request.POST, factuur=factuur)
        if form.is_valid():
            try:
                credit = creditfactuur_create(factuur=factuur, door=request.user, regel_ids=form.cleaned_data["regels"])
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(request, f"Creditfactuur {credit.nummer} is uitgegeven.")
                return redirect("facturatie:detail", pk=credit.pk)
        return render(request, self.template_name, {"factuur": factuur, "form": form}, status=400)
