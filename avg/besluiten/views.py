"""Downloads of the decision letter and the answer package, and the package's progress (htmx)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from meldingen.doelen import DOEL_AVG_VERZOEK
from meldpunt.audit.services import logregel_voor_request
from meldpunt.core.models import Rol
from meldpunt.core.permissions import IngelogdVerzoek, RolVereistMixin

from ..verzoeken.selectors import verzoek_get
from .models import Pakket
from .pakket import pakket_bestand
from .selectors import pakket_van


def _download(naam: str, inhoud: bytes, mime: str) -> HttpResponse:
    response = HttpResponse(inhoud, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{naam}"'
    response["Cache-Control"] = "no-store"
    return response


class PakketDownloadView(RolVereistMixin, View):
    """The package for the requester: only the contactpunt downloads it, until it expires."""

    rollen = (Rol.CONTACTPUNT,)

    def get(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        verzoek = verzoek_get(user=request.user, pk=pk)
        pakket = pakket_van(verzoek)
        gevonden = pakket_bestand(pakket) if pakket else None
        if pakket is None or gevonden is None:
            raise Http404
        Pakket.objects.filter(pk=pakket.pk).update(gedownload_op=timezone.now())
        logregel_voor_request(request, actie="exporteren", obj=verzoek, doel=DOEL_AVG_VERZOEK)
        return _download(gevonden[0], gevonden[1], "application/zip")


class BriefDownloadView(RolVereistMixin, View):
    rollen = (Rol.CONTACTPUNT, Rol.FG)

    def get(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        verzoek = verzoek_get(user=request.user, pk=pk)
        pakket = pakket_van(verzoek)
        gevonden = pakket_bestand(pakket, brief=True) if pakket else None
        if gevonden is None:
            raise Http404
        logregel_voor_request(request, actie="exporteren", obj=verzoek, doel=DOEL_AVG_VERZOEK)
        return _download(gevonden[0], gevonden[1], "application/pdf")


class PakketStatusView(RolVereistMixin, View):
    rollen = (Rol.CONTACTPUNT, Rol.FG)

    def get(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        verzoek = verzoek_get(user=request.user, pk=pk)
        return render(
            request,
            "avg/besluiten/_pakket.html",
            {
                "verzoek": verzoek,
                "pakket": pakket_van(verzoek),
                "is_contactpunt": request.user.heeft_rol(Rol.CONTACTPUNT),
            },
        )
