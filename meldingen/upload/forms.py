"""The upload form."""

from __future__ import annotations

from django import forms

from meldpunt.core.forms import MeldpuntForm

from .services import MAX_BESTAND_BYTES

ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(MeldpuntForm):
    bestand = forms.FileField(
        label="Bestand met meldingen",
        help_text=f"Een CSV-bestand (.csv) of Excel-bestand (.xlsx) van ten hoogste {MAX_BESTAND_BYTES // 2**20} MB.",
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": "Kies het bestand dat u wilt uploaden.",
            "empty": "Het bestand is leeg.",
            "invalid": "Kies een bestand.",
        },
    )

    def clean_bestand(self) -> object:
        bestand = self.cleaned_data["bestand"]
        if bestand.size > MAX_BESTAND_BYTES:
            raise forms.ValidationError(
                f"Het bestand is groter dan {MAX_BESTAND_BYTES // 2**20} MB: splits het in kleinere bestanden."
            )
        return bestand
