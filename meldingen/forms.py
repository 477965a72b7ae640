"""The browser form for one melding: every field of API.md, grouped, with Dutch labels."""

from __future__ import annotations

from typing import Any

from django import forms

from convenants.selectors import convenant_list_actief_voor_melder
from meldpunt.core.forms import MeldpuntForm
from meldpunt.core.models import Organisatie, User

from .ddas import Contactsoort, Dagdeel, Eindresultaat
from .validatie import MeldingInvoer
from .workflow import MeldingType


def _datum(label: str, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


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


def _bedrag(label: str, help_text: str = "") -> forms.DecimalField:
    return BedragField(
        label=label,
        max_digits=12,
        decimal_places=2,
        help_text=help_text,
        error_messages={"invalid": "Vul een bedrag in, bijvoorbeeld 1.300,00."},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "utrecht-textbox--numeric"}),
    )


class MeldingForm(MeldpuntForm):
    convenant = forms.ChoiceField(label="Convenant")
    type = forms.ChoiceField(
        label="Soort melding", choices=MeldingType.choices, widget=forms.RadioSelect, initial=MeldingType.VEO
    )
    referentie = forms.CharField(label="Referentie (uw contractnummer)", max_length=100)

    achternaam = forms.CharField(
        label="Achternaam", max_length=200, help_text="Inclusief tussenvoegsel, bijvoorbeeld van der Berg."
    )
    voornamen = forms.CharField(label="Voornamen", max_length=200, required=False)
    voorletters = forms.CharField(
        label="Voorletters", max_length=20, required=False, help_text="Vul voornamen of voorletters in."
    )
    geboortedatum = _datum("Geboortedatum")
    telefoon = forms.CharField(
        label="Telefoonnummer",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label="E-mailadres", required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )

    straat = forms.CharField(label="Straat", max_length=200)
    huisnummer = forms.IntegerField(label="Huisnummer", min_value=1, max_value=99999)
    toevoeging = forms.CharField(label="Toevoeging", max_length=10, required=False)
    postcode = forms.CharField(label="Postcode", max_length=7, help_text="Bijvoorbeeld 1111 AB.")
    woonplaats = forms.CharField(label="Woonplaats", max_length=100)

    minderjarige_kinderen = forms.IntegerField(
        label="Aantal minderjarige kinderen", min_value=0, max_value=20, initial=0
    )

    achterstand_bedrag = _bedrag("Achterstand (euro)", "Bijvoorbeeld 1.300,00.")
    achterstand_maanden = forms.IntegerField(label="Achterstand in maanden", min_value=1, max_value=120)
    herhaald = forms.BooleanField(
        label="Herhaalde achterstand", required=False, help_text="Dan is 1 maand achterstand voldoende."
    )
    maandhuur = _bedrag("Maandhuur (euro)")

    herinnering_op = _datum("Schriftelijke herinnering verstuurd op")
    contactpoging_op = _datum("Persoonlijk contact geprobeerd op")
    informatie_doorgifte_op = _datum(
        "Huurder geïnformeerd over doorgifte op", help_text="Informatieplicht van de partner (art. 6 en 8.6)."
    )

    vonnisdatum = _datum("Datum vonnis", required=False, help_text="Alleen bij EO.")
    ontruimingsdatum = _datum("Ontruimingsdatum", required=False, help_text="Alleen bij EO.")

    GROEPEN = [
        ("Melding", ["convenant", "type", "referentie"]),
        ("Huurder", ["achternaam", "voornamen", "voorletters", "geboortedatum", "telefoon", "email"]),
        ("Adres", ["straat", "huisnummer", "toevoeging", "postcode", "woonplaats"]),
        ("Huishouden", ["minderjarige_kinderen"]),
        ("Achterstand", ["achterstand_bedrag", "achterstand_maanden", "herhaald", "maandhuur"]),
        ("Voortraject", ["herinnering_op", "contactpoging_op", "informatie_doorgifte_op"]),
        ("Eropaf (EO): na vonnis", ["vonnisdatum", "ontruimingsdatum"]),
    ]

    def __init__(self, *args: Any, gebruiker: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        convenanten = convenant_list_actief_voor_melder(user=gebruiker).order_by("naam")
        self.fields["convenant"].choices = [(c.slug, c.naam) for c in convenanten]
        if len(self.fields["convenant"].choices) == 1:
            self.fields["convenant"].initial = self.fields["convenant"].choices[0][0]

    def groepen(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(titel, [self[naam] for naam in namen]) for titel, namen in self.GROEPEN]

    def invoer(self) -> MeldingInvoer:
        d = self.cleaned_data
        return MeldingInvoer(
            convenant=d["convenant"],
            type=d["type"],
            referentie=d["referentie"],
            achternaam=d["achternaam"],
            voornamen=d["voornamen"],
            voorletters=d["voorletters"],
            geboortedatum=d["geboortedatum"],
            telefoon=d["telefoon"],
            email=d["email"],
            straat=d["straat"],
            huisnummer=d["huisnummer"],
            toevoeging=d["toevoeging"],
            postcode=d["postcode"],
            woonplaats=d["woonplaats"],
            minderjarige_kinderen=d["minderjarige_kinderen"],
            bedrag=d["achterstand_bedrag"],
            maanden=d["achterstand_maanden"],
            herhaald=d["herhaald"],
            maandhuur=d["maandhuur"],
            herinnering_op=d["herinnering_op"],
            contactpoging_op=d["contactpoging_op"],
            informatie_doorgifte_op=d["informatie_doorgifte_op"],
            vonnisdatum=d["vonnisdatum"],
            ontruimingsdatum=d["ontruimingsdatum"],
            eo_opgegeven=False,
        )


class ContactpogingForm(MeldpuntForm):
    soort = forms.ChoiceField(label="Soort contact", choices=Contactsoort.choices)
    datum = _datum("Datum")
    dagdeel = forms.ChoiceField(label="Dagdeel", choices=Dagdeel.choices, widget=forms.RadioSelect)
    bereikt = forms.TypedChoiceField(
        label="Huurder bereikt?",
        choices=[("ja", "Ja"), ("nee", "Nee")],
        coerce=lambda v: v == "ja",
        widget=forms.RadioSelect,
    )
    notitie = forms.CharField(
        label="Notitie", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AfsluitenForm(MeldpuntForm):
    eindresultaat = forms.ChoiceField(label="Eindresultaat (DDAS)", choices=Eindresultaat.choices)


class HeropenenForm(MeldpuntForm):
    reden = forms.CharField(label="Reden voor heropenen", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ToewijzenForm(MeldpuntForm):
    behandelaar = forms.ModelChoiceField(label="Behandelaar", queryset=User.objects.none(), empty_label="Kies")

    def __init__(self, *args: Any, team: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["behandelaar"].queryset = team


class WerkbakForm(MeldpuntForm):
    naam = forms.CharField(label="Naam van het werkbakje", max_length=100)
    type = forms.ChoiceField(label="Soort", choices=[("", "VEO en EO"), *MeldingType.choices], required=False)
    alleen_minderjarigen = forms.BooleanField(label="Alleen huishoudens met minderjarige kinderen", required=False)
    bedrag_vanaf = _bedrag("Achterstand vanaf (euro)")
    postcode_van = forms.IntegerField(label="Postcode van (4 cijfers)", required=False, min_value=1000, max_value=9999)
    postcode_tot = forms.IntegerField(
        label="Postcode tot en met (4 cijfers)", required=False, min_value=1000, max_value=9999
    )
    alleen_herhaald = forms.BooleanField(label="Alleen herhaalde signalen", required=False)
    partner = forms.ModelChoiceField(
        label="Partner", queryset=Organisatie.objects.none(), required=False, empty_label="Alle"
    )

    def __init__(self, *args: Any, organisatie: Organisatie, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bedrag_vanaf"].required = False
        self.fields["partner"].queryset = Organisatie.objects.filter(
            convenant_deelnames__convenant__uitvoerder=organisatie
        ).distinct()
