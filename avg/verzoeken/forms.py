"""Forms of the contactpunt's request pages."""

from __future__ import annotations

from django import forms

from meldpunt.core.forms import MeldpuntForm
from meldpunt.core.velden import DatumInvoer

from .models import IdentiteitMethode, VerzoekKanaal, VerzoekSoort
from .services import MAX_TEKST

LEEG = [("", "Kies …")]


class VerzoekForm(MeldpuntForm):
    ontvangen_op = forms.DateField(label="Ontvangen op", widget=DatumInvoer())
    kanaal = forms.ChoiceField(label="Hoe kwam het verzoek binnen", choices=LEEG + list(VerzoekKanaal.choices))
    soorten = forms.MultipleChoiceField(
        label="Soort verzoek", choices=VerzoekSoort.choices, widget=forms.CheckboxSelectMultiple
    )
    achternaam = forms.CharField(label="Achternaam betrokkene", max_length=200)
    voornamen = forms.CharField(label="Voornamen (niet verplicht)", max_length=200, required=False)
    geboortedatum = forms.DateField(label="Geboortedatum", widget=DatumInvoer())
    postcode = forms.CharField(label="Postcode (niet verplicht)", max_length=10, required=False)
    huisnummer = forms.CharField(label="Huisnummer (niet verplicht)", max_length=10, required=False)
    toevoeging = forms.CharField(label="Toevoeging (niet verplicht)", max_length=10, required=False)
    email = forms.EmailField(label="E-mailadres (niet verplicht)", required=False)
    door_vertegenwoordiger = forms.BooleanField(
        label="Ingediend door een gemachtigde vertegenwoordiger", required=False
    )
    vertegenwoordiger = forms.CharField(
        label="Vertegenwoordiger en machtiging (niet verplicht)",
        max_length=MAX_TEKST,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class IdentiteitForm(MeldpuntForm):
    methode = forms.ChoiceField(label="Methode", choices=IdentiteitMethode.choices, widget=forms.RadioSelect)
    vastgesteld_op = forms.DateField(label="Vastgesteld op", widget=DatumInvoer())
    kopie_vernietigd = forms.BooleanField(
        label="De kopie van het identiteitsbewijs is na de controle vernietigd (niet verplicht)", required=False
    )


class VerlengingForm(MeldpuntForm):
    verlengd_tot = forms.DateField(label="Nieuwe uiterste datum", widget=DatumInvoer())
    reden = forms.CharField(
        label="Redenen (komen in de brief aan de verzoeker)",
        max_length=MAX_TEKST,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VerlengingVerzondenForm(MeldpuntForm):
    verzonden_op = forms.DateField(label="Brief verzonden op", widget=DatumInvoer())


class ZoekForm(MeldpuntForm):
    achternaam = forms.CharField(label="Achternaam (niet verplicht)", max_length=200, required=False)
    geboortedatum = forms.DateField(label="Geboortedatum (niet verplicht)", widget=DatumInvoer(), required=False)
    postcode = forms.CharField(label="Postcode (niet verplicht)", max_length=10, required=False)
    huisnummer = forms.CharField(label="Huisnummer (niet verplicht)", max_length=10, required=False)
    toevoeging = forms.CharField(label="Toevoeging (niet verplicht)", max_length=10, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not (
            (data.get("achternaam") and data.get("geboortedatum")) or (data.get("postcode") and data.get("huisnummer"))
        ):
            raise forms.ValidationError("Vul achternaam en geboortedatum in, of postcode en huisnummer.")
        return data


class VerklaringForm(MeldpuntForm):
    verklaring = forms.CharField(
        label="Eigen verklaring van de huurder", max_length=MAX_TEKST, widget=forms.Textarea(attrs={"rows": 3})
    )
