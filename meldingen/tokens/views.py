"""Browser pages of a Partner's partner_beheer for the organisation's API keys: list, create, revoke.

A new key is shown once, on the page the creating POST redirects to (post/redirect/get): until then the session
holds it only encrypted (:mod:`meldpunt.core.eenmalig`), that page takes it out and answers with
``Cache-Control: no-store``; a refresh shows it no more. Afterwards only its first eight characters are shown.
Another organisation's key is a 404 (the selector scopes to the user's own organisation).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views import View

from meldpunt.core.eenmalig import eenmalig_bewaren, eenmalig_ophalen
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol, User
from meldpunt.core.permissions import IngelogdVerzoek, RolVereistMixin

from .forms import ApiTokenForm
from .selectors import api_token_get, api_token_list
from .services import api_token_create, api_token_intrekken

BEHEER = (Rol.PARTNER_BEHEER,)


def _gebruiker(request: IngelogdVerzoek) -> User:
    return request.user


class ApiTokenListView(RolVereistMixin, View):
    rollen = BEHEER

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        pagina = Paginator(api_token_list(user=_gebruiker(request)), 50).get_page(request.GET.get("pagina"))
        return render(request, "meldingen/tokens/list.html", {"pagina": pagina})


class ApiTokenCreateView(RolVereistMixin, View):
    rollen = BEHEER
    template_name = "meldingen/tokens/form.html"

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        return render(request, self.template_name, {"form": ApiTokenForm()})

    def post(self, request: IngelogdVerzoek) -> HttpResponse:
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            gebruiker = _gebruiker(request)
            try:
                token, sleutel = api_token_create(
                    organisatie=gebruiker.organisatie, naam=form.cleaned_data["naam"], door=gebruiker
                )
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                eenmalig_bewaren(request, f"api-sleutel-{token.pk}", sleutel)
                return redirect("tokens:aangemaakt", pk=token.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class ApiTokenAangemaaktView(RolVereistMixin, View):
    """The page a new key's POST redirects to: it shows the key once (a refresh shows it no more)."""

    rollen = BEHEER

    def get(self, request: IngelogdVerzoek, pk: int) -> HttpResponse:
        token = api_token_get(user=_gebruiker(request), pk=pk)
        sleutel = eenmalig_ophalen(request, f"api-sleutel-{token.pk}")
        if sleutel is None:
            messages.info(request, "De sleutel is al getoond en wordt niet opnieuw getoond. Maak zo nodig een nieuwe.")
            return redirect("tokens:detail", pk=token.pk)
        antwoord = render(request, "meldingen/tokens/aangemaakt.html", {"token": token, "sleutel": sleutel})
        add_never_cache_headers(antwoord)
        return antwoord


class ApiTokenDetailView(RolVereistMixin, View):
    rollen = BEHEER

    def get(self, request: IngelogdVerzoek, pk: int) -> HttpResponse:
        token = api_token_get(user=_gebruiker(request), pk=pk)
        return render(request, "meldingen/tokens/detail.html", {"token": token})


class ApiTokenIntrekkenView(RolVereistMixin, View):
    """POST only: revoke a key (cannot be undone)."""

    rollen = BEHEER

    def post(self, request: IngelogdVerzoek, pk: int) -> HttpResponse:
        token = api_token_get(user=_gebruiker(request), pk=pk)
        try:
            api_token_intrekken(token=token, door=_gebruiker(request))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"De API-sleutel {token.prefix}… is ingetrokken; zij werkt niet meer.")
        return redirect("tokens:detail", pk=token.pk)
