"""The rapportage form: fixed repeatable rows for income, expenses and creditors, the fixed charges, the
assessment and the plan of approach (the service validates amounts and derives completeness)."""

from __future__ import annotations

from typing import Any

from django import forms

from meldpunt.core.forms import MeldpuntForm

from .inhoud import KAN_BETALEN, LAST_STATUSSEN, LIJSTEN, PLANNEN, VASTE_LASTEN, veldnaam

BEDRAG_ATTRS = {"inputmode": "decimal", "autocomplete": "off"}
LIJST_LABELS = {"inkomsten": "Bedrag per maand (€)", "uitgaven": "Bedrag per maand (€)", "schulden": "Bedrag (€)"}


class RapportageForm(MeldpuntForm):
    """Fixed repeatable rows for income, expenses and creditors; the service validates amounts."""

    def __init__(self, *args: Any, alleen_lezen: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if alleen_lezen:
            for field in self.fields.values():
                field.disabled = True

    @classmethod
    def initial_uit(cls, inhoud: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for lijst, (sleutel, _, _) in LIJSTEN.items():
            for i, rij in enumerate(inhoud.get(lijst) or []):
                initial[veldnaam(lijst, i, sleutel)] = rij.get(sleutel, "")
                initial[veldnaam(lijst, i, "bedrag")] = (rij.get("bedrag") or "").replace(".", ",")
        initial["geen_schulden"] = inhoud.get("geen_schulden", False)
        for last in VASTE_LASTEN:
            gegeven = (inhoud.get("vaste_lasten") or {}).get(last) or {}
            initial[f"{last}_status"] = gegeven.get("status", "")
            initial[f"{last}_achterstand"] = (gegeven.get("achterstand") or "").replace(".", ",")
        for veld in ("betalingsregelingen", "kan_betalen", "kan_betalen_motivatie", "plan", "ondersteuning"):
            initial[veld] = inhoud.get(veld)
        return initial

    def inhoud(self) -> dict[str, Any]:
        """The cleaned data in the rapportage's content shape (amounts as typed: the service parses them)."""
        d = self.cleaned_data
        uit: dict[str, Any] = {
            lijst: [
                {sleutel: d.get(veldnaam(lijst, i, sleutel), ""), "bedrag": d.get(veldnaam(lijst, i, "bedrag"), "")}
                for i in range(rijen)
            ]
            for lijst, (sleutel, _, rijen) in LIJSTEN.items()
        }
        uit["geen_schulden"] = bool(d.get("geen_schulden"))
        uit["vaste_lasten"] = {
            last: {"status": d.get(f"{last}_status", ""), "achterstand": d.get(f"{last}_achterstand", "")}
            for last in VASTE_LASTEN
        }
        for veld in ("betalingsregelingen", "kan_betalen", "kan_betalen_motivatie", "ondersteuning"):
            uit[veld] = d.get(veld, "")
        uit["plan"] = list(d.get("plan") or [])
        return uit

    @property
    def rijen(self) -> dict[str, list[tuple[int, Any, Any]]]:
        """Per list, the bound fields of each row: (number, text field, amount field)."""
        return {
            lijst: [
                (i + 1, self[veldnaam(lijst, i, sleutel)], self[veldnaam(lijst, i, "bedrag")]) for i in range(aantal)
            ]
            for lijst, (sleutel, _, aantal) in LIJSTEN.items()
        }

    def vaste_lasten(self) -> list[tuple[str, Any, Any]]:
        return [(label, self[f"{last}_status"], self[f"{last}_achterstand"]) for last, label in VASTE_LASTEN.items()]


def _tekst(label: str, *, lang: bool = False, help_text: str = "") -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 4}) if lang else forms.TextInput()
    return forms.CharField(
        label=label, required=False, max_length=5000 if lang else 200, widget=widget, help_text=help_text
    )


def _bedrag(label: str) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=20, widget=forms.TextInput(attrs=BEDRAG_ATTRS))


for _lijst, (_sleutel, _label, _aantal) in LIJSTEN.items():
    for _i in range(_aantal):
        RapportageForm.base_fields[veldnaam(_lijst, _i, _sleutel)] = _tekst(f"{_label} {_i + 1}")
        RapportageForm.base_fields[veldnaam(_lijst, _i, "bedrag")] = _bedrag(f"{LIJST_LABELS[_lijst]} {_i + 1}")
RapportageForm.base_fields["geen_schulden"] = forms.BooleanField(label="De huurder heeft geen schulden", required=False)
for _last, _label in VASTE_LASTEN.items():
    RapportageForm.base_fields[f"{_last}_status"] = forms.ChoiceField(
        label=_label, required=False, choices=list(LAST_STATUSSEN.items()), widget=forms.RadioSelect
    )
    RapportageForm.base_fields[f"{_last}_achterstand"] = _bedrag(f"Achterstand {_label.lower()} (€)")
RapportageForm.base_fields["betalingsregelingen"] = _tekst(
    "Andere betalingsregelingen", lang=True, help_text="Vul 'geen' in als er geen andere regelingen zijn."
)
RapportageForm.base_fields["kan_betalen"] = forms.ChoiceField(
    label="Kan de huurder aan de reguliere betalingen voldoen?",
    required=False,
    choices=list(KAN_BETALEN.items()),
    widget=forms.RadioSelect,
)
RapportageForm.base_fields["kan_betalen_motivatie"] = _tekst("Motivatie van de inschatting", lang=True)
RapportageForm.base_fields["plan"] = forms.MultipleChoiceField(
    label="Vorm van ondersteuning",
    required=False,
    choices=list(PLANNEN.items()),
    widget=forms.CheckboxSelectMultiple,
    help_text="'Geen ondersteuning nodig' kiest u alleen, zonder andere vormen.",
)
RapportageForm.base_fields["ondersteuning"] = _tekst(
    "Plan van aanpak en benodigde ondersteuning",
    lang=True,
    help_text="Hoe komt de huurder tot herstel van de betalingsdiscipline, en welke ondersteuning is nodig?",
)
