"""CSV and XLSX of an invoice's lines and of a year's overview: amounts as numbers, exact to the cent."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from facturatie.facturen.models import Factuur

UTF8_BOM = b"\xef\xbb\xbf"
_FORMULE_BEGIN = ("=", "+", "-", "@", "\t", "\r")

REGEL_KOLOMMEN = ["regel", "dossiernummer", "type", "afgesloten_op", "jaar", "bedrag"]
OVERZICHT_KOLOMMEN = ["nummer", "soort", "status", "convenant", "ontvanger", "jaar", "factuurdatum", "regels", "totaal"]


def _cel(waarde: Any) -> Any:
    if isinstance(waarde, str) and waarde.startswith(_FORMULE_BEGIN):
        return "'" + waarde  # a text a spreadsheet would run as a formula (CSV injection)
    return waarde


def _csv_tekst(waarde: Any) -> str:
    if isinstance(waarde, Decimal):
        return f"{waarde:.2f}".replace(".", ",")
    return "" if waarde is None else str(_cel(waarde) if isinstance(waarde, str) else waarde)


def regel_rijen(factuur: Factuur) -> list[list[Any]]:
    return [
        [i, r.dossiernummer, r.dossiertype, r.afgesloten_op, r.jaar, r.bedrag]
        for i, r in enumerate(factuur.regels.order_by("dossiernummer", "pk"), start=1)
    ]


def overzicht_rijen(facturen: Iterable[Factuur]) -> list[list[Any]]:
    return [
        [
            f.nummer or "(concept)",
            f.titel,
            f.get_status_display(),
            f.convenant.naam,
            f.ontvanger.naam,
            f.jaar,
            f.factuurdatum,
            getattr(f, "aantal_regels", None) if getattr(f, "aantal_regels", None) is not None else f.regels.count(),
            f.totaal if f.nummer else sum((r.bedrag for r in f.regels.all()), Decimal("0.00")),
        ]
        for f in facturen
    ]


def als_csv(kolommen: Sequence[str], rijen: Iterable[Sequence[Any]]) -> bytes:
    """``;``-separated, UTF-8 with BOM, decimal comma (what Dutch spreadsheets open directly)."""
    uit = io.StringIO(newline="")
    writer = csv.writer(uit, delimiter=";", lineterminator="\r\n")
    writer.writerow(kolommen)
    for rij in rijen:
        writer.writerow([_csv_tekst(c) for c in rij])
    return UTF8_BOM + uit.getvalue().encode("utf-8")


def als_xlsx(kolommen: Sequence[str], rijen: Iterable[Sequence[Any]], *, blad: str) -> bytes:
    """One sheet; amounts as numbers formatted to two decimals, dates as dates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    boek = Workbook(write_only=True)
    sheet = boek.create_sheet(blad[:31])
    sheet.append(list(kolommen))
    for rij in rijen:
        cellen = []
        for waarde in rij:
            cel = WriteOnlyCell(sheet, value=_cel(waarde))
            if isinstance(waarde, Decimal):
                cel.number_format = "#,##0.00"
            cellen.append(cel)
        sheet.append(cellen)
    uit = io.BytesIO()
    boek.save(uit)
    return uit.getvalue()
