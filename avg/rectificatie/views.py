"""Correcting the requester's data from an AVG request with kind rectificatie (art. 16 AVG)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from meldingen.rectificatie.selectors import huidige_gegevens
from meldingen.rectificatie.services import dossier_rectificeren
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol
from meldpunt.core.permissions import IngelogdVerzoek, RolVereistMixin

from ..verzoeken.models import Verzoek, VerzoekDossier, VerzoekSoort
from ..verzoeken.selectors import verzoek_get
from ..verzoeken.services import BRON_VERZOEK
from .forms import LABELS, RectificatieForm


def _koppeling(request: IngelogdVerzoek, pk: Any, dossier_id: Any) -> tuple[Verzoek, VerzoekDossier]:
    """A confirmed dossier of an open rectification request of the user's Gemeente; anything else 404."""
    verzoek = verzoek_get(user=request.user, pk=pk)
    if VerzoekSoort.RECTIFICATIE not in verzoek.soorten or not verzoek.is_open or not verzoek.identiteit_vastgesteld_op:
        raise Http404
    koppeling = VerzoekDossier.objects.filter(verzoek=verzoek, dossier_id=dossier_id).select_related("dossier").first()
    if koppeling is None or koppeling.dossier.vernietigd_op is not None:
        raise Http404
    return verzoek, koppeling


class RectificatieView(RolVereistMixin, View):
    rollen = (Rol.CONTACTPUNT,)
    template_name = "avg/rectificatie/form.html"

    def _render(
        self, request: IngelogdVerzoek, verzoek: Verzoek, koppeling: VerzoekDossier, form: Any, status: int = 200
    ) -> HttpResponse:
        return render(
            request, self.template_name, {"verzoek": verzoek, "koppeling": koppeling, "form": form}, status=status
        )

    def get(self, request: IngelogdVerzoek, pk: Any, dossier_id: Any) -> HttpResponse:
        verzoek, koppeling = _koppeling(request, pk, dossier_id)
        huidig = huidige_gegevens(dossier=koppeling.dossier, gebruiker=request.user)
        return self._render(request, verzoek, koppeling, RectificatieForm(huidig=huidig))

    def post(self, request: IngelogdVerzoek, pk: Any, dossier_id: Any) -> HttpResponse:
        verzoek, koppeling = _koppeling(request, pk, dossier_id)
        huidig = huidige_gegevens(dossier=koppeling.dossier, gebruiker=request.user)
        form = RectificatieForm(request.POST, huidig=huidig)
        if form.is_valid():
            try:
                rectificatie = dossier_rectificeren(
                    dossier=koppeling.dossier,
                    door=request.user,
                    wijzigingen=form.wijzigingen(),
                    bron=BRON_VERZOEK,
                    bron_id=str(verzoek.pk),
                    toelichting=form.cleaned_data["toelichting"],
                )
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                namen = ", ".join(LABELS.get(p, p).lower() for p in rectificatie.velden)
                messages.success(request, f"Gecorrigeerd in dossier {koppeling.dossier.nummer}: {namen}.")
                return redirect("verzoeken:detail", pk=verzoek.pk)
        return self._render(request, verzoek, koppeling, form, status=400)
