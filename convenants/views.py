"""Convenants: every participant reads its own; platformbeheer creates and changes them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol
from meldpunt.core.permissions import IngelogdVerzoek, RolVereistMixin

from .forms import ConvenantForm, OpzeggenForm, ParametersForm
from .models import Convenant
from .selectors import convenant_get, convenant_list
from .services import (
    PARAMETER_GRENZEN,
    TARIEF_VELDEN,
    convenant_create,
    convenant_opzeggen,
    convenant_parameters_opslaan,
    convenant_update,
)


class ConvenantListView(RolVereistMixin, View):
    rollen = tuple(Rol.values)

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        convenanten = convenant_list(user=request.user).prefetch_related("partners")
        return render(request, "convenants/convenant_list.html", {"convenanten": convenanten})


class ConvenantDetailView(RolVereistMixin, View):
    rollen = tuple(Rol.values)

    def get(self, request: IngelogdVerzoek, slug: str) -> HttpResponse:
        convenant = convenant_get(user=request.user, slug=slug)
        vandaag = timezone.localdate()
        return render(
            request,
            "convenants/convenant_detail.html",
            {
                "convenant": convenant,
                "deelnames": convenant.deelnames.select_related("partner").order_by("partner__naam"),
                "parameters": convenant.parameters.order_by("-jaar"),
                "huidige_parameters": convenant.parameters_voor(vandaag.year),
                "actief": convenant.is_actief(vandaag),
                "huidige_termijn_einde": convenant.einde_termijn_op(vandaag),
                "volgend_jaar": vandaag.year + 1,
                "mag_beheren": request.user.heeft_rol(Rol.PLATFORMBEHEER),
            },
        )


class ConvenantCreateView(RolVereistMixin, View):
    rollen = (Rol.PLATFORMBEHEER,)
    template_name = "convenants/convenant_form.html"

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        return render(request, self.template_name, {"form": ConvenantForm(), "titel": "Nieuw convenant"})

    def post(self, request: IngelogdVerzoek) -> HttpResponse:
        form = ConvenantForm(request.POST)
        if form.is_valid():
            try:
                convenant = convenant_create(door=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(request, f"Convenant {convenant.naam} is aangemaakt.")
                return redirect("convenanten:detail", slug=convenant.slug)
        return render(request, self.template_name, {"form": form, "titel": "Nieuw convenant"}, status=400)


class ConvenantUpdateView(RolVereistMixin, View):
    rollen = (Rol.PLATFORMBEHEER,)
    template_name = "convenants/convenant_form.html"

    def _initial(self, convenant: Convenant) -> dict[str, Any]:
        return {
            "naam": convenant.naam,
            "uitvoerder": convenant.uitvoerder_id,
            "partners": list(convenant.partners.values_list("pk", flat=True)),
            "fg_email": convenant.fg_email,
            "looptijd_maanden": convenant.looptijd_maanden,
            "stilzwijgend_verlengen": convenant.stilzwijgend_verlengen,
            "verlenging_maanden": convenant.verlenging_maanden,
            "opzegtermijn_maanden": convenant.opzegtermijn_maanden,
        }

    def get(self, request: IngelogdVerzoek, slug: str) -> HttpResponse:
        convenant = convenant_get(user=request.user, slug=slug)
        form = ConvenantForm(initial=self._initial(convenant), wijzigen=True)
        return render(
            request, self.template_name, {"form": form, "titel": f"{convenant.naam} wijzigen", "convenant": convenant}
        )

    def post(self, request: IngelogdVerzoek, slug: str) -> HttpResponse:
        convenant = convenant_get(user=request.user, slug=slug)
        form = ConvenantForm(request.POST, wijzigen=True)
        if form.is_valid():
            try:
                convenant_update(convenant=convenant, door=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(request, "Het convenant is opgeslagen.")
                return redirect("convenanten:detail", slug=convenant.slug)
        context = {"form": form, "titel": f"{convenant.naam} wijzigen", "convenant": convenant}
        return render(request, self.template_name, context, status=400)


class ConvenantOpzeggenView(RolVereistMixin, View):
    rollen = (Rol.PLATFORMBEHEER,)
    template_name = "convenants/convenant_opzeggen.html"

    def get(self, request: IngelogdVerzoek, slug: str) -> HttpResponse:
        convenant = convenant_get(user=request.user, slug=slug)
        form = OpzeggenForm(initial={"opgezegd_op": timezone.localdate()})
        return render(request, self.template_name, {"form": form, "convenant": convenant})

    def post(self, request: IngelogdVerzoek, slug: str) -> HttpResponse:
        convenant = convenant_get(user=request.user, slug=slug)
        form = OpzeggenForm(request.POST)
        if form.is_valid():
            try:
                convenant = convenant_opzeggen(convenant=convenant, door=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(
                    request, f"De opzegging is vastgelegd. Het convenant eindigt op {convenant.einddatum:%d-%m-%Y}."
                )
                return redirect("convenanten:detail", slug=convenant.slug)
        return render(request, self.template_name, {"form": form, "convenant": convenant}, status=400)


class ParametersView(RolVereistMixin, View):
    """Create or change the parameters of one year; a new year starts from the version in force."""

    rollen = (Rol.PLATFORMBEHEER,)
    template_name = "convenants/parameters_form.html"

    def _context(self, convenant: Convenant, jaar: int, form: ParametersForm) -> dict[str, Any]:
        bestaand = convenant.parameters.filter(jaar=jaar).exists()
        vastgesteld = bestaand and jaar < timezone.localdate().year
        return {"convenant": convenant, "jaar": jaar, "form": form, "bestaand": bestaand, "vastgesteld": vastgesteld}

    def get(self, request: IngelogdVerzoek, slug: str, jaar: int) -> HttpResponse:
        convenant = convenant_get(user=request.user, slug=slug)
        if not 2000 <= jaar <= 2100:
            raise Http404
        basis = convenant.parameters_voor(jaar)
        form = ParametersForm(instance=basis) if basis else ParametersForm()
        return render(request, self.template_name, self._context(convenant, jaar, form))

    def post(self, request: IngelogdVerzoek, slug: str, jaar: int) -> HttpResponse:
        convenant = convenant_get(user=request.user, slug=slug)
        if not 2000 <= jaar <= 2100:
            raise Http404
        form = ParametersForm(request.POST)
        if form.is_valid():
            waarden = {k: form.cleaned_data[k] for k in [*TARIEF_VELDEN, "btw_verschuldigd", *PARAMETER_GRENZEN]}
            try:
                convenant_parameters_opslaan(convenant=convenant, jaar=jaar, waarden=waarden, door=request.user)
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(request, f"De parameters voor {jaar} zijn opgeslagen.")
                return redirect("convenanten:detail", slug=convenant.slug)
        return render(request, self.template_name, self._context(convenant, jaar, form), status=400)
