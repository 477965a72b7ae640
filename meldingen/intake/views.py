"""Browser pages of the Partner (role melder): the melding form, the list and the detail of own meldingen."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from meldingen.ddas import PARTNER_STATUS_LABELS
from meldingen.doelen import DOEL_INTAKE
from meldpunt.audit.services import herkomst_van
from meldpunt.core.models import Rol
from meldpunt.core.permissions import IngelogdVerzoek, RolVereistMixin

from .forms import MeldingForm
from .models import Kanaal
from .selectors import melding_get_voor_partner, melding_list_voor_partner, partner_weergaven
from .services import melding_create
from .validatie import valideer_melding


class MeldingCreateView(RolVereistMixin, View):
    rollen = (Rol.MELDER,)
    template_name = "meldingen/intake/form.html"

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        return render(request, self.template_name, {"form": MeldingForm(gebruiker=request.user)})

    def post(self, request: IngelogdVerzoek) -> HttpResponse:
        form = MeldingForm(request.POST, gebruiker=request.user)
        organisatie = request.user.organisatie
        # The domain rules run on whatever parsed, so that every error shows in one round.
        vormgeldig = form.is_valid()
        uitkomst = valideer_melding(form.invoer(), partner=organisatie, vandaag=timezone.localdate())
        if vormgeldig:
            if uitkomst.geldig:
                resultaat = melding_create(
                    uitkomst=uitkomst,
                    partner=organisatie,
                    kanaal=Kanaal.FORMULIER,
                    door=request.user,
                    herkomst=herkomst_van(request),
                )
                if not resultaat.nieuw:
                    messages.info(request, "Deze melding was al ontvangen; er is niets nieuws opgeslagen.")
                elif resultaat.vervolgmelding:
                    messages.success(request, "De melding is ontvangen en toegevoegd aan het lopende dossier.")
                else:
                    messages.success(request, "De melding is ontvangen.")
                return redirect("meldingen:detail", pk=resultaat.melding.pk)
        form.domeinfouten_tonen(uitkomst.fouten)
        return render(request, self.template_name, {"form": form}, status=400)


#: the session's last referentie search: ``{"sleutel": <random token>, "referentie": <text>}``
ZOEK_SESSIE = "meldingen_zoek_referentie"


def _referentie_van_sleutel(request: IngelogdVerzoek) -> tuple[str, str]:
    """The referentie behind ``?zoek=<token>`` (only this session's last search), else nothing."""
    sleutel = request.GET.get("zoek", "")
    bewaard = request.session.get(ZOEK_SESSIE) or {}
    if sleutel and secrets.compare_digest(sleutel, str(bewaard.get("sleutel", ""))):
        return sleutel, str(bewaard.get("referentie", ""))
    return "", ""


class MeldingListView(RolVereistMixin, View):
    """The Partner's meldingen. A search by referentie is posted, never put in the URL: the referentie
    identifies a tenancy, so it must not reach access logs, browser history or Referer headers. The POST
    keeps it in the session and redirects to ``?zoek=<random token>`` (post/redirect/get; pages keep it)."""

    rollen = (Rol.MELDER,)

    def post(self, request: IngelogdVerzoek) -> HttpResponse:
        referentie = request.POST.get("referentie", "").strip()[:100]
        status = request.POST.get("status", "")
        parameters: dict[str, str] = {}
        if status in PARTNER_STATUS_LABELS:
            parameters["status"] = status
        if referentie:
            sleutel = secrets.token_urlsafe(16)
            request.session[ZOEK_SESSIE] = {"sleutel": sleutel, "referentie": referentie}
            parameters["zoek"] = sleutel
        url = reverse("meldingen:list")
        return redirect(f"{url}?{urlencode(parameters)}" if parameters else url)

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        organisatie = request.user.organisatie
        zoek, referentie = _referentie_van_sleutel(request)
        status = request.GET.get("status", "")
        if status not in PARTNER_STATUS_LABELS:
            status = ""
        qs = melding_list_voor_partner(organisatie=organisatie, referentie=referentie, status=status)
        pagina = Paginator(qs, 25).get_page(request.GET.get("pagina"))
        weergaven = partner_weergaven(
            meldingen=list(pagina.object_list),
            gebruiker=request.user,
            organisatie=organisatie,
            herkomst=herkomst_van(request),
            doel=DOEL_INTAKE,
        )
        context = {
            "pagina": pagina,
            "weergaven": weergaven,
            "referentie": referentie,
            "zoek": zoek,
            "status": status,
            "statussen": PARTNER_STATUS_LABELS.items(),
        }
        return render(request, "meldingen/intake/list.html", context)


class MeldingDetailView(RolVereistMixin, View):
    rollen = (Rol.MELDER,)

    def get(self, request: IngelogdVerzoek, pk: str) -> HttpResponse:
        organisatie = request.user.organisatie
        melding = melding_get_voor_partner(organisatie=organisatie, pk=pk)
        (weergave,) = partner_weergaven(
            meldingen=[melding],
            gebruiker=request.user,
            organisatie=organisatie,
            herkomst=herkomst_van(request),
            doel=DOEL_INTAKE,
        )
        return render(request, "meldingen/intake/detail.html", {"w": weergave, "g": weergave.gegevens})
