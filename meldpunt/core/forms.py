"""Form helpers (NL Design System markup, accessible errors) and the forms of the core."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.forms.renderers import TemplatesSetting

from .exceptions import ApplicationError
from .invoercontrole import schone_tekst, schone_tekst_meerregelig
from .models import ROLLEN_PER_TYPE, Organisatie, OrganisatieType, Rol, User


def keuzeveld(form: forms.BaseForm, naam: str) -> forms.ChoiceField:
    """The form's choice field ``naam`` (typed, to set its choices)."""
    veld = form.fields[naam]
    assert isinstance(veld, forms.ChoiceField)
    return veld


def modelkeuzeveld(form: forms.BaseForm, naam: str) -> forms.ModelChoiceField:
    """The form's model choice field ``naam`` (typed, to set its queryset)."""
    veld = form.fields[naam]
    assert isinstance(veld, forms.ModelChoiceField)
    return veld


class MeldpuntFormRenderer(TemplatesSetting):
    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


_WIDGET_CLASSES = {
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom",
    forms.CheckboxSelectMultiple: "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom",
    forms.RadioSelect: "utrecht-radio-button utrecht-radio-button--html-input",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.SelectMultiple: "utrecht-select utrecht-select--html-select",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
}


class MeldpuntFormMixin:
    """Adds NL Design System classes to widgets and links error messages to their inputs.

    Required fields carry ``aria-required`` instead of the HTML ``required`` attribute: the browser would
    otherwise draw every required input as invalid before the user typed anything (``:invalid``). The
    server checks, and shows every error at once.
    """

    fields: dict[str, forms.Field]
    use_required_attribute = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = next(
                (c for klass, c in _WIDGET_CLASSES.items() if isinstance(widget, klass)),
                "utrecht-textbox utrecht-textbox--html-input",
            )
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if field.required and not isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                widget.attrs["aria-required"] = "true"
            if isinstance(field, forms.CharField) and not isinstance(widget, forms.PasswordInput):
                # Input hygiene (meldpunt/core/invoercontrole.py) on every text field of every form.
                meerregelig = isinstance(widget, forms.Textarea)
                controle = schone_tekst_meerregelig if meerregelig else schone_tekst
                if controle not in field.validators:
                    field.validators = [*field.validators, controle]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]  # a mixin: the form supplies full_clean
        self.markeer_ongeldig()

    def markeer_ongeldig(self) -> None:
        """Point each invalid input at its error message (WCAG 3.3.1) and flag it invalid."""
        for name in getattr(self, "_errors", None) or {}:
            if name not in self.fields:
                continue
            field = self.fields[name]
            auto_id = self[name].auto_id  # type: ignore[index]  # a mixin on a form
            ids = [f"{auto_id}_error"] + ([f"{auto_id}_helptext"] if field.help_text else [])
            field.widget.attrs["aria-describedby"] = " ".join(ids)
            field.widget.attrs["aria-invalid"] = "true"

    def apply_application_error(self, exc: ApplicationError) -> None:
        """Show a service's refusal on the form: per field where possible, else at the top."""
        velden = exc.field_errors()
        for name, messages in velden.items():
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, message)  # type: ignore[attr-defined]  # a mixin on a form
        if not velden:
            self.add_error(None, exc.message)  # type: ignore[attr-defined]  # a mixin on a form
        self.markeer_ongeldig()


class MeldpuntForm(MeldpuntFormMixin, forms.Form):
    pass


class InlogForm(MeldpuntForm):
    username = forms.CharField(
        label="Gebruikersnaam", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label="Wachtwoord", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class TokenForm(MeldpuntForm):
    token = forms.RegexField(
        label="Code uit uw authenticator-app",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Vul de 6 cijfers uit uw authenticator-app in."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": "6", "pattern": "[0-9]*"}
        ),
    )


class OrganisatieForm(MeldpuntForm):
    naam = forms.CharField(label="Naam", max_length=200)
    slug = forms.SlugField(
        label="Korte naam", max_length=60, help_text="Letters, cijfers en streepjes; wordt gebruikt in adressen."
    )
    type = forms.ChoiceField(label="Soort organisatie", choices=OrganisatieType.choices)


class OrganisatieWijzigForm(MeldpuntForm):
    naam = forms.CharField(label="Naam", max_length=200)
    actief = forms.BooleanField(
        label="Actief", required=False, help_text="Bij deactiveren kunnen de gebruikers niet meer inloggen."
    )
    # Invoice details (facturatie): optional; the service checks and normalises them.
    postadres = forms.CharField(
        label="Postadres (niet verplicht)", max_length=200, required=False, help_text="Straat en huisnummer of postbus."
    )
    postcode = forms.CharField(label="Postcode (niet verplicht)", max_length=10, required=False)
    plaats = forms.CharField(label="Plaats (niet verplicht)", max_length=100, required=False)
    kvk_nummer = forms.CharField(label="KvK-nummer (niet verplicht)", max_length=12, required=False)
    oin = forms.CharField(
        label="OIN (niet verplicht)", max_length=24, required=False, help_text="Organisatie-identificatienummer."
    )
    iban = forms.CharField(
        label="IBAN (niet verplicht)",
        max_length=42,
        required=False,
        help_text="Gemeente: het rekeningnummer op facturen.",
    )
    financieel_contact = forms.CharField(
        label="Financieel contactpersoon (niet verplicht)", max_length=200, required=False
    )
    financieel_email = forms.CharField(
        label="E-mailadres financiële administratie (niet verplicht)", max_length=254, required=False
    )


class GebruikerForm(MeldpuntForm):
    organisatie = forms.ModelChoiceField(
        label="Organisatie", queryset=Organisatie.objects.none(), empty_label="Kies een organisatie"
    )
    gebruikersnaam = forms.CharField(label="Gebruikersnaam", max_length=150)
    voornaam = forms.CharField(label="Voornaam", max_length=150)
    achternaam = forms.CharField(label="Achternaam", max_length=150)
    email = forms.EmailField(
        label="E-mailadres", help_text="Hierheen sturen we de uitnodiging om een wachtwoord te kiezen."
    )
    rollen = forms.MultipleChoiceField(label="Rollen", choices=Rol.choices, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, door: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if door.heeft_rol(Rol.PLATFORMBEHEER):
            modelkeuzeveld(self, "organisatie").queryset = Organisatie.objects.filter(actief=True)
        else:
            modelkeuzeveld(self, "organisatie").queryset = Organisatie.objects.filter(pk=door.organisatie_id)
            self.fields["organisatie"].initial = door.organisatie_id
            keuzeveld(self, "rollen").choices = [(r, Rol(r).label) for r in ROLLEN_PER_TYPE[door.organisatie.type]]


class GebruikerWijzigForm(MeldpuntForm):
    voornaam = forms.CharField(label="Voornaam", max_length=150)
    achternaam = forms.CharField(label="Achternaam", max_length=150)
    email = forms.EmailField(label="E-mailadres")
    rollen = forms.MultipleChoiceField(label="Rollen", choices=Rol.choices, widget=forms.CheckboxSelectMultiple)
    actief = forms.BooleanField(label="Actief", required=False)

    def __init__(self, *args: Any, gebruiker: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keuzeveld(self, "rollen").choices = [(r, Rol(r).label) for r in ROLLEN_PER_TYPE[gebruiker.organisatie.type]]


class WachtwoordKiezenForm(MeldpuntFormMixin, SetPasswordForm):
    pass
