from __future__ import annotations

from typing import Any

from django import forms

from meldpunt.core.forms import MeldpuntForm, MeldpuntFormMixin, modelkeuzeveld
from meldpunt.core.models import Organisatie, OrganisatieType
from meldpunt.core.velden import DatumInvoer

from .models import ConvenantParameters
from .services import PARAMETER_GRENZEN, TARIEF_VELDEN


def _organisaties(type: str) -> Any:
    return Organisatie.objects.filter(type=type, actief=True).order_by("naam")


class ConvenantForm(MeldpuntForm):
    naam = forms.CharField(label="Naam", max_length=200)
    slug = forms.SlugField(
        label="Korte naam", max_length=60, help_text="Wordt gebruikt in de API, bijvoorbeeld diemen."
    )
    gemeente = forms.ModelChoiceField(
        label="Gemeente", queryset=Organisatie.objects.none(), empty_label="Kies een gemeente"
    )
    uitvoerder = forms.ModelChoiceField(
        label="Uitvoerder", queryset=Organisatie.objects.none(), empty_label="Kies een uitvoerder"
    )
    partners = forms.ModelMultipleChoiceField(
        label="Partners (corporaties)", queryset=Organisatie.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    startdatum = forms.DateField(label="Ingangsdatum", widget=DatumInvoer())
    fg_email = forms.EmailField(label="E-mailadres FG van de gemeente", help_text="Bijvoorbeeld fg@diemen.nl.")
    looptijd_maanden = forms.IntegerField(label="Eerste looptijd (maanden)", initial=12)
    stilzwijgend_verlengen = forms.BooleanField(label="Stilzwijgend verlengen", required=False, initial=True)
    verlenging_maanden = forms.IntegerField(label="Verlenging telkens met (maanden)", initial=12)
    opzegtermijn_maanden = forms.IntegerField(label="Opzegtermijn (maanden)", initial=3)

    def __init__(self, *args: Any, wijzigen: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        modelkeuzeveld(self, "gemeente").queryset = _organisaties(OrganisatieType.GEMEENTE)
        modelkeuzeveld(self, "uitvoerder").queryset = _organisaties(OrganisatieType.UITVOERDER)
        modelkeuzeveld(self, "partners").queryset = _organisaties(OrganisatieType.PARTNER)
        if wijzigen:
            for vast in ("slug", "gemeente", "startdatum"):
                del self.fields[vast]


class OpzeggenForm(MeldpuntForm):
    opgezegd_op = forms.DateField(
        label="Opzegging ontvangen op",
        widget=DatumInvoer(),
        help_text="Het convenant eindigt aan het eind van de eerste termijn die de opzegtermijn respecteert.",
    )


class ParametersForm(MeldpuntFormMixin, forms.ModelForm):
    class Meta:
        model = ConvenantParameters
        fields = [*TARIEF_VELDEN, "btw_verschuldigd", *PARAMETER_GRENZEN]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for naam, (laag, hoog) in PARAMETER_GRENZEN.items():
            self.fields[naam].widget.attrs.update({"min": laag, "max": hoog})
            self.fields[naam].help_text = f"{laag} tot en met {hoog}."
        for naam in TARIEF_VELDEN:
            self.fields[naam].widget.attrs.update({"min": "0", "step": "0.01"})

    def _post_clean(self) -> None:
        """Rules live in the service; the model form only parses types."""
