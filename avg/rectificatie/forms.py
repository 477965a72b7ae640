"""The correction form: the tenant's current data, to be corrected where the requester showed it is wrong."""

from __future__ import annotations

from typing import Any

from django import forms

from meldingen.intake.validatie import MAX_LENGTE
from meldingen.rectificatie.services import RECTIFICEERBAAR
from meldpunt.core.forms import MeldpuntForm
from meldpunt.core.velden import DatumInvoer

LABELS = {
    "huurder.achternaam": "Achternaam",
    "huurder.voornamen": "Voornamen",
    "huurder.voorletters": "Voorletters",
    "huurder.geboortedatum": "Geboortedatum",
    "huurder.telefoon": "Telefoonnummer",
    "huurder.email": "E-mailadres",
    "adres.straat": "Straat",
    "adres.huisnummer": "Huisnummer",
    "adres.toevoeging": "Toevoeging",
    "adres.postcode": "Postcode",
    "adres.woonplaats": "Woonplaats",
}


def veldnaam(pad: str) -> str:
    return pad.split(".")[-1]


class RectificatieForm(MeldpuntForm):
    def __init__(self, *args: Any, huidig: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, initial={veldnaam(p): w for p, w in huidig.items()}, **kwargs)
        self.huidig = huidig
        for pad in RECTIFICEERBAAR:
            label = LABELS.get(pad, veldnaam(pad))
            if pad == "huurder.geboortedatum":
                veld: forms.Field = forms.DateField(label=label, widget=DatumInvoer(), required=False)
            else:
                veld = forms.CharField(label=label, required=False, max_length=MAX_LENGTE.get(pad, 20))
            self.fields[veldnaam(pad)] = veld
        self.fields["toelichting"] = forms.CharField(
            label="Toelichting (zonder persoonsgegevens)",
            max_length=200,
            required=False,
            help_text="Bijvoorbeeld: naam volgens het paspoort; verhuisd per 1 maart.",
        )

    def wijzigingen(self) -> dict[str, Any]:
        """Only the fields whose value differs from the current one."""
        uit = {}
        for pad in RECTIFICEERBAAR:
            nieuw = self.cleaned_data.get(veldnaam(pad))
            oud = self.huidig.get(pad)
            if pad == "huurder.geboortedatum":
                oud_tekst = oud or ""
                if (nieuw.isoformat() if nieuw else "") != oud_tekst:
                    uit[pad] = nieuw
            elif str(nieuw or "").strip() != str(oud if oud is not None else "").strip():
                uit[pad] = nieuw
        return uit
