"""Reporting a breach (two steps), its page with the clocks, decisions and progress logbook, and the letters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from convenants.selectors import convenant_list
from meldpunt.audit.services import logregel_voor_request
from meldpunt.core.downloads import bijlage
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.forms import MeldpuntForm
from meldpunt.core.models import Rol
from meldpunt.core.permissions import IngelogdVerzoek, RolVereistMixin
from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.services import versleuteld_bestand_lezen

from ..doelen import DOEL_DATALEK
from ..termijnen.klok import afteltekst
from . import besluiten, services
from .brieven import brieven_stand
from .forms import (
    AanvullenFgForm,
    AanvullenForm,
    AfsluitenForm,
    ApBesluitForm,
    ApMeldingForm,
    BetrokkenenForm,
    KoppelenForm,
    MeldenForm,
    NotitieForm,
)
from .inhoud import inhoud_lezen, notitie_lezen
from .klokken import ap_termijn, verwerker_termijn
from .selectors import datalek_get
from .toegang import MELDERS, is_fg_van, mag_aanvullen, mag_dossiers_koppelen
from .workflow import DatalekStatus


class DatalekMeldenView(RolVereistMixin, View):
    """Step 1: the short report. Step 2 is completing the register (:class:`DatalekAanvullenView`)."""

    rollen = MELDERS
    template_name = "datalekken/register/melden.html"

    def _form(self, request: IngelogdVerzoek, data: Any = None) -> MeldenForm:
        convenanten = convenant_list(user=request.user)
        initial: dict[str, Any] = {"contact_naam": request.user.get_full_name(), "contact_email": request.user.email}
        if convenanten.count() == 1:
            initial["convenanten"] = list(convenanten)
        return MeldenForm(data, convenanten=convenanten, initial=initial)

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        return render(request, self.template_name, {"form": self._form(request)})

    def post(self, request: IngelogdVerzoek) -> HttpResponse:
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                datalek = services.datalek_melden(door=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(
                    request, f"Datalek {datalek.nummer} is gemeld en de FG is gewaarschuwd. Vul aan wat u verder weet."
                )
                return redirect("datalekken:aanvullen", pk=datalek.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class DatalekAanvullenView(RolVereistMixin, View):
    rollen = MELDERS
    template_name = "datalekken/register/aanvullen.html"

    def _initial(self, datalek: Any) -> dict[str, Any]:
        teksten = inhoud_lezen(datalek)
        initial = {veld: getattr(datalek, veld) for veld in services.REGISTER_VELDEN} | teksten
        for veld in ("voortdurend", "betreft_kinderen", "betreft_kwetsbaren", "contactgegevens_bekend"):
            initial[veld] = {True: "ja", False: "nee"}.get(initial[veld], "")
        initial["fg_geinformeerd_op"] = timezone.localtime(datalek.fg_geinformeerd_op)
        for veld in ("periode_van", "periode_tot"):
            if initial[veld]:
                initial[veld] = timezone.localtime(initial[veld])
        return initial

    def _klasse(self, request: IngelogdVerzoek, datalek: Any) -> type[AanvullenForm]:
        return AanvullenFgForm if is_fg_van(request.user, datalek) else AanvullenForm

    def _datalek(self, request: IngelogdVerzoek, pk: int) -> Any:
        datalek = datalek_get(user=request.user, pk=pk)
        if datalek.status != DatalekStatus.OPEN or not mag_aanvullen(request.user, datalek):
            raise Http404
        return datalek

    def get(self, request: IngelogdVerzoek, pk: int) -> HttpResponse:
        datalek = self._datalek(request, pk)
        form = self._klasse(request, datalek)(initial=self._initial(datalek))
        logregel_voor_request(request, actie="bekijken", obj=datalek, doel=DOEL_DATALEK)
        return render(request, self.template_name, {"datalek": datalek, "form": form})

    def post(self, request: IngelogdVerzoek, pk: int) -> HttpResponse:
        datalek = self._datalek(request, pk)
        form = self._klasse(request, datalek)(request.POST)
        if form.is_valid():
            try:
                services.datalek_aanvullen(datalek=datalek, door=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(request, "Het register is bijgewerkt.")
                return redirect("datalekken:detail", pk=datalek.pk)
        return render(request, self.template_name, {"datalek": datalek, "form": form}, status=400)


def _acties(
    request: IngelogdVerzoek, datalek: Any
) -> dict[str, tuple[type[MeldpuntForm], Callable[[dict[str, Any]], Any]]]:
    door = request.user
    return {
        "koppelen": (KoppelenForm, lambda d: services.datalek_dossiers_koppelen(datalek=datalek, door=door, **d)),
        "notitie": (NotitieForm, lambda d: services.voortgang_toevoegen(datalek=datalek, door=door, **d)),
        "ap_besluit": (ApBesluitForm, lambda d: besluiten.datalek_ap_besluiten(datalek=datalek, door=door, **d)),
        "ap_melding": (ApMeldingForm, lambda d: besluiten.ap_melding_vastleggen(datalek=datalek, door=door, **d)),
        "betrokkenen": (
            BetrokkenenForm,
            lambda d: besluiten.datalek_betrokkenen_besluiten(datalek=datalek, door=door, **d),
        ),
        "afsluiten": (AfsluitenForm, lambda d: services.datalek_afsluiten(datalek=datalek, door=door, **d)),
    }


class DatalekDetailView(RolVereistMixin, View):
    rollen = MELDERS
    template_name = "datalekken/register/detail.html"

    def _render(self, request: IngelogdVerzoek, datalek: Any, status: int = 200, **formulieren: Any) -> HttpResponse:
        nu = timezone.now()
        kluis = Kluis(datalek.sleutel)
        voortgang = [(v, notitie_lezen(v, kluis)) for v in datalek.voortgang.select_related("door")]
        klokken = []
        for naam, termijn in (
            ("24 uur: verwerker aan verwerkingsverantwoordelijke", verwerker_termijn(datalek)),
            ("72 uur: melding aan de Autoriteit Persoonsgegevens", ap_termijn(datalek)),
        ):
            if termijn is not None:
                klokken.append(
                    {
                        "naam": naam,
                        "termijn": termijn,
                        "aftel": afteltekst(termijn, nu),
                        "verlopen": termijn.verlopen(nu),
                    }
                )
        fg = is_fg_van(request.user, datalek)
        # One prefix per form: the page holds several forms with fields of the same name (unique ids).
        standaard = {
            "koppelen": KoppelenForm(prefix="koppelen"),
            "notitie": NotitieForm(prefix="notitie"),
            "ap_besluit": ApBesluitForm(prefix="ap_besluit"),
            "ap_melding": ApMeldingForm(prefix="ap_melding", initial={"gemeld_op": timezone.localtime(nu)}),
            "betrokkenen": BetrokkenenForm(prefix="betrokkenen"),
            "afsluiten": AfsluitenForm(prefix="afsluiten"),
        }
        context = {
            "datalek": datalek,
            "teksten": inhoud_lezen(datalek),
            "klokken": klokken,
            "voortgang": voortgang,
            "koppelingen": list(datalek.koppelingen.select_related("dossier")),
            "ap_meldingen": list(datalek.ap_meldingen.all()),
            "is_fg": fg,
            "mag_aanvullen": mag_aanvullen(request.user, datalek) and datalek.status == DatalekStatus.OPEN,
            "mag_koppelen": mag_dossiers_koppelen(request.user, datalek) and datalek.status == DatalekStatus.OPEN,
            "open": datalek.status == DatalekStatus.OPEN,
            "brieven": brieven_stand(datalek),
            "forms": standaard | formulieren,
        }
        logregel_voor_request(request, actie="bekijken", obj=datalek, doel=DOEL_DATALEK)
        return render(request, self.template_name, context, status=status)

    def get(self, request: IngelogdVerzoek, pk: int) -> HttpResponse:
        return self._render(request, datalek_get(user=request.user, pk=pk))

    def post(self, request: IngelogdVerzoek, pk: int) -> HttpResponse:
        datalek = datalek_get(user=request.user, pk=pk)
        actie = request.POST.get("actie", "")
        if actie in ("brieven", "ontkoppelen"):
            try:
                if actie == "brieven":
                    aantal = besluiten.datalek_brieven_aanvragen(datalek=datalek, door=request.user)
                    messages.success(request, f"De brieven worden gemaakt ({aantal}); deze pagina toont de voortgang.")
                else:
                    services.datalek_dossier_ontkoppelen(
                        datalek=datalek, door=request.user, koppeling_id=int(request.POST.get("koppeling", 0) or 0)
                    )
                    messages.success(request, "Het dossier is ontkoppeld.")
            except (ApplicationError, ValueError) as exc:
                messages.error(request, getattr(exc, "message", "Onbekend dossier."))
            return redirect("datalekken:detail", pk=datalek.pk)
        acties = _acties(request, datalek)
        if actie not in acties:
            messages.error(request, "Onbekende actie.")
            return redirect("datalekken:detail", pk=datalek.pk)
        form_klasse, service = acties[actie]
        form = form_klasse(request.POST, prefix=actie)
        if form.is_valid():
            try:
                service(form.cleaned_data)
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(request, "Opgeslagen.")
                return redirect("datalekken:detail", pk=datalek.pk)
        return self._render(request, datalek, status=400, **{actie: form})


class DatalekBriefView(RolVereistMixin, View):
    """The letter to the people affected of one linked dossier (FG only)."""

    rollen = (Rol.FG,)

    def get(self, request: IngelogdVerzoek, pk: int, koppeling: int) -> HttpResponse:
        datalek = datalek_get(user=request.user, pk=pk)
        if not is_fg_van(request.user, datalek):
            raise Http404
        gevonden = datalek.koppelingen.select_related("brief__sleutel", "dossier").filter(pk=koppeling).first()
        if gevonden is None or gevonden.brief is None:
            raise Http404
        naam, inhoud = versleuteld_bestand_lezen(gevonden.brief)
        logregel_voor_request(request, actie="exporteren", obj=gevonden.dossier, doel=DOEL_DATALEK)
        return bijlage(inhoud, naam=naam, mime="application/pdf")


class DatalekBrievenStandView(RolVereistMixin, View):
    """How far the worker is with the letters (htmx, every 2 seconds while busy); done: the page reloads."""

    rollen = (Rol.FG,)

    def get(self, request: IngelogdVerzoek, pk: int) -> HttpResponse:
        datalek = datalek_get(user=request.user, pk=pk)
        if not is_fg_van(request.user, datalek):
            raise Http404
        stand = brieven_stand(datalek)
        response = render(request, "datalekken/register/_brieven.html", {"datalek": datalek, "brieven": stand})
        if request.headers.get("HX-Request") and stand is not None and not stand.bezig:
            response["HX-Refresh"] = "true"  # the links to the letters are on the page itself
        return response
