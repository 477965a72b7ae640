"""The form to put a dossier on hold."""

from __future__ import annotations

from django import forms

from meldpunt.core.forms import MeldpuntForm
from meldpunt.core.velden import DatumInvoer

from .services import MAX_REDEN
from .workflow import BlokkadeGrond


class BlokkadeForm(MeldpuntForm):
    dossiernummer = forms.CharField(label="Dossiernummer", max_length=20, help_text="Bijvoorbeeld 2026-0000123.")
    grond = forms.ChoiceField(label="Grond", choices=[("", "Kies een grond"), *BlokkadeGrond.choices])
    reden = forms.CharField(
        label="Kenmerk of toelichting",
        max_length=MAX_REDEN,
        required=False,
        help_text="Bijvoorbeeld het zaaknummer. Geen namen of andere persoonsgegevens.",
    )
    tot = forms.DateField(
        label="Tot en met",
        required=False,
        widget=DatumInvoer(),
        help_text="Leeg laten: tot de blokkade wordt opgeheven.",
    )


class LijstFilterForm(forms.Form):
    dagen = forms.IntegerField(label="Dagen vooruit", min_value=0, max_value=366, required=False)
