"""Forms of the bezwaar page (contactpunt) and of a participant's reaction."""

from __future__ import annotations

from django import forms

from meldpunt.core.forms import MeldpuntForm
from meldpunt.core.velden import DatumInvoer

from ..verzoeken.services import MAX_TEKST
from .models import AfzienVanHoren, BezwaarUitkomst

LEEG = [("", "Kies …")]
TIJDSTIP_FORMATEN = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d-%m-%Y %H:%M"]


class BezwaarForm(MeldpuntForm):
    ontvangen_op = forms.DateField(label="Bezwaar ontvangen op", widget=DatumInvoer())
    reactie_termijn_op = forms.DateField(
        label="Reactie van de deelnemers uiterlijk op",
        widget=DatumInvoer(),
        required=False,
        help_text="Standaard over twee weken. De deelnemers krijgen een e-mail met alleen het kenmerk.",
    )


class HoorzittingForm(MeldpuntForm):
    op = forms.DateTimeField(
        label="Datum en tijd",
        error_messages={
            "required": "Vul datum en tijd van de hoorzitting in.",
            "invalid": "Vul een geldige datum en tijd in.",
        },
        input_formats=TIJDSTIP_FORMATEN,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    plaats = forms.CharField(label="Plaats of videoverbinding", max_length=200)


class GehoordForm(MeldpuntForm):
    gehoord_op = forms.DateField(label="Gehouden op", widget=DatumInvoer())
    verslag = forms.CharField(
        label="Verslag",
        max_length=MAX_TEKST,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Wat de indiener en de belanghebbenden naar voren brachten. Wordt versleuteld opgeslagen.",
    )


class AfzienForm(MeldpuntForm):
    grond = forms.ChoiceField(label="Grond", choices=AfzienVanHoren.choices, widget=forms.RadioSelect)


class BeslissingForm(MeldpuntForm):
    uitkomst = forms.ChoiceField(label="Uitkomst", choices=LEEG + list(BezwaarUitkomst.choices))
    beslist_op = forms.DateField(label="Beslist op", widget=DatumInvoer())


class ReactieForm(MeldpuntForm):
    wil_gehoord_worden = forms.TypedChoiceField(
        label="Aanwezig bij de hoorzitting",
        choices=[("ja", "Ja, wij willen gehoord worden"), ("nee", "Nee")],
        coerce=lambda v: v == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": "Geef aan of u bij de hoorzitting aanwezig wilt zijn."},
    )
    zienswijze = forms.CharField(
        label="Schriftelijke zienswijze",
        max_length=MAX_TEKST,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Komt bij de stukken van het bezwaar. Wordt versleuteld opgeslagen.",
    )
