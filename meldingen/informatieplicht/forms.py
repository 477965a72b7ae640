"""Forms of the information duty page."""

from __future__ import annotations

from django import forms

from meldpunt.core.forms import MeldpuntForm
from meldpunt.core.velden import DatumInvoer

from .models import InformatieplichtUitzondering
from .services import MAX_TOELICHTING


class VerstuurdForm(MeldpuntForm):
    verstuurd_op = forms.DateField(label="Verstuurd op", widget=DatumInvoer())


class UitzonderingForm(MeldpuntForm):
    uitzondering = forms.ChoiceField(
        label="Uitzondering (artikel 14 lid 5 AVG)",
        choices=[c for c in InformatieplichtUitzondering.choices if c[0]],
        widget=forms.RadioSelect,
    )
    toelichting = forms.CharField(
        label="Motivering",
        max_length=MAX_TOELICHTING,
        help_text="Waarom is de uitzondering van toepassing? Wordt versleuteld opgeslagen.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
