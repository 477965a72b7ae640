"""Limits on an uploaded file, checked in the worker before and while it is read (docs/security.md).

A few kilobytes of XLSX can unpack to gigabytes (a zip bomb), hold one shared string of hundreds of
megabytes, name a cell in column XFD or a row at 1,048,576 (openpyxl then yields every row or cell in
between), or merge a range over every row; a CSV header can have 200,000 columns. Each is refused with a
Dutch message before a cell or a rejected-rows file is built:

- :func:`controleer_archief` — before openpyxl opens the archive: the number of members, each member's
  uncompressed size, the total, the compression ratio of large members, and the shared strings (streamed:
  their number, each one's length);
- :func:`controleer_cel`, :func:`controleer_rij`, :func:`controleer_samenvoegingen` — called by the sheet
  scan of :mod:`meldingen.upload.bestand` for every cell, row and merged range;
- :func:`controleer_csv_regel` — every CSV row while the rows are counted.

The uncompressed size a zip member declares is the limit :mod:`zipfile` decompresses to, so a member
cannot unpack to more than it declares.
"""

from __future__ import annotations

import io
import zipfile

from .parser import BestandFout

#: Columns a row may have: the known columns with room for a ``fout`` column and a few of the Partner's own.
MAX_KOLOMMEN = 100
#: Characters in one cell (no column of the file format holds more than a few hundred).
MAX_CEL_TEKENS = 1_000
#: The highest row number a sheet may use (data rows plus room for empty rows).
MAX_RIJ_NUMMER = 200_000
#: Members of the XLSX archive.
MAX_LEDEN = 100
#: Uncompressed bytes of any one member, and of all of them together.
MAX_LID_BYTES = 300 * 1024 * 1024
MAX_TOTAAL_BYTES = 400 * 1024 * 1024
#: Compression ratio of a member larger than :data:`RATIO_VANAF_BYTES` (real sheets: 5 to 30).
MAX_VERHOUDING = 200
RATIO_VANAF_BYTES = 1024 * 1024
#: Entries of the shared-strings table (every cell of the largest file a distinct text).
MAX_GEDEELDE_TEKSTEN = 2_500_000
#: Merged ranges, and the rows they cover together.
MAX_SAMENVOEGINGEN = 1_000


def _getal(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def controleer_archief(inhoud: bytes) -> None:
    """Refuse an XLSX archive that would unpack too far; stream its shared strings within the limits."""
    try:
        with zipfile.ZipFile(io.BytesIO(inhoud)) as archief:
            leden = archief.infolist()
            if len(leden) > MAX_LEDEN:
                raise BestandFout("Het Excel-bestand bevat te veel onderdelen: sla het opnieuw op als .xlsx.")
            totaal = 0
            for lid in leden:
                totaal += lid.file_size
                te_groot = lid.file_size > MAX_LID_BYTES or totaal > MAX_TOTAAL_BYTES
                verhouding = lid.file_size / max(lid.compress_size, 1)
                if te_groot or (lid.file_size > RATIO_VANAF_BYTES and verhouding > MAX_VERHOUDING):
                    raise BestandFout(
                        "Het Excel-bestand pakt uit tot meer dan is toegestaan (mogelijk een zip-bom): "
                        "splits het bestand of sla het opnieuw op als .xlsx."
                    )
            gedeeld = next((lid.filename for lid in leden if lid.filename.lower().endswith("sharedstrings.xml")), None)
            if gedeeld is not None:
                with archief.open(gedeeld) as bron:
                    _controleer_gedeelde_teksten(bron)
    except zipfile.BadZipFile as exc:
        raise BestandFout("Het Excel-bestand is beschadigd en kan niet worden gelezen.") from exc


def _controleer_gedeelde_teksten(bron: object) -> None:
    from openpyxl.xml.functions import iterparse

    aantal = 0
    try:
        for _, element in iterparse(bron, events=("end",)):
            if element.tag.rsplit("}", 1)[-1] != "si":
                continue
            aantal += 1
            if aantal > MAX_GEDEELDE_TEKSTEN:
                raise BestandFout(
                    f"Het Excel-bestand bevat meer dan {_getal(MAX_GEDEELDE_TEKSTEN)} verschillende teksten: "
                    "splits het bestand."
                )
            if sum(len(t) for t in element.itertext()) > MAX_CEL_TEKENS:
                raise BestandFout(
                    f"Het Excel-bestand bevat een tekst van meer dan {_getal(MAX_CEL_TEKENS)} tekens: "
                    "geen kolom van het bestand heeft zo'n lange waarde."
                )
            element.clear()
    except BestandFout:
        raise
    except Exception as exc:  # damaged XML: refuse the file, do not guess
        raise BestandFout("Het Excel-bestand kan niet worden gelezen. Sla het opnieuw op als .xlsx.") from exc


def controleer_cel(*, rij: int, kolom: int, waarde: str | None) -> None:
    if kolom > MAX_KOLOMMEN:
        raise BestandFout(
            f"Rij {_getal(rij)} heeft een waarde in kolom {_getal(kolom)}; "
            f"het bestand mag ten hoogste {MAX_KOLOMMEN} kolommen hebben."
        )
    if waarde is not None and len(waarde) > MAX_CEL_TEKENS:
        raise BestandFout(f"Rij {_getal(rij)} heeft een waarde van meer dan {_getal(MAX_CEL_TEKENS)} tekens.")


def controleer_rij(*, rij: int, cellen: int) -> None:
    """``rij`` 0: a CSV line (its number is not a sheet row)."""
    if rij > MAX_RIJ_NUMMER:
        raise BestandFout(
            f"Het werkblad gebruikt rij {_getal(rij)}; ten hoogste rij {_getal(MAX_RIJ_NUMMER)} is toegestaan. "
            "Verwijder lege rijen onderaan het werkblad of splits het bestand."
        )
    if cellen > MAX_KOLOMMEN:
        raise BestandFout(
            f"Rij {_getal(rij)} heeft meer dan {MAX_KOLOMMEN} cellen; het bestand mag ten hoogste "
            f"{MAX_KOLOMMEN} kolommen hebben."
        )


def controleer_samenvoegingen(*, aantal: int, rijen: int) -> None:
    if aantal > MAX_SAMENVOEGINGEN or rijen > MAX_RIJ_NUMMER:
        raise BestandFout(
            "Het werkblad bevat te veel samengevoegde cellen: maak de samenvoegingen ongedaan en vul elke cel apart in."
        )


def controleer_csv_regel(*, rij: int, cellen: list[str]) -> None:
    if len(cellen) > MAX_KOLOMMEN:
        controleer_rij(rij=0, cellen=len(cellen))
    for cel in cellen:
        if len(cel) > MAX_CEL_TEKENS:
            raise BestandFout(f"Rij {_getal(rij)} heeft een waarde van meer dan {_getal(MAX_CEL_TEKENS)} tekens.")


def controleer_kopregel_breedte(breedte: int) -> None:
    if breedte > MAX_KOLOMMEN:
        raise BestandFout(
            f"De kopregel heeft {_getal(breedte)} kolommen; ten hoogste {MAX_KOLOMMEN} zijn toegestaan. "
            "Verwijder de lege kolommen achter de kopregel."
        )
