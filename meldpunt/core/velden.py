"""Form fields for values people type in Dutch formats: dates and amounts in euro."""

from __future__ import annotations

from typing import Any

from django import forms


class DatumInvoer(forms.DateInput):
    """The browser's date picker. Its value is always ISO 8601 (``2026-12-01``), whatever the language: a value in
    the Dutch display format (``01-12-2026``) would make the browser show the field empty. The browser shows the
    date in the user's own format."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def datum_veld(label: str, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DatumInvoer(), **kwargs)


class BedragField(forms.DecimalField):
    """An amount in euro as people type it: 1300, 1300,00, 1.300,00, € 1.300,00 or 1300.00."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            tekst = value.replace("€", "").replace(" ", "").replace("\u00a0", "").strip()
            if "," in tekst:
                tekst = tekst.replace(".", "").replace(",", ".")
            elif tekst.count(".") == 1 and len(tekst.split(".")[1]) == 3:
                tekst = tekst.replace(".", "")  # 1.300 is one thousand three hundred
            value = tekst
        return super().to_python(value)


def bedrag_veld(label: str, help_text: str = "") -> forms.DecimalField:
    return BedragField(
        label=label,
        max_digits=12,
        decimal_places=2,
        help_text=help_text,
        error_messages={"invalid": "Vul een bedrag in, bijvoorbeeld 1.300,00."},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "utrecht-textbox--numeric"}),
    )
