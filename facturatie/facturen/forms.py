"""Forms of the invoices: drafting a year, choosing the lines of a credit invoice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from meldpunt.core.forms import MeldpuntForm, keuzeveld

from .models import Factuur


class OpstellenForm(MeldpuntForm):
    jaar = forms.TypedChoiceField(label="Jaar", coerce=int, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        huidig = timezone.localdate().year
        keuzeveld(self, "jaar").choices = [
            ("", "Kies een jaar"),
            *((j, str(j)) for j in range(huidig - 1, huidig - 6, -1)),
        ]


class CreditForm(MeldpuntForm):
    regels = forms.TypedMultipleChoiceField(
        label="Te crediteren regels", coerce=int, widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args: Any, factuur: Factuur, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keuzeveld(self, "regels").choices = [
            (r.pk, f"{r.dossiernummer} ({r.dossiertype}, {r.bedrag:.2f})".replace(".", ","))
            for r in factuur.regels.order_by("dossiernummer", "pk")
        ]
