"""The participant's answer: per category, no objection or an exception of art. 41 UAVG with a motivation."""

from __future__ import annotations

from typing import Any

from django import forms

from meldpunt.core.forms import MeldpuntForm

from ..verzoeken.services import MAX_TEKST
from .models import Art41Grond, Categorie


class AntwoordForm(MeldpuntForm):
    def __init__(self, *args: Any, categorieen: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categorieen = categorieen
        for c in categorieen:
            label = Categorie(c).label
            self.fields[f"{c}_uitzondering"] = forms.ChoiceField(
                label=f"{label}: uitzondering (niet verplicht)",
                choices=[("", "Geen bezwaar tegen verstrekking"), *list(Art41Grond.choices)],
                required=False,
            )
            self.fields[f"{c}_motivering"] = forms.CharField(
                label=f"{label}: motivering (niet verplicht)",
                max_length=MAX_TEKST,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Verplicht bij een uitzondering; komt in het besluit. Wordt versleuteld opgeslagen.",
            )
            self.fields[f"{c}_uitzondering"].widget.attrs["class"] = "utrecht-select utrecht-select--html-select"
            self.fields[f"{c}_motivering"].widget.attrs["class"] = "utrecht-textarea utrecht-textarea--html-textarea"

    def antwoorden(self) -> dict[str, dict[str, str]]:
        return {
            c: {
                "uitzondering": self.cleaned_data.get(f"{c}_uitzondering", ""),
                "motivering": self.cleaned_data.get(f"{c}_motivering", ""),
            }
            for c in self.categorieen
        }
