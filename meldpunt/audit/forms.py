"""The filter of the log screen (and of its CSV export)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from meldpunt.core.forms import MeldpuntForm
from meldpunt.core.velden import DatumInvoer

from .models import Actie
from .omschrijving import soort_label


class LogboekFilterForm(MeldpuntForm):
    van = forms.DateField(label="Van", required=False, widget=DatumInvoer())
    tot = forms.DateField(label="Tot en met", required=False, widget=DatumInvoer())
    actie = forms.ChoiceField(label="Actie", required=False, choices=[("", "Alle acties"), *Actie.choices])
    object_type = forms.ChoiceField(label="Soort object", required=False, choices=[("", "Alle soorten")])

    def __init__(self, *args: Any, object_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        veld = cast(forms.ChoiceField, self.fields["object_type"])
        veld.choices = [("", "Alle soorten"), *sorted(((t, soort_label(t)) for t in object_types), key=lambda k: k[1])]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        van, tot = cleaned.get("van"), cleaned.get("tot")
        if van and tot and tot < van:
            self.add_error("tot", "De einddatum ligt vóór de begindatum.")
        return cleaned

    def filters(self) -> dict[str, Any]:
        """The valid filter values, for ``logregel_list``."""
        if not self.is_valid():
            return {}
        return {naam: self.cleaned_data[naam] for naam in ("van", "tot", "actie", "object_type")}
