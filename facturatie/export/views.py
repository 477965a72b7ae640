"""Downloads: an invoice as PDF, CSV, XLSX or SI-UBL e-invoice; the year's overview as CSV or XLSX."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from facturatie.facturen.models import Factuur
from facturatie.facturen.opstellen import DOEL_FACTURATIE
from facturatie.facturen.selectors import FACTUUR_ROLLEN, factuur_get, factuur_list
from facturatie.facturen.workflow import FactuurSoort
from meldpunt.audit.models import Actie
from meldpunt.audit.services import logregel_voor_request
from meldpunt.core.downloads import bijlage
from meldpunt.core.models import Rol
from meldpunt.core.permissions import IngelogdVerzoek, rol_vereist

from .pdf import factuur_pdf
from .tabellen import OVERZICHT_KOLOMMEN, REGEL_KOLOMMEN, als_csv, als_xlsx, overzicht_rijen, regel_rijen
from .ubl import factuur_ubl

CSV_MIME = "text/csv; charset=utf-8"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _bestandsnaam(factuur: Factuur, extensie: str) -> str:
    return f"{factuur.nummer or f'concept-{factuur.soort}-{factuur.jaar}-{factuur.pk}'}.{extensie}"


def _geef(request: IngelogdVerzoek, factuur: Factuur, inhoud: bytes, extensie: str, mime: str) -> HttpResponse:
    logregel_voor_request(request, actie=Actie.EXPORTEREN, obj=factuur, doel=DOEL_FACTURATIE)
    return bijlage(inhoud, naam=_bestandsnaam(factuur, extensie), mime=mime)


@rol_vereist(*FACTUUR_ROLLEN)
def factuur_pdf_view(request: IngelogdVerzoek, pk: int) -> HttpResponse:
    factuur = factuur_get(user=request.user, pk=pk)
    return _geef(request, factuur, factuur_pdf(factuur), "pdf", "application/pdf")


@rol_vereist(*FACTUUR_ROLLEN)
def factuur_csv_view(request: IngelogdVerzoek, pk: int) -> HttpResponse:
    factuur = factuur_get(user=request.user, pk=pk)
    return _geef(request, factuur, als_csv(REGEL_KOLOMMEN, regel_rijen(factuur)), "csv", CSV_MIME)


@rol_vereist(*FACTUUR_ROLLEN)
def factuur_xlsx_view(request: IngelogdVerzoek, pk: int) -> HttpResponse:
    factuur = factuur_get(user=request.user, pk=pk)
    inhoud = als_xlsx(REGEL_KOLOMMEN, regel_rijen(factuur), blad=factuur.nummer or "Concept")
    return _geef(request, factuur, inhoud, "xlsx", XLSX_MIME)


@rol_vereist(Rol.FINANCIEN, Rol.PARTNER_BEHEER)
def factuur_ubl_view(request: IngelogdVerzoek, pk: int) -> HttpResponse:
    factuur = factuur_get(user=request.user, pk=pk)
    if not factuur.nummer or factuur.soort != FactuurSoort.COFINANCIERING:
        raise Http404("Een e-factuur is er alleen van een uitgegeven cofinancieringsfactuur.")
    return _geef(request, factuur, factuur_ubl(factuur), "xml", "application/xml")


def _overzicht(request: IngelogdVerzoek) -> tuple[int | None, list[Factuur]]:
    jaar_tekst = request.GET.get("jaar", "")
    jaar = int(jaar_tekst) if jaar_tekst.isdigit() else None
    facturen = list(factuur_list(user=request.user, jaar=jaar).order_by("-jaar", "nummer", "pk"))
    logregel_voor_request(request, actie=Actie.EXPORTEREN, obj=Factuur, doel=DOEL_FACTURATIE)
    return jaar, facturen


@rol_vereist(*FACTUUR_ROLLEN)
def overzicht_csv_view(request: IngelogdVerzoek) -> HttpResponse:
    jaar, facturen = _overzicht(request)
    return bijlage(
        als_csv(OVERZICHT_KOLOMMEN, overzicht_rijen(facturen)), naam=f"facturen-{jaar or 'alle'}.csv", mime=CSV_MIME
    )


@rol_vereist(*FACTUUR_ROLLEN)
def overzicht_xlsx_view(request: IngelogdVerzoek) -> HttpResponse:
    jaar, facturen = _overzicht(request)
    inhoud = als_xlsx(OVERZICHT_KOLOMMEN, overzicht_rijen(facturen), blad=f"Facturen {jaar or 'alle jaren'}")
    return bijlage(inhoud, naam=f"facturen-{jaar or 'alle'}.xlsx", mime=XLSX_MIME)
