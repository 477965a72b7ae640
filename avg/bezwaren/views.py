"""The bezwaar page of the contactpunt (the FG reads along) and a participant's reaction to a bezwaar."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol
from meldpunt.core.permissions import IngelogdVerzoek, RolVereistMixin

from ..raadpleging.selectors import DEELNEMER_ROLLEN
from .forms import AfzienForm, BeslissingForm, GehoordForm, HoorzittingForm, ReactieForm
from .models import Belanghebbende, Bezwaar
from .selectors import (
    belanghebbenden_van,
    bezwaar_get,
    uitnodiging_voor_deelnemer_get,
    verslag,
    wacht_op,
    zienswijze,
)
from .services import (
    belanghebbende_reageren,
    bezwaar_beslissen,
    hoorzitting_plannen,
    hoorzitting_vastleggen,
    horen_afzien,
)

ACTIES = {"plannen": HoorzittingForm, "gehoord": GehoordForm, "afzien": AfzienForm, "beslissen": BeslissingForm}


class BezwaarDetailView(RolVereistMixin, View):
    rollen = (Rol.CONTACTPUNT, Rol.FG)
    template_name = "avg/bezwaren/detail.html"

    def context(self, request: IngelogdVerzoek, bezwaar: Bezwaar, **formulieren: Any) -> dict[str, Any]:
        ctx: dict[str, Any] = {
            "bezwaar": bezwaar,
            "verzoek": bezwaar.verzoek,
            "belanghebbenden": [(b, zienswijze(b)) for b in belanghebbenden_van(bezwaar)],
            "verslag": verslag(bezwaar=bezwaar, gebruiker=request.user),
            "wacht_op": wacht_op(bezwaar) if bezwaar.open else [],
            "is_contactpunt": request.user.heeft_rol(Rol.CONTACTPUNT),
            "vandaag": timezone.localdate(),
        }
        for naam, klasse in ACTIES.items():
            initial = {}
            if naam == "plannen" and bezwaar.hoorzitting_op:
                initial = {"op": bezwaar.hoorzitting_op, "plaats": bezwaar.hoorzitting_plaats}
            ctx[f"{naam}_form"] = formulieren.get(naam) or klasse(prefix=naam, initial=initial)
        return ctx

    def get(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        bezwaar = bezwaar_get(user=request.user, pk=pk)
        return render(request, self.template_name, self.context(request, bezwaar))

    def post(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        bezwaar = bezwaar_get(user=request.user, pk=pk)
        actie = request.POST.get("actie", "")
        if not request.user.heeft_rol(Rol.CONTACTPUNT) or actie not in ACTIES:
            messages.error(request, "Alleen het contactpunt behandelt het bezwaar.")
            return redirect("bezwaren:detail", pk=bezwaar.pk)
        form = ACTIES[actie](request.POST, prefix=actie)
        if form.is_valid():
            d = form.cleaned_data
            try:
                if actie == "plannen":
                    hoorzitting_plannen(bezwaar=bezwaar, door=request.user, op=d["op"], plaats=d["plaats"])
                    messages.success(request, "De hoorzitting is gepland; wie gehoord wil worden, krijgt bericht.")
                elif actie == "gehoord":
                    hoorzitting_vastleggen(
                        bezwaar=bezwaar, door=request.user, gehoord_op=d["gehoord_op"], verslag=d["verslag"]
                    )
                    messages.success(request, "De hoorzitting is vastgelegd.")
                elif actie == "afzien":
                    horen_afzien(bezwaar=bezwaar, door=request.user, grond=d["grond"])
                    messages.success(request, "Vastgelegd dat van horen wordt afgezien.")
                else:
                    bezwaar_beslissen(
                        bezwaar=bezwaar, door=request.user, uitkomst=d["uitkomst"], beslist_op=d["beslist_op"]
                    )
                    messages.success(request, "De beslissing op bezwaar is vastgelegd.")
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                return redirect("bezwaren:detail", pk=bezwaar.pk)
        bezwaar = bezwaar_get(user=request.user, pk=pk)
        return render(request, self.template_name, self.context(request, bezwaar, **{actie: form}), status=400)


class ReactieView(RolVereistMixin, View):
    """A participant told of a bezwaar: whether it wants to be heard, and its written view."""

    rollen = DEELNEMER_ROLLEN
    template_name = "avg/bezwaren/reactie.html"

    def _render(
        self, request: IngelogdVerzoek, b: Belanghebbende, form: ReactieForm, status: int = 200
    ) -> HttpResponse:
        return render(request, self.template_name, {"b": b, "form": form, "zienswijze": zienswijze(b)}, status=status)

    def get(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        b = uitnodiging_voor_deelnemer_get(user=request.user, pk=pk)
        return self._render(request, b, ReactieForm())

    def post(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        b = uitnodiging_voor_deelnemer_get(user=request.user, pk=pk)
        form = ReactieForm(request.POST)
        if form.is_valid():
            try:
                belanghebbende_reageren(
                    belanghebbende=b,
                    door=request.user,
                    wil_gehoord_worden=form.cleaned_data["wil_gehoord_worden"],
                    zienswijze=form.cleaned_data["zienswijze"],
                )
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(request, f"Uw reactie op het bezwaar bij {b.bezwaar.verzoek.nummer} is vastgelegd.")
                return redirect("raadpleging:list")
        return self._render(request, b, form, status=400)
