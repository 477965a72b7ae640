"""The PDF of an invoice or statement (WeasyPrint, Dutch, "Geen BTW verschuldigd")."""

from __future__ import annotations

from django.template.loader import render_to_string

from facturatie.facturen.models import Factuur
from facturatie.facturen.services import gegevens_van


def factuur_html(factuur: Factuur) -> str:
    concept = not factuur.nummer
    return render_to_string(
        "facturatie/export/factuur_pdf.html",
        {
            "factuur": factuur,
            "concept": concept,
            # A draft shows today's details; an issued invoice its snapshot.
            "afzender": gegevens_van(factuur.gemeente) if concept else factuur.afzender_gegevens,
            "ontvanger": gegevens_van(factuur.ontvanger) if concept else factuur.ontvanger_gegevens,
            "regels": list(factuur.regels.order_by("dossiernummer", "pk")),
            "totaal": factuur.totaal if not concept else sum(r.bedrag for r in factuur.regels.all()),
        },
    )


def factuur_pdf(factuur: Factuur) -> bytes:
    """WeasyPrint is imported here: only who asks for a PDF pays for loading it."""
    from meldpunt.core.pdf import pdf_render

    return pdf_render(factuur_html(factuur))
