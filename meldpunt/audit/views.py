"""The FG's log screen and its CSV export. Both are themselves logged (bekijken, exporteren)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from meldpunt.core.models import Rol, User
from meldpunt.core.permissions import IngelogdVerzoek, RolVereistMixin

from .forms import LogboekFilterForm
from .models import Actie, Doel, LogRegel
from .omschrijving import objecten_omschrijven, soort_label
from .selectors import logregel_list, logregel_object_types
from .services import logregel_voor_request

PER_PAGINA = 50
#: A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULE_TEKENS = ("=", "+", "-", "@", "\t", "\r")
CSV_KOPPEN = [
    "id",
    "tijdstip",
    "actie",
    "resultaat",
    "gebruiker_id",
    "gebruikersnaam",
    "organisatie",
    "object_type",
    "object_id",
    "convenant",
    "herkomst",
    "doel",
    "hash",
]


def _filterformulier(request: IngelogdVerzoek) -> LogboekFilterForm:
    user: User = request.user
    return LogboekFilterForm(request.GET, object_types=logregel_object_types(user=user))


class LogboekView(RolVereistMixin, View):
    rollen = (Rol.FG,)

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        form = _filterformulier(request)
        logregel_voor_request(request, actie=Actie.BEKIJKEN, obj=LogRegel, doel=Doel.TOEZICHT)
        regels = logregel_list(user=request.user, **form.filters())
        pagina = Paginator(regels, PER_PAGINA).get_page(request.GET.get("pagina"))
        namen = objecten_omschrijven(pagina.object_list)
        rijen = [
            (r, soort_label(r.object_type), namen.get((r.object_type, r.object_id), "")) for r in pagina.object_list
        ]
        status = 400 if form.errors else 200
        context = {"form": form, "pagina": pagina, "rijen": rijen}
        return render(request, "audit/logregel_list.html", context, status=status)


def neutraliseer(waarde: object) -> str:
    """The text of a CSV cell; text that a spreadsheet would run as a formula gets a leading quote."""
    tekst = "" if waarde is None else str(waarde)
    return f"'{tekst}" if tekst.startswith(FORMULE_TEKENS) else tekst


def _rij(regel: LogRegel) -> list[str]:
    waarden = [
        regel.pk,
        timezone.localtime(regel.tijdstip).isoformat(timespec="seconds"),
        regel.actie,
        regel.resultaat,
        regel.gebruiker_id or "",
        regel.gebruiker.username if regel.gebruiker else "",
        regel.organisatie.naam if regel.organisatie else "",
        regel.object_type,
        regel.object_id,
        regel.convenant.slug if regel.convenant else "",
        regel.herkomst,
        regel.doel,
        regel.hash,
    ]
    return [neutraliseer(w) for w in waarden]


class _Regelbuffer:
    """A file-like object whose write() hands the line back, for streaming csv.writer output."""

    def write(self, regel: str) -> str:
        return regel


def _csv_regels(regels: Iterable[LogRegel]) -> Iterator[str]:
    schrijver = csv.writer(_Regelbuffer(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + schrijver.writerow(CSV_KOPPEN)
    for regel in regels:
        yield schrijver.writerow(_rij(regel))


class LogboekExportView(RolVereistMixin, View):
    rollen = (Rol.FG,)

    def get(self, request: IngelogdVerzoek) -> HttpResponse | StreamingHttpResponse:
        form = _filterformulier(request)
        if not form.is_valid():
            context: dict[str, Any] = {"form": form, "pagina": None}
            return render(request, "audit/logregel_list.html", context, status=400)
        logregel_voor_request(request, actie=Actie.EXPORTEREN, obj=LogRegel, doel=Doel.TOEZICHT)
        regels = logregel_list(user=request.user, **form.filters())
        response = StreamingHttpResponse(
            _csv_regels(regels.iterator(chunk_size=2000)), content_type="text/csv; charset=utf-8"
        )
        bestandsnaam = f"logboek-{timezone.localdate():%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{bestandsnaam}"'
        response["Cache-Control"] = "no-store"
        return response
