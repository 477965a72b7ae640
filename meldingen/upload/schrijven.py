"""The files the upload produces: the rejected rows and the example file, in the uploaded format, with formula-like
text neutralised."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .bestand import CSV, UTF8_BOM, Bestand, normaliseer_kolomnaam
from .parser import FOUT_KOLOM, KOLOMMEN, tekst

_FORMULE_BEGIN = ("=", "+", "-", "@", "\t", "\r")


def neutraliseer(waarde: Any) -> Any:
    """A text that a spreadsheet would run as a formula gets a leading apostrophe (CSV injection)."""
    if isinstance(waarde, str) and waarde.startswith(_FORMULE_BEGIN):
        return "'" + waarde
    return waarde


def _als_tekst(waarde: Any) -> str:
    """A cell for a CSV: text exactly as it was (not stripped), anything else as :func:`tekst`."""
    return waarde if isinstance(waarde, str) else tekst(waarde)


def schrijf_bestand(soort: str, kopregel: list[Any], rijen: Iterable[list[Any]]) -> bytes:
    """A CSV (``;``, UTF-8 with BOM) or XLSX file; every text value is neutralised.

    The rows are written one at a time to a temporary file (openpyxl's write-only mode does the same), so
    no list of rows or text of the whole file is built next to the result.
    """
    with tempfile.TemporaryFile() as uit:
        if soort == CSV:
            uit.write(UTF8_BOM)
            tekst_uit = io.TextIOWrapper(uit, encoding="utf-8", newline="")
            writer = csv.writer(tekst_uit, delimiter=";", lineterminator="\r\n")
            writer.writerow([neutraliseer(_als_tekst(c)) for c in kopregel])
            for rij in rijen:
                writer.writerow([neutraliseer(_als_tekst(c)) for c in rij])
            tekst_uit.flush()
            tekst_uit.detach()
        else:
            from openpyxl import Workbook

            boek = Workbook(write_only=True)
            blad = boek.create_sheet("Afgewezen rijen")
            blad.append([neutraliseer(_als_tekst(c)) for c in kopregel])
            for rij in rijen:
                blad.append([neutraliseer(c) for c in rij])
            boek.save(uit)
        uit.seek(0)
        return uit.read()


def afgewezen_bestand(bestand: Bestand, fouten_per_rij: Mapping[int, list[str]]) -> bytes:
    """The rejected rows with their original cells and a first column ``fout`` with the messages.

    A ``fout`` column of an earlier round (a corrected rejected-rows file uploaded again) is replaced. A row
    has at most the header's cells (a longer row is rejected for that reason; the file stays as wide as the
    header, whose width :mod:`meldingen.upload.limieten` limits).
    """
    oude_fout = {i for i, c in enumerate(bestand.kopregel) if normaliseer_kolomnaam(c) == FOUT_KOLOM}
    breedte = len(bestand.kopregel)
    kopregel = [FOUT_KOLOM] + [c for i, c in enumerate(bestand.kopregel) if i not in oude_fout]

    def rijen() -> Iterator[list[Any]]:
        for rij in bestand.rijen():
            berichten = fouten_per_rij.get(rij.nummer)
            if berichten is None:
                continue
            cellen = [c for i, c in enumerate(rij.cellen[:breedte]) if i not in oude_fout]
            yield [f"Rij {rij.nummer}: " + " ".join(berichten), *cellen]

    return schrijf_bestand(bestand.soort, kopregel, rijen())


def voorbeeld_bestand() -> bytes:
    """A CSV with only the header row, to start from."""
    return schrijf_bestand(CSV, list(KOLOMMEN), [])
