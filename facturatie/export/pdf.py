"""The PDF of an invoice or statement (WeasyPrint, Dutch, "Geen BTW verschuldigd"). Up to
:func:`max_regels` lines it lists every line; a larger one is summarised per type and per month, and refers
to its XLSX/CSV export for the full specification (thousands of PDF pages serve nobody and take minutes)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.template.loader import render_to_string

from facturatie.facturen.models import Factuur
from facturatie.facturen.services import gegevens_van


def max_regels() -> int:
    """Up to this many lines the PDF lists every line; above it, a summary (``FACTURATIE_PDF_MAX_REGELS``)."""
    return int(getattr(settings, "FACTURATIE_PDF_MAX_REGELS", 500))


def samenvatting(factuur: Factuur) -> dict[str, list[dict[str, Any]]]:
    """Count and amount per dossier type and per month of closure (exact: summed by the database as numeric)."""
    regels = factuur.regels.all()
    per_type = regels.values("dossiertype").annotate(aantal=Count("pk"), bedrag=Sum("bedrag")).order_by("dossiertype")
    per_maand = (
        regels.annotate(maand=TruncMonth("afgesloten_op"))
        .values("maand")
        .annotate(aantal=Count("pk"), bedrag=Sum("bedrag"))
        .order_by("maand")
    )
    return {"per_type": [dict(r) for r in per_type], "per_maand": [dict(r) for r in per_maand]}


def factuur_html(factuur: Factuur) -> str:
    concept = not factuur.nummer
    aantal = factuur.regels.count()
    groot = aantal > max_regels()
    totaal = factuur.regels.aggregate(s=Sum("bedrag"))["s"] or Decimal("0.00")
    return render_to_string(
        "facturatie/export/factuur_pdf.html",
        {
            "factuur": factuur,
            "concept": concept,
            # A draft shows today's details; an issued invoice its snapshot.
            "afzender": gegevens_van(factuur.gemeente) if concept else factuur.afzender_gegevens,
            "ontvanger": gegevens_van(factuur.ontvanger) if concept else factuur.ontvanger_gegevens,
            "aantal": aantal,
            "samenvatting": samenvatting(factuur) if groot else None,
            "regels": [] if groot else list(factuur.regels.order_by("dossiernummer", "pk")),
            "totaal": factuur.totaal if not concept else totaal,
        },
    )


def factuur_pdf(factuur: Factuur) -> bytes:
    """WeasyPrint is imported here: only who asks for a PDF pays for loading it."""
    from meldpunt.core.pdf import pdf_render

    return pdf_render(factuur_html(factuur))
