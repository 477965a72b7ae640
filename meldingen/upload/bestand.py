"""Reading an uploaded file of meldingen (API.md "File upload"): pure functions, no database.

:func:`lees_bestand` recognises the file by its content (an XLSX is a zip archive, anything else is read
as CSV text), checks the header row and answers a :class:`Bestand`. Its :meth:`Bestand.rijen` walks the
non-empty data rows again each time it is called (the file is parsed, never kept as objects), so the
background task can count, skip to its checkpoint and re-read the rejected rows at the end. The values of
a row are read by :mod:`meldingen.upload.parser`; the files we produce are :mod:`meldingen.upload.schrijven`.

CSV: ``;`` or ``,`` (chosen by which one splits the header line into known column names), UTF-8 with or
without BOM, otherwise Windows-1252. XLSX: the first sheet, read with openpyxl in read-only mode with
``data_only=True``, so a formula gives its cached value. openpyxl does not report merged cells or
formulas without a cached value in that mode, so the sheet's XML is scanned once for them first
(:func:`_scan_blad`); such rows are refused with a message instead of being guessed.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .limieten import (
    controleer_archief,
    controleer_cel,
    controleer_csv_regel,
    controleer_kopregel_breedte,
    controleer_rij,
    controleer_samenvoegingen,
)
from .parser import FOUT_KOLOM, KOLOMMEN, VERPLICHTE_KOLOMMEN, BestandFout, Rij, is_leeg, tekst

CSV = "csv"
XLSX = "xlsx"
MIME = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

#: More data rows than this are refused (split the file).
MAX_RIJEN = 100_000
#: The first sheet's XML may not unpack to more than this (zip bombs).
MAX_BLAD_BYTES = 400 * 1024 * 1024

UTF8_BOM = b"\xef\xbb\xbf"
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old .xls format


# --- the file -----------------------------------------------------------------------------------------
def normaliseer_kolomnaam(waarde: object) -> str:
    return tekst(waarde).lstrip("\ufeff").strip().lower()


@dataclass
class Bestand:
    soort: str
    inhoud: bytes
    #: The header cells as they are in the file (for the rejected-rows file).
    kopregel: list[Any]
    #: Known column name -> position in the row.
    kolommen: dict[str, int]
    #: Row number of the header (1 unless the file starts with empty rows).
    kopregel_nummer: int = 1
    scheidingsteken: str = ";"
    #: Known without reading every row (XLSX: from the sheet scan); None: count by reading the rows.
    aantal_rijen: int | None = None
    _tekst: str = field(default="", repr=False)

    @property
    def mime(self) -> str:
        return MIME[self.soort]

    def rijen(self) -> Iterator[Rij]:
        """The non-empty data rows, in file order."""
        if self.soort == CSV:
            return self._csv_rijen()
        return self._xlsx_rijen()

    def waarden(self, rij: Rij) -> dict[str, object]:
        """The row's cells by column name; None for a cell the row does not have."""
        cellen = rij.cellen
        if len(cellen) >= len(self.kopregel):  # every row the file gives: padded to the header's width
            return {kolom: cellen[i] for kolom, i in self.kolommen.items()}
        return {kolom: cellen[i] if i < len(cellen) else None for kolom, i in self.kolommen.items()}

    def kolomnaam(self, positie: int) -> str:
        for kolom, i in self.kolommen.items():
            if i == positie:
                return kolom
        return ""

    # CSV
    def _csv_regels(self) -> Iterator[tuple[int, list[str]]]:
        """The non-empty data rows as (row number, cells), as the CSV reader gives them."""
        reader = csv.reader(io.StringIO(self._tekst, newline=""), delimiter=self.scheidingsteken)
        nummer = 0
        try:
            for cellen in reader:
                nummer += 1
                if nummer > self.kopregel_nummer and "".join(cellen).strip():  # not every cell empty or blank
                    yield nummer, cellen
        except csv.Error as exc:
            raise BestandFout(
                f"Het bestand kan vanaf rij {nummer + 1} niet worden gelezen: controleer de aanhalingstekens."
            ) from exc

    def _csv_rijen(self) -> Iterator[Rij]:
        breedte = len(self.kopregel)
        anders = "," if self.scheidingsteken == ";" else ";"
        for nummer, cellen in self._csv_regels():
            controleer_csv_regel(rij=nummer, cellen=cellen)  # the same limits as when counting
            fouten: list[tuple[str, str]] = []
            if len(cellen) < breedte and sum(c.count(anders) for c in cellen) >= breedte - 1:
                fouten.append(
                    ("", f"Deze rij gebruikt een ander scheidingsteken dan de kopregel ('{self.scheidingsteken}').")
                )
            elif len(cellen) > breedte:
                # Never guess which value moved: a split value shifts every column after it.
                fouten.append(
                    (
                        "",
                        "Deze rij heeft meer kolommen dan de kopregel. Staat er een "
                        f"'{self.scheidingsteken}' in een waarde? Zet die waarde dan tussen aanhalingstekens.",
                    )
                )
            yield Rij(nummer, tuple(cellen) + ("",) * (breedte - len(cellen)), tuple(fouten))

    # XLSX
    def _xlsx_rijen(self) -> Iterator[Rij]:
        breedte = len(self.kopregel)
        with _open_werkboek(self.inhoud) as blad:
            scan = _scan_blad(self.inhoud, blad)
            for nummer, cellen in enumerate(blad.iter_rows(values_only=True), start=1):
                if nummer <= self.kopregel_nummer:
                    continue
                formules = scan.formules_zonder_waarde.get(nummer, ())
                fout_cellen = scan.foutwaarden.get(nummer, ())
                samengevoegd = [r for r in scan.samengevoegd if r.bevat_rij(nummer)]
                leeg = all(is_leeg(c) for c in cellen)
                if leeg and not formules and not samengevoegd:
                    continue
                fouten: list[tuple[str, str]] = []
                for bereik in samengevoegd:
                    fouten.append(
                        (
                            self.kolomnaam(bereik.min_kolom - 1),
                            f"Samengevoegde cellen ({bereik.ref}): maak de samenvoeging ongedaan en vul elke cel "
                            "apart in.",
                        )
                    )
                for kolom in formules:
                    fouten.append(
                        (
                            self.kolomnaam(kolom - 1),
                            "Deze cel bevat een formule zonder berekende waarde: open het bestand in Excel en sla het "
                            "opnieuw op, of vul de waarde zelf in.",
                        )
                    )
                for kolom in fout_cellen:
                    fouten.append((self.kolomnaam(kolom - 1), "Deze cel bevat een foutwaarde van een formule."))
                if any(not is_leeg(c) for c in cellen[breedte:]):
                    fouten.append(("", "Deze rij heeft waarden in kolommen zonder kolomnaam in de kopregel."))
                yield Rij(nummer, tuple(cellen) + (None,) * (breedte - len(cellen)), tuple(fouten))


def herken_soort(inhoud: bytes) -> str:
    """CSV or XLSX by the first bytes only (nothing is parsed); raises :class:`BestandFout`."""
    if not inhoud.strip():
        raise BestandFout("Het bestand is leeg.")
    if inhoud.startswith(_XLSX_MAGIC):
        return XLSX
    if inhoud.startswith(_OLE_MAGIC):
        raise BestandFout("Het oude Excel-formaat (.xls) wordt niet ondersteund: sla het bestand op als .xlsx of CSV.")
    return CSV


def lees_bestand(inhoud: bytes) -> Bestand:
    """Recognise the file by its content and check its header; raises :class:`BestandFout`."""
    if herken_soort(inhoud) == XLSX:
        return _lees_xlsx(inhoud)
    return _lees_csv(inhoud)


def tel_rijen(bestand: Bestand) -> int:
    """The number of non-empty data rows; raises :class:`BestandFout` for none or too many."""
    aantal = bestand.aantal_rijen or 0
    if bestand.aantal_rijen is None:  # CSV: counted as the rows are read, without making them
        if bestand.soort == CSV:
            for nummer, cellen in bestand._csv_regels():
                controleer_csv_regel(rij=nummer, cellen=cellen)
                aantal += 1
                if aantal > MAX_RIJEN:
                    break
        else:
            for _ in bestand.rijen():
                aantal += 1
                if aantal > MAX_RIJEN:
                    break
    if aantal > MAX_RIJEN:
        maximum = f"{MAX_RIJEN:,}".replace(",", ".")
        raise BestandFout(f"Het bestand heeft meer dan {maximum} rijen: splits het in kleinere bestanden.")
    if not aantal:
        raise BestandFout("Het bestand bevat geen meldingen: alleen een kopregel.")
    return aantal


def _controleer_kopregel(kopregel: list[Any]) -> dict[str, int]:
    namen = [normaliseer_kolomnaam(c) for c in kopregel]
    kolommen: dict[str, int] = {}
    dubbel: list[str] = []
    onbekend: list[str] = []
    for i, naam in enumerate(namen):
        if not naam or naam == FOUT_KOLOM:
            continue
        if naam not in KOLOMMEN:
            onbekend.append(naam)
        elif naam in kolommen:
            if naam not in dubbel:
                dubbel.append(naam)
        else:
            kolommen[naam] = i
    ontbrekend = [k for k in VERPLICHTE_KOLOMMEN if k not in kolommen]
    if "voornamen" not in kolommen and "voorletters" not in kolommen:
        ontbrekend.append("voornamen of voorletters")
    delen = []
    if ontbrekend:
        delen.append("De kopregel mist verplichte kolommen: " + ", ".join(ontbrekend) + ".")
        if onbekend:
            delen.append("Niet herkende kolommen: " + ", ".join(onbekend[:10]) + ".")
    if dubbel:
        delen.append("Deze kolommen staan meer dan eens in de kopregel: " + ", ".join(dubbel) + ".")
    if delen:
        raise BestandFout(" ".join(delen))
    return kolommen


def _decodeer(inhoud: bytes) -> str:
    if inhoud.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BestandFout("Het bestand is opgeslagen als UTF-16 (Unicode-tekst): sla het op als CSV (UTF-8).")
    if b"\x00" in inhoud:
        raise BestandFout("Dit is geen CSV- of Excel-bestand (.csv of .xlsx).")
    if inhoud.startswith(UTF8_BOM):
        inhoud = inhoud[len(UTF8_BOM) :]
    try:
        return inhoud.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return inhoud.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise BestandFout("De tekens in het bestand zijn niet te lezen: sla het op als CSV (UTF-8).") from exc


def _eerste_regel(tekst_: str) -> tuple[int, str]:
    """The index and text of the first non-empty line, split on line ends the way ``csv`` does."""
    for index, m in enumerate(re.finditer(r"([^\r\n]*)(?:\r\n|\r|\n|$)", tekst_)):
        if m.group(1).strip(" \t;,"):
            return index, m.group(1)
        if m.end() >= len(tekst_):
            break
    raise BestandFout("Het bestand is leeg.")


def _lees_csv(inhoud: bytes) -> Bestand:
    tekst_ = _decodeer(inhoud)
    kop_index, kopregel_tekst = _eerste_regel(tekst_)
    beste: tuple[int, str, list[str]] | None = None
    for teken in (";", ","):
        try:
            cellen = next(csv.reader([kopregel_tekst], delimiter=teken))
        except (csv.Error, StopIteration):
            continue
        herkend = len({normaliseer_kolomnaam(c) for c in cellen} & set(KOLOMMEN))
        if beste is None or herkend > beste[0]:
            beste = (herkend, teken, cellen)
    if beste is None or beste[0] == 0:
        raise BestandFout(
            "De kopregel is niet herkend. De eerste regel moet de kolomnamen bevatten (zie het voorbeeldbestand), "
            "gescheiden door een puntkomma (;) of een komma (,)."
        )
    _, teken, kopregel = beste
    controleer_kopregel_breedte(len(kopregel))
    kolommen = _controleer_kopregel(kopregel)
    return Bestand(
        soort=CSV,
        inhoud=inhoud,
        kopregel=list(kopregel),
        kolommen=kolommen,
        kopregel_nummer=kop_index + 1,
        scheidingsteken=teken,
        _tekst=tekst_,
    )


# --- XLSX ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Bereik:
    ref: str
    min_kolom: int
    min_rij: int
    max_kolom: int
    max_rij: int

    def bevat_rij(self, rij: int) -> bool:
        return self.min_rij <= rij <= self.max_rij


@dataclass
class BladScan:
    samengevoegd: list[Bereik] = field(default_factory=list)
    #: row -> columns (1-based) with a formula but no cached value
    formules_zonder_waarde: dict[int, list[int]] = field(default_factory=dict)
    #: row -> columns (1-based) whose cached value is an error (#N/A, #DIV/0! …)
    foutwaarden: dict[int, list[int]] = field(default_factory=dict)
    #: rows with at least one value (or a formula without value, or an error)
    gevulde_rijen: list[int] = field(default_factory=list)
    laatste_rij: int = 0
    #: Rows covered by the merged ranges so far (summed per range).
    samen_rijen: int = 0

    def aantal_rijen_na(self, kopregel: int) -> int:
        """The data rows :meth:`Bestand.rijen` will yield: filled rows and rows covered by a merge."""
        rijen = {r for r in self.gevulde_rijen if r > kopregel}
        for b in self.samengevoegd:
            rijen.update(range(max(b.min_rij, kopregel + 1), min(b.max_rij, self.laatste_rij) + 1))
        return len(rijen)


class _Werkboek:
    def __init__(self, inhoud: bytes) -> None:
        from openpyxl import load_workbook

        try:
            self.boek = load_workbook(io.BytesIO(inhoud), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise BestandFout("Het Excel-bestand kan niet worden gelezen. Sla het opnieuw op als .xlsx.") from exc
        if not self.boek.worksheets:
            self.boek.close()
            raise BestandFout("Het Excel-bestand heeft geen werkblad.")
        self.blad = self.boek.worksheets[0]
        self.blad.reset_dimensions()  # do not trust the stored size: read every row there is

    def __enter__(self) -> Any:
        return self.blad

    def __exit__(self, *args: object) -> None:
        self.boek.close()


def _open_werkboek(inhoud: bytes) -> _Werkboek:
    return _Werkboek(inhoud)


def _cel_positie(ref: str) -> tuple[int, int]:
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    letters, rij = coordinate_from_string(ref)
    return column_index_from_string(letters), rij


def _scan_blad(inhoud: bytes, blad: Any) -> BladScan:
    """Merged ranges, formulas without cached value, error values and non-empty rows of the first sheet.

    openpyxl's read-only worksheet does not expose the first three, so the sheet XML (at the path
    openpyxl resolved for the worksheet) is streamed once with the same expat-based parser openpyxl
    uses. Counting the non-empty rows here costs a fraction of reading every cell with openpyxl, which
    matters because :func:`tel_rijen` runs while the user waits for the upload to be accepted.
    """
    from openpyxl.xml.functions import iterparse

    scan = BladScan()
    gedeeld = getattr(blad, "_shared_strings", None) or []
    pad = blad._worksheet_path.lstrip("/")
    try:
        with zipfile.ZipFile(io.BytesIO(inhoud)) as archief:
            if archief.getinfo(pad).file_size > MAX_BLAD_BYTES:
                raise BestandFout("Het werkblad is te groot: splits het bestand.")
            with archief.open(pad) as bron:
                rij_nummer = kolom = cellen = 0
                bijzonder: list[tuple[int, bool]] = []
                gevuld = False
                for _, element in iterparse(bron, events=("end",)):
                    naam = element.tag.rsplit("}", 1)[-1]
                    if naam == "c":
                        ref = element.get("r")
                        soort, zonder_waarde, waarde = _cel_inhoud(element, gedeeld)
                        cellen += 1
                        if (ref and len(ref) > 1 and ref[1].isalpha()) or (waarde and len(waarde) > 100):
                            # Column AA or further, or a long value: within the limits? (cheap otherwise)
                            controleer_cel(
                                rij=rij_nummer + 1,
                                kolom=_cel_positie(ref)[0] if ref else cellen,
                                waarde=waarde,
                            )
                        # The column is only needed to name it in a message (cells may lack a reference).
                        kolom = kolom + 1 if not ref else -1
                        if soort == "e" or zonder_waarde:
                            kolom = _cel_positie(ref)[0] if ref else kolom
                            bijzonder.append((kolom, soort == "e"))
                            gevuld = True
                        elif not is_leeg(waarde):
                            gevuld = True
                    elif naam == "row":
                        nummer = element.get("r")
                        rij_nummer = int(nummer) if nummer else rij_nummer + 1
                        controleer_rij(rij=rij_nummer, cellen=cellen)
                        for positie, is_fout in bijzonder:
                            doel = scan.foutwaarden if is_fout else scan.formules_zonder_waarde
                            doel.setdefault(rij_nummer, []).append(positie)
                        if gevuld:
                            scan.gevulde_rijen.append(rij_nummer)
                        scan.laatste_rij = rij_nummer
                        bijzonder, gevuld, kolom, cellen = [], False, 0, 0
                        element.clear()
                    elif naam == "mergeCell" and element.get("ref"):
                        ref = element.get("ref", "")
                        begin, _, eind = ref.partition(":")
                        k1, r1 = _cel_positie(begin)
                        k2, r2 = _cel_positie(eind or begin)
                        scan.samengevoegd.append(Bereik(ref, min(k1, k2), min(r1, r2), max(k1, k2), max(r1, r2)))
                        scan.samen_rijen += abs(r2 - r1) + 1
                        controleer_samenvoegingen(aantal=len(scan.samengevoegd), rijen=scan.samen_rijen)
    except BestandFout:
        raise
    except Exception as exc:  # a damaged archive or XML: refuse the file, do not guess
        raise BestandFout("Het Excel-bestand kan niet worden gelezen. Sla het opnieuw op als .xlsx.") from exc
    return scan


def _cel_inhoud(element: Any, gedeeld: list[Any]) -> tuple[str, bool, str | None]:
    """(type, formula without a cached value, the value as text or None) of one ``<c>`` element.

    A formula whose result is the empty string is stored by Excel as ``t="str"`` with an empty
    ``<v>``: that is a calculated (empty) value, not a missing one.
    """
    soort = element.get("t", "n")
    formule = heeft_v = False
    waarde: str | None = None
    for kind in element:
        kindnaam = kind.tag.rsplit("}", 1)[-1]
        if kindnaam == "f":
            formule = True
        elif kindnaam == "v":
            heeft_v = True
            if kind.text:
                waarde = kind.text
        elif kindnaam == "is":
            waarde = "".join(kind.itertext())
    if soort == "s" and waarde is not None and waarde.isdigit() and int(waarde) < len(gedeeld):
        waarde = str(gedeeld[int(waarde)])
    zonder_waarde = formule and waarde is None and not (soort == "str" and heeft_v)
    return soort, zonder_waarde, waarde


def _lees_xlsx(inhoud: bytes) -> Bestand:
    try:
        with zipfile.ZipFile(io.BytesIO(inhoud)) as archief:
            namen = set(archief.namelist())
            if "mimetype" in namen and b"opendocument" in archief.read("mimetype"):
                raise BestandFout("OpenDocument-bestanden (.ods) worden niet ondersteund: sla op als .xlsx of CSV.")
            if "xl/workbook.xml" not in namen and not any(n.endswith("workbook.xml") for n in namen):
                raise BestandFout("Dit zip-bestand is geen Excel-bestand (.xlsx).")
    except zipfile.BadZipFile as exc:
        raise BestandFout("Het Excel-bestand is beschadigd en kan niet worden gelezen.") from exc
    controleer_archief(inhoud)  # before openpyxl reads the shared strings
    with _open_werkboek(inhoud) as blad:
        scan = _scan_blad(inhoud, blad)
        kopregel: list[Any] | None = None
        nummer = 0
        for positie, cellen in enumerate(blad.iter_rows(values_only=True), start=1):
            if not all(is_leeg(c) for c in cellen):
                kopregel, nummer = list(cellen), positie
                break
    if kopregel is None:
        raise BestandFout("Het Excel-bestand is leeg: het eerste werkblad heeft geen kopregel.")
    while kopregel and is_leeg(kopregel[-1]):
        kopregel.pop()
    if any(b.bevat_rij(nummer) for b in scan.samengevoegd):
        raise BestandFout("De kopregel bevat samengevoegde cellen: zet elke kolomnaam in een eigen cel.")
    kolommen = _controleer_kopregel(kopregel)
    return Bestand(
        soort=XLSX,
        inhoud=inhoud,
        kopregel=kopregel,
        kolommen=kolommen,
        kopregel_nummer=nummer,
        aantal_rijen=scan.aantal_rijen_na(nummer),
    )
