"""The Uitvoerder's page for the information duty (art. 14 AVG) of one dossier, and the letter download."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from meldingen.doelen import DOEL_INFORMATIEPLICHT
from meldpunt.audit.services import logregel_voor_request
from meldpunt.core.downloads import bijlage
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol
from meldpunt.core.permissions import IngelogdVerzoek, RolVereistMixin
from meldpunt.privacy.services import versleuteld_bestand_lezen

from .forms import UitzonderingForm, VerstuurdForm
from .selectors import dossier_voor_informatieplicht, informatieplicht_van, laatste_informatiebrief, toelichting_lezen
from .services import informatiebrief_maken, informatieplicht_uitzondering, informatieplicht_verstuurd

UITVOERDER = (Rol.HULPVERLENER, Rol.TEAMLEIDER)


class InformatieplichtView(RolVereistMixin, View):
    rollen = UITVOERDER
    template_name = "meldingen/informatieplicht/detail.html"

    def _render(self, request: IngelogdVerzoek, dossier: Any, status: int = 200, **formulieren: Any) -> HttpResponse:
        gebruiker = request.user
        plicht = informatieplicht_van(dossier)
        vandaag = timezone.localdate()
        toelichting = ""
        if plicht is not None and plicht.toelichting:
            toelichting = toelichting_lezen(plicht)
            logregel_voor_request(request, actie="bekijken", obj=dossier, doel=DOEL_INFORMATIEPLICHT)
        context = {
            "dossier": dossier,
            "plicht": plicht,
            "toelichting": toelichting,
            "verlopen": plicht is not None and not plicht.afgehandeld and plicht.termijn_op < vandaag,
            "brief": laatste_informatiebrief(dossier),
            "mag_vastleggen": dossier.behandelaar_id == gebruiker.pk or gebruiker.heeft_rol(Rol.TEAMLEIDER),
            "verstuurd_form": formulieren.get("verstuurd") or VerstuurdForm(initial={"verstuurd_op": vandaag}),
            "uitzondering_form": formulieren.get("uitzondering") or UitzonderingForm(),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: IngelogdVerzoek, dossier_id: Any) -> HttpResponse:
        dossier = dossier_voor_informatieplicht(user=request.user, dossier_id=dossier_id)
        return self._render(request, dossier)

    def post(self, request: IngelogdVerzoek, dossier_id: Any) -> HttpResponse:
        dossier = dossier_voor_informatieplicht(user=request.user, dossier_id=dossier_id)
        gebruiker = request.user
        actie = request.POST.get("actie", "")
        if actie == "brief":
            try:
                informatiebrief_maken(dossier=dossier, door=gebruiker)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "De informatiebrief is gemaakt.")
            return redirect("informatieplicht:detail", dossier_id=dossier.pk)
        formulieren = {
            "verstuurd": (VerstuurdForm, lambda d: informatieplicht_verstuurd(dossier=dossier, door=gebruiker, **d)),
            "uitzondering": (
                UitzonderingForm,
                lambda d: informatieplicht_uitzondering(dossier=dossier, door=gebruiker, **d),
            ),
        }
        if actie not in formulieren:
            messages.error(request, "Onbekende actie.")
            return redirect("informatieplicht:detail", dossier_id=dossier.pk)
        form_klasse, service = formulieren[actie]
        form = form_klasse(request.POST)
        if form.is_valid():
            try:
                service(form.cleaned_data)
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(request, "Opgeslagen.")
                return redirect("informatieplicht:detail", dossier_id=dossier.pk)
        return self._render(request, dossier, status=400, **{actie: form})


class InformatiebriefDownloadView(RolVereistMixin, View):
    rollen = UITVOERDER

    def get(self, request: IngelogdVerzoek, dossier_id: Any) -> HttpResponse:
        dossier = dossier_voor_informatieplicht(user=request.user, dossier_id=dossier_id)
        bestand = laatste_informatiebrief(dossier)
        if bestand is None:
            raise Http404
        naam, inhoud = versleuteld_bestand_lezen(bestand)
        logregel_voor_request(request, actie="exporteren", obj=dossier, doel=DOEL_INFORMATIEPLICHT)
        return bijlage(inhoud, naam=naam, mime=bestand.mime)
