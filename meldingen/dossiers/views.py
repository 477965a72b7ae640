"""Browser pages of the Uitvoerder (hulpverlener, teamleider): the queue with its work queues, the own caseload,
and the dossier page where the caseload is worked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from meldpunt.audit.services import herkomst_van
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol, User
from meldpunt.core.permissions import IngelogdVerzoek, RolVereistMixin

from .forms import (
    ZONDER_BEHANDELAAR,
    AfsluitenForm,
    ContactpogingForm,
    HeropenenForm,
    TeamFilterForm,
    TeruggevenForm,
    ToewijzenForm,
    WerkbakForm,
    ZoekForm,
)
from .selectors import (
    dossier_get_om_te_claimen,
    dossier_get_voor_uitvoerder,
    dossier_te_doen,
    dossier_weergave,
    dossier_zoeken,
    mijn_dossiers,
    team_dossiers,
    wachtrij_voor_uitvoerder,
    werkbak_filter,
    werkbak_get,
    werkbakken_met_aantallen,
)
from .services import (
    contactpoging_create,
    dossier_afsluiten,
    dossier_claim,
    dossier_heropenen,
    dossier_teruggeven,
    dossier_toewijzen,
    werkbak_create,
    werkbak_verwijderen,
)


class WachtrijView(RolVereistMixin, View):
    """The Uitvoerder's queue of new signals, optionally narrowed to a work queue (werkbakje)."""

    rollen = (Rol.HULPVERLENER, Rol.TEAMLEIDER)

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        user = request.user
        qs = wachtrij_voor_uitvoerder(user=user)
        werkbak = None
        if request.GET.get("werkbak"):
            werkbak = werkbak_get(user=user, pk=request.GET["werkbak"])
            qs = qs.filter(werkbak_filter(werkbak))
        pagina = Paginator(qs, 50).get_page(request.GET.get("pagina"))
        context = {
            "pagina": pagina,
            "aantal": pagina.paginator.count,
            "werkbak": werkbak,
            "werkbakken": werkbakken_met_aantallen(user=user),
            "is_teamleider": user.heeft_rol(Rol.TEAMLEIDER),
        }
        return render(request, "meldingen/dossiers/wachtrij.html", context)


class WerkbakCreateView(RolVereistMixin, View):
    rollen = (Rol.TEAMLEIDER,)
    template_name = "meldingen/dossiers/werkbak_form.html"

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        form = WerkbakForm(organisatie=request.user.organisatie)
        return render(request, self.template_name, {"form": form})

    def post(self, request: IngelogdVerzoek) -> HttpResponse:
        form = WerkbakForm(request.POST, organisatie=request.user.organisatie)
        if form.is_valid():
            try:
                werkbak = werkbak_create(door=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(request, f"Werkbakje {werkbak.naam} is aangemaakt.")
                return redirect(f"{reverse('meldingen:wachtrij')}?werkbak={werkbak.pk}")
        return render(request, self.template_name, {"form": form}, status=400)


class WerkbakVerwijderView(RolVereistMixin, View):
    rollen = (Rol.TEAMLEIDER,)

    def post(self, request: IngelogdVerzoek, pk: int) -> HttpResponse:
        werkbak = werkbak_get(user=request.user, pk=pk)
        werkbak_verwijderen(werkbak=werkbak, door=request.user)
        messages.success(request, "Het werkbakje is verwijderd.")
        return redirect("meldingen:wachtrij")


UITVOERDER = (Rol.HULPVERLENER, Rol.TEAMLEIDER)


class DossierClaimView(RolVereistMixin, View):
    rollen = UITVOERDER

    def post(self, request: IngelogdVerzoek, pk: str) -> HttpResponse:
        dossier = dossier_get_om_te_claimen(user=request.user, pk=pk)
        try:
            dossier_claim(dossier_id=dossier.pk, door=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("meldingen:wachtrij")
        messages.success(request, f"U heeft dossier {dossier.nummer} opgepakt.")
        return redirect("meldingen:dossier", pk=dossier.pk)


class MijnDossiersView(RolVereistMixin, View):
    rollen = UITVOERDER

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        dossiers = mijn_dossiers(user=request.user)
        return render(request, "meldingen/dossiers/mijn_dossiers.html", {"dossiers": dossiers})


class DossierDetailView(RolVereistMixin, View):
    rollen = UITVOERDER
    template_name = "meldingen/dossiers/detail.html"

    def _render(self, request: IngelogdVerzoek, dossier: Any, status: int = 200, **formulieren: Any) -> HttpResponse:
        gebruiker = request.user
        team = _team(gebruiker)
        context = {
            "w": dossier_weergave(dossier=dossier, gebruiker=gebruiker, herkomst=herkomst_van(request)),
            "contact_form": formulieren.get("contact") or ContactpogingForm(initial={"datum": timezone.localdate()}),
            "afsluiten_form": formulieren.get("afsluiten") or AfsluitenForm(),
            "heropenen_form": formulieren.get("heropenen") or HeropenenForm(),
            "teruggeven_form": formulieren.get("teruggeven") or TeruggevenForm(),
            "toewijzen_form": formulieren.get("toewijzen") or ToewijzenForm(team=team),
            "is_teamleider": gebruiker.heeft_rol(Rol.TEAMLEIDER),
            "mag_werken": dossier.behandelaar_id == gebruiker.pk or gebruiker.heeft_rol(Rol.TEAMLEIDER),
            "te_doen": dossier_te_doen(dossier=dossier, vandaag=timezone.localdate()),
            "aantal_toestemmingen": dossier.toestemmingen.filter(beeindigd_op__isnull=True).count(),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: IngelogdVerzoek, pk: str) -> HttpResponse:
        dossier = dossier_get_voor_uitvoerder(user=request.user, pk=pk)
        if dossier.vernietigd_op is not None:
            return redirect("bewaring:dossier", pk=dossier.pk)
        return self._render(request, dossier)

    def post(self, request: IngelogdVerzoek, pk: str) -> HttpResponse:
        dossier = dossier_get_voor_uitvoerder(user=request.user, pk=pk)
        actie = request.POST.get("actie", "")
        gebruiker = request.user
        team = User.objects.filter(organisatie=gebruiker.organisatie)
        formulieren: dict[str, tuple[Callable[..., Any], Callable[[dict[str, Any]], object]]] = {
            "contact": (ContactpogingForm, lambda d: contactpoging_create(dossier=dossier, door=gebruiker, **d)),
            "afsluiten": (AfsluitenForm, lambda d: dossier_afsluiten(dossier=dossier, door=gebruiker, **d)),
            "heropenen": (HeropenenForm, lambda d: dossier_heropenen(dossier=dossier, door=gebruiker, **d)),
            "teruggeven": (TeruggevenForm, lambda d: dossier_teruggeven(dossier=dossier, door=gebruiker, **d)),
            "toewijzen": (
                lambda data: ToewijzenForm(data, team=team),
                lambda d: dossier_toewijzen(dossier=dossier, door=gebruiker, **d),
            ),
        }
        if actie not in formulieren:
            messages.error(request, "Onbekende actie.")
            return redirect("meldingen:dossier", pk=dossier.pk)
        form_klasse, service = formulieren[actie]
        form = form_klasse(request.POST)
        if form.is_valid():
            try:
                service(form.cleaned_data)
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                if actie == "teruggeven":
                    messages.success(request, f"Dossier {dossier.nummer} staat weer in de wachtrij.")
                    return redirect("meldingen:mijn_dossiers")
                messages.success(request, "Opgeslagen.")
                return redirect("meldingen:dossier", pk=dossier.pk)
        dossier.refresh_from_db()
        return self._render(request, dossier, status=400, **{actie: form})


def _team(gebruiker: User) -> Any:
    return User.objects.filter(organisatie=gebruiker.organisatie, is_active=True).filter(
        Q(rollen__contains=[Rol.HULPVERLENER]) | Q(rollen__contains=[Rol.TEAMLEIDER])
    )


class TeamView(RolVereistMixin, View):
    """The teamleider's overview: every open dossier of the team, with behandelaar and what is due next."""

    rollen = (Rol.TEAMLEIDER,)

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        team = _team(request.user).order_by("first_name", "last_name", "username")
        form = TeamFilterForm(request.GET or None, team=team)
        filters: dict[str, Any] = {}
        if form.is_valid():
            keuze = form.cleaned_data["behandelaar"]
            filters = {
                "zonder_behandelaar": keuze == ZONDER_BEHANDELAAR,
                "behandelaar_id": int(keuze) if keuze.isdigit() else None,
                "status": form.cleaned_data["status"],
                "type": form.cleaned_data["type"],
            }
        pagina = Paginator(team_dossiers(user=request.user, **filters), 50).get_page(request.GET.get("pagina"))
        context = {
            "pagina": pagina,
            "aantal": pagina.paginator.count,
            "form": form,
            "zoek_form": ZoekForm(),
            "vandaag": timezone.localdate(),
            "binnenkort": timezone.localdate() + dt.timedelta(days=7),
        }
        return render(request, "meldingen/dossiers/team.html", context)


class ZoekView(RolVereistMixin, View):
    """Find a dossier by its number or the Partner's referentie (by POST: a referentie never goes in an address)."""

    rollen = UITVOERDER
    template_name = "meldingen/dossiers/zoeken.html"

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        return render(request, self.template_name, {"form": ZoekForm()})

    def post(self, request: IngelogdVerzoek) -> HttpResponse:
        form = ZoekForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        resultaten = list(dossier_zoeken(user=request.user, zoekterm=form.cleaned_data["zoekterm"])[:50])
        return render(request, self.template_name, {"form": form, "resultaten": resultaten, "gezocht": True})
