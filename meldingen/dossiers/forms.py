"""Forms of the caseload: contact attempts, closing, reopening, handing back, assigning, work queues."""

from __future__ import annotations

from typing import Any

from django import forms

from meldingen.ddas import Contactsoort, Dagdeel, Eindresultaat
from meldpunt.core.forms import MeldpuntForm, keuzeveld, modelkeuzeveld
from meldpunt.core.models import Organisatie, User
from meldpunt.core.velden import bedrag_veld, datum_veld

from .services import MAX_REDEN
from .workflow import DossierStatus, MeldingType


class ContactpogingForm(MeldpuntForm):
    soort = forms.ChoiceField(label="Soort contact", choices=[("", "Kies de soort contact"), *Contactsoort.choices])
    datum = datum_veld("Datum")
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
    eindresultaat = forms.ChoiceField(
        label="Eindresultaat (DDAS)", choices=[("", "Kies een eindresultaat"), *Eindresultaat.choices]
    )


class HeropenenForm(MeldpuntForm):
    reden = forms.CharField(label="Reden voor heropenen", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class TeruggevenForm(MeldpuntForm):
    reden = forms.CharField(
        label="Waarom gaat het dossier terug naar de wachtrij?",
        max_length=MAX_REDEN,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bijvoorbeeld: buiten mijn werkgebied. Wordt versleuteld in de geschiedenis bewaard.",
    )


class MedewerkerKeuze(forms.ModelChoiceField):
    """People by name, not by username."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class ToewijzenForm(MeldpuntForm):
    behandelaar = MedewerkerKeuze(label="Behandelaar", queryset=User.objects.none(), empty_label="Kies een medewerker")

    def __init__(self, *args: Any, team: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        modelkeuzeveld(self, "behandelaar").queryset = team


class WerkbakForm(MeldpuntForm):
    naam = forms.CharField(label="Naam van het werkbakje", max_length=100)
    type = forms.ChoiceField(label="Soort", choices=[("", "VEO en EO"), *MeldingType.choices], required=False)
    alleen_minderjarigen = forms.BooleanField(label="Alleen huishoudens met minderjarige kinderen", required=False)
    bedrag_vanaf = bedrag_veld("Achterstand vanaf (euro)")
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
        modelkeuzeveld(self, "partner").queryset = Organisatie.objects.filter(
            convenant_deelnames__convenant__uitvoerder=organisatie
        ).distinct()


class TeamFilterForm(MeldpuntForm):
    """The filters of the team's overview (GET: the address of a filtered view can be shared)."""

    behandelaar = forms.ChoiceField(label="Behandelaar", required=False)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Alle open dossiers"), *DossierStatus.choices[:3]]
    )
    type = forms.ChoiceField(label="Soort", required=False, choices=[("", "VEO en EO"), *MeldingType.choices])

    def __init__(self, *args: Any, team: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keuzes = [("", "Iedereen"), (ZONDER_BEHANDELAAR, "Zonder behandelaar")]
        keuzes += [(str(u.pk), u.get_full_name() or u.username) for u in team]
        keuzeveld(self, "behandelaar").choices = keuzes


#: The behandelaar filter's value for dossiers nobody holds.
ZONDER_BEHANDELAAR = "geen"


class ZoekForm(MeldpuntForm):
    zoekterm = forms.CharField(
        label="Dossiernummer of referentie van de corporatie",
        max_length=100,
        help_text="Bijvoorbeeld 2026-0000123, of het contractnummer dat de corporatie opgaf. Ook afgesloten dossiers.",
    )
