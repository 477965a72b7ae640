"""The form to create an API key."""

from __future__ import annotations

from django import forms

from meldpunt.core.forms import MeldpuntForm


class ApiTokenForm(MeldpuntForm):
    naam = forms.CharField(
        label="Omschrijving",
        max_length=100,
        help_text="Waarvoor is deze sleutel? Bijvoorbeeld de naam van het systeem dat haar gebruikt.",
    )
