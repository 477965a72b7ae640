"""The Uitvoerder's page of a dossier's consents: record, withdraw, download the signed form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from meldpunt.core.downloads import bijlage
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.forms import MeldpuntForm
from meldpunt.core.models import Rol
from meldpunt.core.permissions import RolVereistMixin

from .models import ToestemmingOntvanger, ToestemmingScope, ToestemmingWijze
from .selectors import dossier_get_voor_uitvoerder
from .toestemming import (
    FORMULIER_MAX_BYTES,
    MAX_NOTITIE,
    toestemming_create,
    toestemming_formulier_lezen,
    toestemming_get_voor_uitvoerder,
    toestemming_intrekken,
    toestemmingen_weergave,
)
from .workflow import DossierStatus

UITVOERDER = (Rol.HULPVERLENER, Rol.TEAMLEIDER)
DATUM = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ToestemmingForm(MeldpuntForm):
    ontvanger_soort = forms.ChoiceField(
        label="Aan wie geeft de huurder toestemming?", choices=ToestemmingOntvanger.choices, widget=forms.RadioSelect
    )
    scope = forms.ChoiceField(
        label="Wat mag worden gedeeld?",
        choices=ToestemmingScope.choices,
        widget=forms.RadioSelect,
        help_text="De rapportage wordt nooit met de woningcorporatie gedeeld.",
    )
    gegeven_op = forms.DateField(label="Gegeven op", widget=DATUM)
    wijze = forms.ChoiceField(
        label="Hoe is de toestemming gegeven?",
        choices=[("", "Kies hoe de toestemming is gegeven"), *ToestemmingWijze.choices],
    )
    bewijs = forms.CharField(
        label="Toelichting",
        required=False,
        max_length=MAX_NOTITIE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bijvoorbeeld: telefonisch gesprek, wat is uitgelegd. Verplicht zonder ondertekend formulier. "
        "Wordt versleuteld opgeslagen.",
    )
    formulier = forms.FileField(
        label="Ondertekend formulier",
        required=False,
        help_text="PDF, PNG of JPEG, ten hoogste 5 MB. Wordt versleuteld opgeslagen.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}),
    )

    def clean_formulier(self) -> bytes | None:
        bestand = self.cleaned_data.get("formulier")
        if not bestand:
            return None
        if bestand.size > FORMULIER_MAX_BYTES:
            raise forms.ValidationError("Het bestand is groter dan 5 MB.")
        return bytes(bestand.read())


class IntrekkenForm(MeldpuntForm):
    ingetrokken_op = forms.DateField(label="Ingetrokken op", widget=DATUM)


class ToestemmingView(RolVereistMixin, View):
    rollen = UITVOERDER
    template_name = "meldingen/toestemming/detail.html"

    def _render(self, request: HttpRequest, dossier: Any, form: Any = None, status: int = 200) -> HttpResponse:
        gebruiker = request.user
        context = {
            "dossier": dossier,
            "toestemmingen": toestemmingen_weergave(dossier=dossier, gebruiker=gebruiker),  # type: ignore[arg-type]
            "form": form or ToestemmingForm(initial={"gegeven_op": timezone.localdate()}),
            "intrekken_form": IntrekkenForm(initial={"ingetrokken_op": timezone.localdate()}),
            "mag_vastleggen": dossier.status != DossierStatus.NIEUW
            and (dossier.behandelaar_id == gebruiker.pk or gebruiker.heeft_rol(Rol.TEAMLEIDER)),  # type: ignore[union-attr]
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, dossier_id: Any) -> HttpResponse:
        dossier = dossier_get_voor_uitvoerder(user=request.user, pk=dossier_id)  # type: ignore[arg-type]
        return self._render(request, dossier)

    def post(self, request: HttpRequest, dossier_id: Any) -> HttpResponse:
        dossier = dossier_get_voor_uitvoerder(user=request.user, pk=dossier_id)  # type: ignore[arg-type]
        form = ToestemmingForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                toestemming_create(dossier=dossier, door=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(request, "De toestemming is vastgelegd.")
                return redirect("toestemming:dossier", dossier_id=dossier.pk)
        return self._render(request, dossier, form=form, status=400)


class ToestemmingIntrekkenView(RolVereistMixin, View):
    rollen = UITVOERDER

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        toestemming = toestemming_get_voor_uitvoerder(user=request.user, pk=pk)  # type: ignore[arg-type]
        form = IntrekkenForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Vul een geldige datum van intrekking in.")
        else:
            try:
                toestemming_intrekken(toestemming=toestemming, door=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except ApplicationError as exc:
                fouten = [m for berichten in (exc.extra or {}).values() for m in berichten]
                messages.error(request, " ".join([exc.message, *fouten]))
            else:
                messages.success(request, "De toestemming is ingetrokken; de toegang is direct vervallen.")
        return redirect("toestemming:dossier", dossier_id=toestemming.dossier_id)


class ToestemmingFormulierView(RolVereistMixin, View):
    rollen = UITVOERDER

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        toestemming = toestemming_get_voor_uitvoerder(user=request.user, pk=pk)  # type: ignore[arg-type]
        gelezen = toestemming_formulier_lezen(toestemming=toestemming, gebruiker=request.user)  # type: ignore[arg-type]
        if gelezen is None:
            raise Http404("Bij deze toestemming is geen formulier opgeslagen.")
        naam, data = gelezen
        return bijlage(data, naam=naam, mime=toestemming.formulier.mime)  # type: ignore[union-attr]
