"""The form to set a restriction or objection."""

from __future__ import annotations

from django import forms

from meldpunt.core.forms import MeldpuntForm

from .models import AfschermingSoort
from .services import MAX_REDEN


class AfschermingForm(MeldpuntForm):
    dossiernummer = forms.CharField(label="Dossiernummer", max_length=20, help_text="Bijvoorbeeld 2026-0000123.")
    soort = forms.ChoiceField(label="Soort", choices=AfschermingSoort.choices, widget=forms.RadioSelect)
    reden = forms.CharField(
        label="Reden",
        max_length=MAX_REDEN,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bijvoorbeeld het kenmerk van het AVG-verzoek. Wordt versleuteld opgeslagen.",
    )
