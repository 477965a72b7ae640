"""The destruction report (vernietigingsverklaring) as PDF and XLSX: dossier numbers, dates, the categories
destroyed and the holds that kept others. No personal data: only what the report lines hold."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from meldingen.upload.schrijven import neutraliseer

from .models import VernietigingsRegel, Vernietigingsverklaring
from .workflow import BlokkadeGrond, RegelUitkomst


def regels(verklaring: Vernietigingsverklaring) -> list[VernietigingsRegel]:
    return list(verklaring.regels.order_by("uitkomst", "dossiernummer"))


def _gronden(regel: VernietigingsRegel) -> str:
    return ", ".join(BlokkadeGrond(g).label for g in regel.gronden if g in BlokkadeGrond.values)


def _categorieen(regel: VernietigingsRegel) -> str:
    return "; ".join(f"{naam}: {aantal}" for naam, aantal in sorted(regel.categorieen.items()))


def verklaring_context(verklaring: Vernietigingsverklaring) -> dict[str, Any]:
    alle = regels(verklaring)
    return {
        "verklaring": verklaring,
        "vernietigd": [(r, _categorieen(r)) for r in alle if r.uitkomst == RegelUitkomst.VERNIETIGD],
        "tegengehouden": [(r, _gronden(r)) for r in alle if r.uitkomst == RegelUitkomst.TEGENGEHOUDEN],
        "gemaakt_op": timezone.now(),
    }


def verklaring_pdf(verklaring: Vernietigingsverklaring) -> bytes:
    """The report as PDF (rendered by meldpunt.core.pdf, which fetches nothing outside the static files)."""
    from meldpunt.core.pdf import pdf_render

    return pdf_render(render_to_string("meldingen/bewaring/verklaring_pdf.html", verklaring_context(verklaring)))


KOPREGEL = [
    "Dossiernummer",
    "Uitkomst",
    "Aanleiding",
    "Afgesloten op",
    "Termijn verstreken op",
    "Tijdstip",
    "Vernietigde categorieën",
    "Gronden van de blokkade",
]


def verklaring_xlsx(verklaring: Vernietigingsverklaring) -> bytes:
    from openpyxl import Workbook

    boek = Workbook(write_only=True)
    blad = boek.create_sheet("Vernietigingsverklaring")
    blad.append([f"Vernietigingsverklaring {verklaring.convenant.naam} {verklaring.datum:%d-%m-%Y}"])
    blad.append([neutraliseer(k) for k in KOPREGEL])
    for regel in regels(verklaring):
        blad.append(
            [
                neutraliseer(regel.dossiernummer),
                RegelUitkomst(regel.uitkomst).label,
                regel.get_aanleiding_display(),
                timezone.localtime(regel.afgesloten_op).replace(tzinfo=None) if regel.afgesloten_op else None,
                regel.vernietigen_vanaf,
                timezone.localtime(regel.tijdstip).replace(tzinfo=None),
                neutraliseer(_categorieen(regel)),
                neutraliseer(_gronden(regel)),
            ]
        )
    uit = io.BytesIO()
    boek.save(uit)
    return uit.getvalue()
