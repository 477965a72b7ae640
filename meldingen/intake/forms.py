"""The browser form for one melding: every field of API.md, grouped, with Dutch labels."""

from __future__ import annotations

from typing import Any

from django import forms

from convenants.selectors import convenant_list_actief_voor_melder
from meldingen.dossiers.workflow import MeldingType
from meldpunt.core.forms import MeldpuntForm, keuzeveld
from meldpunt.core.models import User
from meldpunt.core.velden import bedrag_veld, datum_veld

from .validatie import MeldingInvoer, plat


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
    geboortedatum = datum_veld("Geboortedatum")
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

    achterstand_bedrag = bedrag_veld("Achterstand (euro)", "Bijvoorbeeld 1.300,00.")
    achterstand_maanden = forms.IntegerField(label="Achterstand in maanden", min_value=1, max_value=120)
    herhaald = forms.BooleanField(
        label="Herhaalde achterstand", required=False, help_text="Dan is 1 maand achterstand voldoende."
    )
    maandhuur = bedrag_veld("Maandhuur (euro)")

    herinnering_op = datum_veld("Schriftelijke herinnering verstuurd op")
    contactpoging_op = datum_veld("Persoonlijk contact geprobeerd op")
    informatie_doorgifte_op = datum_veld(
        "Huurder geïnformeerd over doorgifte op", help_text="Informatieplicht van de partner (art. 6 en 8.6)."
    )

    vonnisdatum = datum_veld("Datum vonnis", required=False, help_text="Alleen bij EO.")
    ontruimingsdatum = datum_veld("Ontruimingsdatum", required=False, help_text="Alleen bij EO.")

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
        keuzes = [(c.slug, c.naam) for c in convenanten]
        keuzeveld(self, "convenant").choices = keuzes
        if len(keuzes) == 1:
            self.fields["convenant"].initial = keuzes[0][0]

    def groepen(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(titel, [self[naam] for naam in namen]) for titel, namen in self.GROEPEN]

    def invoer(self) -> MeldingInvoer:
        """What parsed, as intake's input (fields with a form error are None)."""
        d = self.cleaned_data  # a field that did not parse is missing: empty
        return MeldingInvoer(
            convenant=d.get("convenant", ""),
            type=d.get("type", ""),
            referentie=d.get("referentie", ""),
            achternaam=d.get("achternaam", ""),
            voornamen=d.get("voornamen", ""),
            voorletters=d.get("voorletters", ""),
            geboortedatum=d.get("geboortedatum"),
            telefoon=d.get("telefoon", ""),
            email=d.get("email", ""),
            straat=d.get("straat", ""),
            huisnummer=d.get("huisnummer"),
            toevoeging=d.get("toevoeging", ""),
            postcode=d.get("postcode", ""),
            woonplaats=d.get("woonplaats", ""),
            minderjarige_kinderen=d.get("minderjarige_kinderen"),
            bedrag=d.get("achterstand_bedrag"),
            maanden=d.get("achterstand_maanden"),
            herhaald=d.get("herhaald", False),
            maandhuur=d.get("maandhuur"),
            herinnering_op=d.get("herinnering_op"),
            contactpoging_op=d.get("contactpoging_op"),
            informatie_doorgifte_op=d.get("informatie_doorgifte_op"),
            vonnisdatum=d.get("vonnisdatum"),
            ontruimingsdatum=d.get("ontruimingsdatum"),
            eo_opgegeven=False,
        )

    def domeinfouten_tonen(self, fouten: dict[str, list[str]]) -> None:
        """Show the domain rules' errors per field, except where the field's own error already says it."""
        for pad, berichten in fouten.items():
            veld = plat(pad)
            if veld in self.errors:
                continue
            for bericht in berichten:
                self.add_error(veld if veld in self.fields else None, bericht)
        self.markeer_ongeldig()
