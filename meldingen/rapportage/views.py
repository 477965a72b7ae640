"""Pages of the rapportage (Uitvoerder): the structured form with completeness, the PDF request and download."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from meldingen.dossiers.selectors import dossier_get_voor_uitvoerder
from meldingen.dossiers.workflow import DossierStatus
from meldpunt.core.downloads import bijlage
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol
from meldpunt.core.permissions import IngelogdVerzoek, RolVereistMixin

from .forms import RapportageForm
from .inhoud import rapportage_valideren, rapportage_volledigheid
from .models import Rapportage
from .selectors import pdf_bezig, rapportage_pdf_lezen, rapportage_weergave
from .services import mag_rapportage_schrijven, rapportage_opslaan, rapportage_pdf_aanvragen

UITVOERDER = (Rol.HULPVERLENER, Rol.TEAMLEIDER)


class RapportageView(RolVereistMixin, View):
    """The rapportage of one dossier: draft save, completeness, PDF request; read-only once closed."""

    rollen = UITVOERDER
    template_name = "meldingen/rapportage/form.html"

    def _render(
        self, request: IngelogdVerzoek, dossier: Any, form: RapportageForm | None = None, status: int = 200
    ) -> HttpResponse:
        gebruiker = request.user
        rapportage, inhoud = rapportage_weergave(dossier=dossier, gebruiker=gebruiker)
        bewerkbaar = mag_rapportage_schrijven(dossier=dossier, gebruiker=gebruiker)
        if form is None:
            form = RapportageForm(initial=RapportageForm.initial_uit(inhoud), alleen_lezen=not bewerkbaar)
        # After a refused save the box lists what the submitted form still misses, not the saved version.
        volledig, ontbreekt = rapportage_volledigheid(
            rapportage_valideren(form.inhoud())[0] if form.is_bound else inhoud
        )
        context = {
            "dossier": dossier,
            "rapportage": rapportage,
            "form": form,
            "bewerkbaar": bewerkbaar,
            "afgesloten": dossier.status == DossierStatus.AFGESLOTEN,
            "opgeslagen": rapportage is not None and rapportage.inhoud is not None,
            "volledig": volledig,
            "ontbreekt": ontbreekt,
            "pdf_bezig": pdf_bezig(rapportage),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: IngelogdVerzoek, dossier_id: str) -> HttpResponse:
        dossier = dossier_get_voor_uitvoerder(user=request.user, pk=dossier_id)
        return self._render(request, dossier)

    def post(self, request: IngelogdVerzoek, dossier_id: str) -> HttpResponse:
        dossier = dossier_get_voor_uitvoerder(user=request.user, pk=dossier_id)
        actie = request.POST.get("actie", "")
        if actie == "pdf":
            try:
                rapportage_pdf_aanvragen(dossier=dossier, door=request.user)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "De PDF wordt gemaakt; hij verschijnt hieronder zodra hij klaar is.")
            return redirect("rapportage:detail", dossier_id=dossier.pk)
        if actie != "opslaan":
            messages.error(request, "Onbekende actie.")
            return redirect("rapportage:detail", dossier_id=dossier.pk)
        form = RapportageForm(request.POST)
        if form.is_valid():
            try:
                rapportage = rapportage_opslaan(dossier=dossier, door=request.user, inhoud=form.inhoud())
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                if rapportage.volledig:
                    messages.success(request, "De rapportage is opgeslagen en is volledig.")
                else:
                    messages.success(request, "Het concept is opgeslagen. De rapportage is nog niet volledig.")
                return redirect("rapportage:detail", dossier_id=dossier.pk)
        dossier.refresh_from_db()
        return self._render(request, dossier, form=form, status=400)


class RapportagePdfView(RolVereistMixin, View):
    """Download the stored PDF, decrypted (only the Uitvoerder; the Gemeente's view comes with consent)."""

    rollen = UITVOERDER

    def get(self, request: IngelogdVerzoek, dossier_id: str) -> HttpResponse:
        dossier = dossier_get_voor_uitvoerder(user=request.user, pk=dossier_id)
        gelezen = rapportage_pdf_lezen(dossier=dossier, gebruiker=request.user)
        if gelezen is None:
            raise Http404("Er is nog geen PDF van deze rapportage.")
        naam, data = gelezen
        return bijlage(data, naam=naam, mime="application/pdf")


class RapportagePdfStatusView(RolVereistMixin, View):
    """The PDF's state as a fragment, for the page to ask again while the worker makes it (htmx)."""

    rollen = UITVOERDER

    def get(self, request: IngelogdVerzoek, dossier_id: str) -> HttpResponse:
        dossier = dossier_get_voor_uitvoerder(user=request.user, pk=dossier_id)
        rapportage = Rapportage.objects.filter(dossier=dossier).first()
        context = {"dossier": dossier, "rapportage": rapportage, "pdf_bezig": pdf_bezig(rapportage)}
        return render(request, "meldingen/rapportage/_pdf.html", context)
