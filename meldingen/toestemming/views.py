"""The Uitvoerder's page of a dossier's consents: record, withdraw, download the signed form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from meldingen.dossiers.selectors import dossier_get_voor_uitvoerder
from meldingen.dossiers.workflow import DossierStatus
from meldpunt.core.downloads import bijlage
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol
from meldpunt.core.permissions import IngelogdVerzoek, RolVereistMixin

from .forms import IntrekkenForm, ToestemmingForm
from .selectors import toestemming_formulier_lezen, toestemming_get_voor_uitvoerder, toestemmingen_weergave
from .services import toestemming_create, toestemming_intrekken

UITVOERDER = (Rol.HULPVERLENER, Rol.TEAMLEIDER)


class ToestemmingView(RolVereistMixin, View):
    rollen = UITVOERDER
    template_name = "meldingen/toestemming/detail.html"

    def _render(self, request: IngelogdVerzoek, dossier: Any, form: Any = None, status: int = 200) -> HttpResponse:
        gebruiker = request.user
        context = {
            "dossier": dossier,
            "toestemmingen": toestemmingen_weergave(dossier=dossier, gebruiker=gebruiker),
            "form": form or ToestemmingForm(initial={"gegeven_op": timezone.localdate()}),
            "intrekken_form": IntrekkenForm(initial={"ingetrokken_op": timezone.localdate()}),
            "mag_vastleggen": dossier.status != DossierStatus.NIEUW
            and (dossier.behandelaar_id == gebruiker.pk or gebruiker.heeft_rol(Rol.TEAMLEIDER)),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: IngelogdVerzoek, dossier_id: Any) -> HttpResponse:
        dossier = dossier_get_voor_uitvoerder(user=request.user, pk=dossier_id)
        return self._render(request, dossier)

    def post(self, request: IngelogdVerzoek, dossier_id: Any) -> HttpResponse:
        dossier = dossier_get_voor_uitvoerder(user=request.user, pk=dossier_id)
        form = ToestemmingForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                toestemming_create(dossier=dossier, door=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(request, "De toestemming is vastgelegd.")
                return redirect("toestemming:dossier", dossier_id=dossier.pk)
        return self._render(request, dossier, form=form, status=400)


class ToestemmingIntrekkenView(RolVereistMixin, View):
    rollen = UITVOERDER

    def post(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        toestemming = toestemming_get_voor_uitvoerder(user=request.user, pk=pk)
        form = IntrekkenForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Vul een geldige datum van intrekking in.")
        else:
            try:
                toestemming_intrekken(toestemming=toestemming, door=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                fouten = [m for berichten in (exc.extra or {}).values() for m in berichten]
                messages.error(request, " ".join([exc.message, *fouten]))
            else:
                messages.success(request, "De toestemming is ingetrokken; de toegang is direct vervallen.")
        return redirect("toestemming:dossier", dossier_id=toestemming.dossier_id)


class ToestemmingFormulierView(RolVereistMixin, View):
    rollen = UITVOERDER

    def get(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        toestemming = toestemming_get_voor_uitvoerder(user=request.user, pk=pk)
        gelezen = toestemming_formulier_lezen(toestemming=toestemming, gebruiker=request.user)
        if gelezen is None:
            raise Http404("Bij deze toestemming is geen formulier opgeslagen.")
        naam, data = gelezen
        return bijlage(data, naam=naam, mime=toestemming.formulier.mime)  # type: ignore[union-attr]  # read above
