from __future__ import annotations

from django import forms

from meldpunt.core.forms import MeldpuntForm


class OpmerkingForm(MeldpuntForm):
    tekst = forms.CharField(
        label="Toelichting",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Noem alleen het dossiernummer, geen namen of adressen.",
    )
