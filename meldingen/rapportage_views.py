"""Pages of the rapportage (Uitvoerder): the structured form with completeness, the PDF request and download."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from meldpunt.core.downloads import bijlage
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.forms import MeldpuntForm
from meldpunt.core.models import Rol
from meldpunt.core.permissions import RolVereistMixin

from .rapportage import (
    KAN_BETALEN,
    LAST_STATUSSEN,
    LIJSTEN,
    PLANNEN,
    VASTE_LASTEN,
    mag_rapportage_schrijven,
    rapportage_opslaan,
    rapportage_pdf_aanvragen,
    rapportage_pdf_lezen,
    rapportage_volledigheid,
    rapportage_weergave,
    veldnaam,
)
from .selectors import dossier_get_voor_uitvoerder
from .workflow import DossierStatus

UITVOERDER = (Rol.HULPVERLENER, Rol.TEAMLEIDER)
BEDRAG_ATTRS = {"inputmode": "decimal", "autocomplete": "off"}
LIJST_LABELS = {"inkomsten": "Bedrag per maand (€)", "uitgaven": "Bedrag per maand (€)", "schulden": "Bedrag (€)"}


class RapportageForm(MeldpuntForm):
    """Fixed repeatable rows for income, expenses and creditors; the service validates amounts."""

    def __init__(self, *args: Any, alleen_lezen: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if alleen_lezen:
            for field in self.fields.values():
                field.disabled = True

    @classmethod
    def initial_uit(cls, inhoud: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for lijst, (sleutel, _, _) in LIJSTEN.items():
            for i, rij in enumerate(inhoud.get(lijst) or []):
                initial[veldnaam(lijst, i, sleutel)] = rij.get(sleutel, "")
                initial[veldnaam(lijst, i, "bedrag")] = (rij.get("bedrag") or "").replace(".", ",")
        initial["geen_schulden"] = inhoud.get("geen_schulden", False)
        for last in VASTE_LASTEN:
            gegeven = (inhoud.get("vaste_lasten") or {}).get(last) or {}
            initial[f"{last}_status"] = gegeven.get("status", "")
            initial[f"{last}_achterstand"] = (gegeven.get("achterstand") or "").replace(".", ",")
        for veld in ("betalingsregelingen", "kan_betalen", "kan_betalen_motivatie", "plan", "ondersteuning"):
            initial[veld] = inhoud.get(veld)
        return initial

    def inhoud(self) -> dict[str, Any]:
        """The cleaned data in the rapportage's content shape (amounts as typed: the service parses them)."""
        d = self.cleaned_data
        uit: dict[str, Any] = {
            lijst: [
                {sleutel: d.get(veldnaam(lijst, i, sleutel), ""), "bedrag": d.get(veldnaam(lijst, i, "bedrag"), "")}
                for i in range(rijen)
            ]
            for lijst, (sleutel, _, rijen) in LIJSTEN.items()
        }
        uit["geen_schulden"] = bool(d.get("geen_schulden"))
        uit["vaste_lasten"] = {
            last: {"status": d.get(f"{last}_status", ""), "achterstand": d.get(f"{last}_achterstand", "")}
            for last in VASTE_LASTEN
        }
        for veld in ("betalingsregelingen", "kan_betalen", "kan_betalen_motivatie", "ondersteuning"):
            uit[veld] = d.get(veld, "")
        uit["plan"] = list(d.get("plan") or [])
        return uit

    @property
    def rijen(self) -> dict[str, list[tuple[int, Any, Any]]]:
        """Per list, the bound fields of each row: (number, text field, amount field)."""
        return {
            lijst: [
                (i + 1, self[veldnaam(lijst, i, sleutel)], self[veldnaam(lijst, i, "bedrag")]) for i in range(aantal)
            ]
            for lijst, (sleutel, _, aantal) in LIJSTEN.items()
        }

    def vaste_lasten(self) -> list[tuple[str, Any, Any]]:
        return [(label, self[f"{last}_status"], self[f"{last}_achterstand"]) for last, label in VASTE_LASTEN.items()]


def _tekst(label: str, *, lang: bool = False, help_text: str = "") -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 4}) if lang else forms.TextInput()
    return forms.CharField(
        label=label, required=False, max_length=5000 if lang else 200, widget=widget, help_text=help_text
    )


def _bedrag(label: str) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=20, widget=forms.TextInput(attrs=BEDRAG_ATTRS))


for _lijst, (_sleutel, _label, _aantal) in LIJSTEN.items():
    for _i in range(_aantal):
        RapportageForm.base_fields[veldnaam(_lijst, _i, _sleutel)] = _tekst(f"{_label} {_i + 1}")
        RapportageForm.base_fields[veldnaam(_lijst, _i, "bedrag")] = _bedrag(f"{LIJST_LABELS[_lijst]} {_i + 1}")
RapportageForm.base_fields["geen_schulden"] = forms.BooleanField(label="De huurder heeft geen schulden", required=False)
for _last, _label in VASTE_LASTEN.items():
    RapportageForm.base_fields[f"{_last}_status"] = forms.ChoiceField(
        label=_label, required=False, choices=list(LAST_STATUSSEN.items()), widget=forms.RadioSelect
    )
    RapportageForm.base_fields[f"{_last}_achterstand"] = _bedrag(f"Achterstand {_label.lower()} (€)")
RapportageForm.base_fields["betalingsregelingen"] = _tekst(
    "Andere betalingsregelingen", lang=True, help_text="Vul 'geen' in als er geen andere regelingen zijn."
)
RapportageForm.base_fields["kan_betalen"] = forms.ChoiceField(
    label="Kan de huurder aan de reguliere betalingen voldoen?",
    required=False,
    choices=list(KAN_BETALEN.items()),
    widget=forms.RadioSelect,
)
RapportageForm.base_fields["kan_betalen_motivatie"] = _tekst("Motivatie van de inschatting", lang=True)
RapportageForm.base_fields["plan"] = forms.MultipleChoiceField(
    label="Vorm van ondersteuning",
    required=False,
    choices=list(PLANNEN.items()),
    widget=forms.CheckboxSelectMultiple,
    help_text="'Geen ondersteuning nodig' kiest u alleen, zonder andere vormen.",
)
RapportageForm.base_fields["ondersteuning"] = _tekst(
    "Plan van aanpak en benodigde ondersteuning",
    lang=True,
    help_text="Hoe komt de huurder tot herstel van de betalingsdiscipline, en welke ondersteuning is nodig?",
)


class RapportageView(RolVereistMixin, View):
    """The rapportage of one dossier: draft save, completeness, PDF request; read-only once closed."""

    rollen = UITVOERDER
    template_name = "meldingen/rapportage/form.html"

    def _render(
        self, request: HttpRequest, dossier: Any, form: RapportageForm | None = None, status: int = 200
    ) -> HttpResponse:
        gebruiker = request.user
        rapportage, inhoud = rapportage_weergave(dossier=dossier, gebruiker=gebruiker)  # type: ignore[arg-type]
        bewerkbaar = mag_rapportage_schrijven(dossier=dossier, gebruiker=gebruiker)  # type: ignore[arg-type]
        if form is None:
            form = RapportageForm(initial=RapportageForm.initial_uit(inhoud), alleen_lezen=not bewerkbaar)
        volledig, ontbreekt = rapportage_volledigheid(inhoud)
        context = {
            "dossier": dossier,
            "rapportage": rapportage,
            "form": form,
            "bewerkbaar": bewerkbaar,
            "afgesloten": dossier.status == DossierStatus.AFGESLOTEN,
            "opgeslagen": rapportage is not None and rapportage.inhoud is not None,
            "volledig": volledig,
            "ontbreekt": ontbreekt,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, dossier_id: str) -> HttpResponse:
        dossier = dossier_get_voor_uitvoerder(user=request.user, pk=dossier_id)  # type: ignore[arg-type]
        return self._render(request, dossier)

    def post(self, request: HttpRequest, dossier_id: str) -> HttpResponse:
        dossier = dossier_get_voor_uitvoerder(user=request.user, pk=dossier_id)  # type: ignore[arg-type]
        actie = request.POST.get("actie", "")
        if actie == "pdf":
            try:
                rapportage_pdf_aanvragen(dossier=dossier, door=request.user)  # type: ignore[arg-type]
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "De PDF wordt gemaakt. Vernieuw de pagina over enkele ogenblikken.")
            return redirect("rapportage:detail", dossier_id=dossier.pk)
        if actie != "opslaan":
            messages.error(request, "Onbekende actie.")
            return redirect("rapportage:detail", dossier_id=dossier.pk)
        form = RapportageForm(request.POST)
        if form.is_valid():
            try:
                rapportage = rapportage_opslaan(dossier=dossier, door=request.user, inhoud=form.inhoud())  # type: ignore[arg-type]
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                if rapportage.volledig:
                    messages.success(request, "De rapportage is opgeslagen en is volledig.")
                else:
                    messages.success(request, "Het concept is opgeslagen. De rapportage is nog niet volledig.")
                return redirect("rapportage:detail", dossier_id=dossier.pk)
        dossier.refresh_from_db()
        return self._render(request, dossier, form=form, status=400)


class RapportagePdfView(RolVereistMixin, View):
    """Download the stored PDF, decrypted (only the Uitvoerder; the Gemeente's view comes with consent)."""

    rollen = UITVOERDER

    def get(self, request: HttpRequest, dossier_id: str) -> HttpResponse:
        dossier = dossier_get_voor_uitvoerder(user=request.user, pk=dossier_id)  # type: ignore[arg-type]
        gelezen = rapportage_pdf_lezen(dossier=dossier, gebruiker=request.user)  # type: ignore[arg-type]
        if gelezen is None:
            raise Http404("Er is nog geen PDF van deze rapportage.")
        naam, data = gelezen
        return bijlage(data, naam=naam, mime="application/pdf")
