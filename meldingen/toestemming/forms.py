"""Forms of the consent page."""

from __future__ import annotations

from django import forms

from meldpunt.core.forms import MeldpuntForm
from meldpunt.core.velden import DatumInvoer

from .models import ToestemmingOntvanger, ToestemmingScope, ToestemmingWijze
from .services import FORMULIER_MAX_BYTES, MAX_NOTITIE

DATUM = DatumInvoer()


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
