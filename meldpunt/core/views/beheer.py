"""Management of organisations (platformbeheer) and users (platformbeheer; partner_beheer for its own)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from ..accountwijziging import accountwijziging_afwijzen, accountwijziging_goedkeuren
from ..exceptions import ApplicationError
from ..forms import GebruikerForm, GebruikerWijzigForm, OrganisatieForm, OrganisatieWijzigForm
from ..models import BEHEERROL_PER_TYPE, BEHEERROLLEN, AccountWijzigingStatus, Rol, User
from ..permissions import IngelogdVerzoek, RolVereistMixin
from ..selectors import (
    accountwijziging_get,
    accountwijziging_list,
    gebruiker_get,
    gebruiker_list,
    organisatie_get,
    organisatie_list,
)
from ..services import (
    FACTUURGEGEVENS,
    gebruiker_create,
    gebruiker_ontgrendelen,
    gebruiker_tweede_factor_resetten,
    gebruiker_uitnodigen,
    gebruiker_update,
    organisatie_create,
    organisatie_update,
)

GEBRUIKERSBEHEER = BEHEERROLLEN


class OrganisatieListView(RolVereistMixin, View):
    rollen = (Rol.PLATFORMBEHEER,)

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        organisaties = organisatie_list(user=request.user).order_by("type", "naam")
        return render(request, "core/organisatie_list.html", {"organisaties": organisaties})


class OrganisatieCreateView(RolVereistMixin, View):
    rollen = (Rol.PLATFORMBEHEER,)
    template_name = "core/organisatie_form.html"

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        return render(request, self.template_name, {"form": OrganisatieForm(), "titel": "Nieuwe organisatie"})

    def post(self, request: IngelogdVerzoek) -> HttpResponse:
        form = OrganisatieForm(request.POST)
        if form.is_valid():
            try:
                organisatie = organisatie_create(**form.cleaned_data, door=request.user)
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(request, f"Organisatie {organisatie.naam} is aangemaakt.")
                return redirect("core:organisatie_detail", pk=organisatie.pk)
        return render(request, self.template_name, {"form": form, "titel": "Nieuwe organisatie"}, status=400)


class OrganisatieDetailView(RolVereistMixin, View):
    rollen = (Rol.PLATFORMBEHEER,)
    template_name = "core/organisatie_detail.html"

    def _render(
        self, request: IngelogdVerzoek, organisatie: Any, form: OrganisatieWijzigForm, status: int = 200
    ) -> HttpResponse:
        gebruikers = gebruiker_list(user=request.user, organisatie=organisatie)
        return render(
            request,
            self.template_name,
            {"organisatie": organisatie, "form": form, "gebruikers": gebruikers},
            status=status,
        )

    def get(self, request: IngelogdVerzoek, pk: int) -> HttpResponse:
        organisatie = organisatie_get(user=request.user, pk=pk)
        form = OrganisatieWijzigForm(
            initial={
                "naam": organisatie.naam,
                "actief": organisatie.actief,
                **{veld: getattr(organisatie, veld) for veld in FACTUURGEGEVENS},
            }
        )
        return self._render(request, organisatie, form)

    def post(self, request: IngelogdVerzoek, pk: int) -> HttpResponse:
        organisatie = organisatie_get(user=request.user, pk=pk)
        form = OrganisatieWijzigForm(request.POST)
        if form.is_valid():
            try:
                organisatie_update(organisatie=organisatie, door=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(request, "De organisatie is opgeslagen.")
                return redirect("core:organisatie_detail", pk=organisatie.pk)
        return self._render(request, organisatie, form, status=400)


class GebruikerListView(RolVereistMixin, View):
    rollen = GEBRUIKERSBEHEER

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        qs = gebruiker_list(user=request.user)
        zoek = request.GET.get("zoek", "").strip()[:100]
        if zoek:
            qs = qs.filter(username__icontains=zoek) | qs.filter(last_name__icontains=zoek)
        pagina = Paginator(qs, 50).get_page(request.GET.get("pagina"))
        return render(request, "core/gebruiker_list.html", {"pagina": pagina, "zoek": zoek})


class GebruikerCreateView(RolVereistMixin, View):
    rollen = GEBRUIKERSBEHEER
    template_name = "core/gebruiker_form.html"

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        form = GebruikerForm(door=request.user)
        return render(request, self.template_name, {"form": form, "titel": "Nieuwe gebruiker"})

    def post(self, request: IngelogdVerzoek) -> HttpResponse:
        form = GebruikerForm(request.POST, door=request.user)
        if form.is_valid():
            try:
                gebruiker = gebruiker_create(door=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(
                    request, f"Gebruiker {gebruiker.username} is aangemaakt; de uitnodiging is per e-mail verstuurd."
                )
                return redirect("core:gebruiker_detail", pk=gebruiker.pk)
        return render(request, self.template_name, {"form": form, "titel": "Nieuwe gebruiker"}, status=400)


class GebruikerDetailView(RolVereistMixin, View):
    rollen = GEBRUIKERSBEHEER
    template_name = "core/gebruiker_detail.html"

    def _render(
        self, request: IngelogdVerzoek, gebruiker: User, form: GebruikerWijzigForm, status: int = 200
    ) -> HttpResponse:
        return render(request, self.template_name, {"gebruiker": gebruiker, "form": form}, status=status)

    def get(self, request: IngelogdVerzoek, pk: int) -> HttpResponse:
        gebruiker = gebruiker_get(user=request.user, pk=pk)
        form = GebruikerWijzigForm(
            gebruiker=gebruiker,
            initial={
                "voornaam": gebruiker.first_name,
                "achternaam": gebruiker.last_name,
                "email": gebruiker.email,
                "rollen": gebruiker.rollen,
                "actief": gebruiker.is_active,
            },
        )
        return self._render(request, gebruiker, form)

    def post(self, request: IngelogdVerzoek, pk: int) -> HttpResponse:
        gebruiker = gebruiker_get(user=request.user, pk=pk)
        form = GebruikerWijzigForm(request.POST, gebruiker=gebruiker)
        if form.is_valid():
            try:
                gebruiker_update(gebruiker=gebruiker, door=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(request, "De gebruiker is opgeslagen.")
                if gebruiker.accountwijzigingen.filter(status=AccountWijzigingStatus.AANGEVRAAGD).exists():
                    messages.info(
                        request,
                        "Een nieuw e-mailadres of een nieuwe rol gaat pas in als de beheerder van de organisatie "
                        "de wijziging goedkeurt; de beheerders hebben een e-mail gekregen.",
                    )
                return redirect("core:gebruiker_detail", pk=gebruiker.pk)
        return self._render(request, gebruiker, form, status=400)


class GebruikerActieView(RolVereistMixin, View):
    """POST-only actions on a user: resend invitation, reset the second factor, lift a lockout."""

    rollen = GEBRUIKERSBEHEER
    acties = {
        "uitnodigen": (gebruiker_uitnodigen, "Er is een nieuwe uitnodiging verstuurd."),
        "tweede-factor-resetten": (
            gebruiker_tweede_factor_resetten,
            "De authenticator-app is ontkoppeld; bij de volgende inlog koppelt de gebruiker een nieuwe.",
        ),
        "ontgrendelen": (gebruiker_ontgrendelen, "De blokkering is opgeheven."),
    }

    def post(self, request: IngelogdVerzoek, pk: int, actie: str) -> HttpResponse:
        gebruiker = gebruiker_get(user=request.user, pk=pk)
        if actie not in self.acties:
            messages.error(request, "Onbekende actie.")
            return redirect("core:gebruiker_detail", pk=gebruiker.pk)
        service, melding = self.acties[actie]
        try:
            direct = service(gebruiker=gebruiker, door=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            if direct is False:
                melding = (
                    "Het ontkoppelen wacht op goedkeuring door de beheerder van de organisatie; "
                    "de beheerders hebben een e-mail gekregen."
                )
            messages.success(request, melding)
        return redirect("core:gebruiker_detail", pk=gebruiker.pk)


class AccountWijzigingListView(RolVereistMixin, View):
    """Requests of platformbeheer to change an account; the organisation's beheerder approves or rejects."""

    rollen = GEBRUIKERSBEHEER

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        pagina = Paginator(accountwijziging_list(user=request.user), 50).get_page(request.GET.get("pagina"))
        kan_beoordelen = request.user.heeft_rol(BEHEERROL_PER_TYPE[request.user.organisatie.type]) and not (
            request.user.heeft_rol(Rol.PLATFORMBEHEER)
        )
        return render(request, "core/accountwijziging_list.html", {"pagina": pagina, "kan_beoordelen": kan_beoordelen})


class AccountWijzigingBeoordelenView(RolVereistMixin, View):
    rollen = GEBRUIKERSBEHEER
    acties = {
        "goedkeuren": (accountwijziging_goedkeuren, "De wijziging is goedgekeurd en doorgevoerd."),
        "afwijzen": (accountwijziging_afwijzen, "De wijziging is afgewezen."),
    }

    def post(self, request: IngelogdVerzoek, pk: int, actie: str) -> HttpResponse:
        wijziging = accountwijziging_get(user=request.user, pk=pk)
        if actie not in self.acties:
            messages.error(request, "Onbekende actie.")
            return redirect("core:accountwijziging_list")
        service, melding = self.acties[actie]
        try:
            service(wijziging=wijziging, door=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, melding)
        return redirect("core:accountwijziging_list")
