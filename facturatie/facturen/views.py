"""Invoice screens: the list (with drafting for financien), an invoice with its lines, issuing, crediting."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol
from meldpunt.core.permissions import IngelogdVerzoek, RolVereistMixin

from .forms import CreditForm, OpstellenForm
from .opstellen import facturen_opstellen
from .selectors import FACTUUR_ROLLEN, factuur_get, factuur_list, mag_zien, wachtende_regels
from .services import creditfactuur_create, factuur_uitgeven
from .workflow import FactuurStatus


class FactuurListView(RolVereistMixin, View):
    rollen = FACTUUR_ROLLEN
    template_name = "facturatie/facturen/list.html"

    def _render(self, request: IngelogdVerzoek, form: OpstellenForm | None, status: int = 200) -> HttpResponse:
        jaar_tekst = request.GET.get("jaar", "")
        jaar = int(jaar_tekst) if jaar_tekst.isdigit() else None
        facturen = factuur_list(user=request.user, jaar=jaar).order_by("-jaar", "soort", "ontvanger__naam", "pk")
        context = {
            "facturen": facturen,
            "form": form,
            "jaar": jaar,
            "wachtend": wachtende_regels(user=request.user).order_by("dossiernummer"),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        return self._render(request, OpstellenForm() if request.user.heeft_rol(Rol.FINANCIEN) else None)

    def post(self, request: IngelogdVerzoek) -> HttpResponse:
        if not request.user.heeft_rol(Rol.FINANCIEN):
            return self._render(request, None, status=403)
        form = OpstellenForm(request.POST)
        if form.is_valid():
            try:
                verslag = facturen_opstellen(jaar=form.cleaned_data["jaar"], door=request.user)
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(
                    request,
                    f"Jaar {form.cleaned_data['jaar']} is opgesteld: {verslag.nieuwe_regels} nieuwe regel(s) "
                    f"op {len(verslag.facturen)} concept(en).",
                )
                return redirect("facturatie:list")
        return self._render(request, form, status=400)


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
