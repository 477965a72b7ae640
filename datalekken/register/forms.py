"""Forms of the breach register: the short first report, completing the register, and the FG's decisions."""

from __future__ import annotations

from typing import Any

from django import forms

from convenants.models import Convenant
from meldpunt.core.forms import MeldpuntForm

from .inhoud import VELDEN
from .workflow import Aard, ApBesluit, ApMeldingSoort, BetrokkenenBesluit, Categorie, Oorzaak, Soort, Versleuteling

TIJDSTIP_FORMATEN = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d-%m-%Y %H:%M"]
JA_NEE = [("", "Nog onbekend"), ("ja", "Ja"), ("nee", "Nee")]


def tijdstip_veld(label: str, *, required: bool = True, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=TIJDSTIP_FORMATEN,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def tekst_veld(
    label: str, veld: str, *, required: bool = False, rijen: int = 3, help_text: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=VELDEN[veld],
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rijen}),
    )


def ja_nee(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=JA_NEE,
        required=False,
        coerce=lambda v: {"ja": True, "nee": False}.get(v),
        empty_value=None,
    )


class MeldenForm(MeldpuntForm):
    omschrijving = tekst_veld(
        "Wat is er gebeurd?",
        "omschrijving",
        required=True,
        help_text="Kort en zonder namen van betrokkenen, bijvoorbeeld: brief met huurachterstand naar verkeerd adres.",
    )
    ontdekt_op = tijdstip_veld("Wanneer ontdekt (datum en tijd)")
    convenanten = forms.ModelMultipleChoiceField(
        label="Binnen welk convenant", queryset=Convenant.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    soort = forms.MultipleChoiceField(label="Soort datalek", choices=Soort.choices, widget=forms.CheckboxSelectMultiple)
    contact_naam = forms.CharField(label="Uw naam (contactpersoon)", max_length=VELDEN["contact_naam"])
    contact_telefoon = forms.CharField(label="Uw telefoonnummer", max_length=VELDEN["contact_telefoon"])
    contact_email = forms.EmailField(label="Uw e-mailadres", required=False, max_length=VELDEN["contact_email"])

    def __init__(self, *args: Any, convenanten: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        veld = self.fields["convenanten"]
        assert isinstance(veld, forms.ModelMultipleChoiceField)
        veld.queryset = convenanten


class AanvullenForm(MeldpuntForm):
    omschrijving = tekst_veld("Wat is er gebeurd?", "omschrijving", required=True, rijen=4)
    systeem = forms.CharField(label="In welk systeem of welke toepassing", required=False, max_length=VELDEN["systeem"])
    soort = forms.MultipleChoiceField(label="Soort datalek", choices=Soort.choices, widget=forms.CheckboxSelectMultiple)
    aard = forms.MultipleChoiceField(
        label="Wat is er met de gegevens gebeurd",
        choices=Aard.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    oorzaak = forms.ChoiceField(label="Oorzaak", choices=[("", ""), *list(Oorzaak.choices)], required=False)
    periode_van = tijdstip_veld("Begin van de periode", required=False)
    periode_tot = tijdstip_veld("Einde van de periode", required=False)
    voortdurend = ja_nee("Duurt het datalek nog voort?")
    categorieen = forms.MultipleChoiceField(
        label="Soorten persoonsgegevens", choices=Categorie.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    aantal_min = forms.IntegerField(label="Aantal betrokkenen: minimaal", min_value=0, required=False)
    aantal_max = forms.IntegerField(label="Aantal betrokkenen: maximaal", min_value=0, required=False)
    groepen = tekst_veld(
        "Om welke groep personen gaat het", "groepen", help_text="Bijvoorbeeld huurders met een achterstand."
    )
    betreft_kinderen = ja_nee("Gaat het (ook) om kinderen?")
    betreft_kwetsbaren = ja_nee("Gaat het (ook) om andere kwetsbare groepen?")
    contactgegevens_bekend = ja_nee("Zijn de contactgegevens van de betrokkenen bekend?")
    versleuteling = forms.ChoiceField(
        label="Waren de gegevens versleuteld of anders onleesbaar?",
        choices=[("", ""), *list(Versleuteling.choices)],
        required=False,
    )
    gevolgen = tekst_veld("Mogelijke gevolgen voor de betrokkenen", "gevolgen")
    maatregelen_genomen = tekst_veld("Genomen maatregelen", "maatregelen_genomen")
    maatregelen_gepland = tekst_veld("Geplande maatregelen", "maatregelen_gepland")
    organisatieonderdeel = forms.CharField(label="Organisatieonderdeel van de gemeente", required=False, max_length=200)
    contact_naam = forms.CharField(label="Contactpersoon", max_length=VELDEN["contact_naam"])
    contact_telefoon = forms.CharField(label="Telefoonnummer contactpersoon", max_length=VELDEN["contact_telefoon"])
    contact_email = forms.EmailField(
        label="E-mailadres contactpersoon", required=False, max_length=VELDEN["contact_email"]
    )


class AanvullenFgForm(AanvullenForm):
    fg_geinformeerd_op = tijdstip_veld(
        "Verwerkingsverantwoordelijke (FG) geïnformeerd op",
        help_text="Het begin van de termijn van 72 uur: wanneer de gemeente van het datalek wist.",
    )


class KoppelenForm(MeldpuntForm):
    nummers = forms.CharField(label="Dossiernummers", max_length=2000, help_text="Gescheiden door komma's.")


class NotitieForm(MeldpuntForm):
    notitie = forms.CharField(label="Notitie", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class ApBesluitForm(MeldpuntForm):
    besluit = forms.ChoiceField(
        label="Melden aan de Autoriteit Persoonsgegevens", choices=ApBesluit.choices, widget=forms.RadioSelect
    )
    risicobeoordeling = tekst_veld("Risicobeoordeling", "risicobeoordeling", required=True)
    reden = tekst_veld("Reden om niet te melden", "reden_ap", help_text="Verplicht als u besluit niet te melden.")
    reden_te_laat = tekst_veld(
        "Reden van de vertraging", "reden_te_laat", help_text="Verplicht na de termijn van 72 uur."
    )


class ApMeldingForm(MeldpuntForm):
    soort = forms.ChoiceField(label="Soort melding", choices=[("", ""), *list(ApMeldingSoort.choices)])
    referentie = forms.CharField(label="Meldnummer van de AP", max_length=60)
    gemeld_op = tijdstip_veld("Gemeld op")
    reden_te_laat = tekst_veld(
        "Reden van de vertraging", "reden_te_laat", help_text="Verplicht na de termijn van 72 uur."
    )


class BetrokkenenForm(MeldpuntForm):
    besluit = forms.ChoiceField(
        label="De betrokkenen informeren", choices=BetrokkenenBesluit.choices, widget=forms.RadioSelect
    )
    reden = tekst_veld("Reden", "reden_betrokkenen", required=True)


class AfsluitenForm(MeldpuntForm):
    evaluatie = tekst_veld("Evaluatie", "evaluatie", required=True, rijen=4)
