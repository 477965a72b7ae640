"""The columns of an uploaded file of meldingen (API.md "File upload") and reading their values: pure functions.

:func:`invoer_uit_waarden` turns one row into a :class:`~meldingen.intake.validatie.MeldingInvoer` plus parse
errors per column; the business rules are applied afterwards by ``valideer_melding``. Reading the file
itself (CSV, XLSX) is :mod:`meldingen.upload.bestand`.

Every message is Dutch and names a column or a format, never the value itself: row errors are stored
and shown without personal data.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from meldingen.intake.validatie import MeldingInvoer

#: The columns of API.md "File upload", in the documented order.
KOLOMMEN: tuple[str, ...] = (
    "convenant",
    "type",
    "referentie",
    "achternaam",
    "voornamen",
    "voorletters",
    "geboortedatum",
    "telefoon",
    "email",
    "straat",
    "huisnummer",
    "toevoeging",
    "postcode",
    "woonplaats",
    "minderjarige_kinderen",
    "achterstand_bedrag",
    "achterstand_maanden",
    "herhaald",
    "maandhuur",
    "herinnering_op",
    "contactpoging_op",
    "informatie_doorgifte_op",
    "vonnisdatum",
    "ontruimingsdatum",
)
#: Columns that may be left out of the header: optional values, and the EO dates (only for EO rows).
OPTIONELE_KOLOMMEN = frozenset(
    {
        "voornamen",
        "voorletters",
        "telefoon",
        "email",
        "toevoeging",
        "minderjarige_kinderen",
        "herhaald",
        "vonnisdatum",
        "ontruimingsdatum",
    }
)
VERPLICHTE_KOLOMMEN = tuple(k for k in KOLOMMEN if k not in OPTIONELE_KOLOMMEN)
EO_KOLOMMEN = ("vonnisdatum", "ontruimingsdatum")
#: The column with the error messages in the rejected-rows file (ignored when a corrected file comes back).
FOUT_KOLOM = "fout"


class BestandFout(Exception):
    """The file as a whole cannot be used; ``bericht`` is a Dutch sentence for the user."""

    def __init__(self, bericht: str) -> None:
        super().__init__(bericht)
        self.bericht = bericht


class Ongeldig(Exception):
    """One value cannot be read; ``bericht`` is a Dutch message without the value."""

    def __init__(self, bericht: str) -> None:
        super().__init__(bericht)
        self.bericht = bericht


@dataclass(slots=True)
class Rij:
    """One non-empty data row: its number as the user sees it (header = row 1) and its cells."""

    nummer: int
    #: The cell values in header order (str for CSV; str, int, float, bool, datetime or None for XLSX).
    cellen: tuple[Any, ...]
    #: Reasons to refuse the row as a whole, as (column, message): merged cells, formulas, extra cells.
    fouten: tuple[tuple[str, str], ...] = ()


# --- values -------------------------------------------------------------------------------------------
_DATUM_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_DATUM_NL = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})(?: 00:00(?::00)?)?$")
_BEDRAG = re.compile(r"^([-+]?)\s*(?:€|eur)?\s*([-+]?)\s*([0-9][0-9.,]*)$", re.IGNORECASE)
_GETAL = re.compile(r"^[-+]?\d{1,9}$")
_WAAR = frozenset({"ja", "j", "true", "waar", "1", "yes", "y"})
_ONWAAR = frozenset({"nee", "n", "false", "onwaar", "0", "no"})

FOUT_DATUM = "Geen geldige datum: gebruik 2026-10-01 of 01-10-2026."
FOUT_DATUM_BESTAAT_NIET = "Deze datum bestaat niet."
FOUT_BEDRAG = "Geen geldig bedrag: gebruik bijvoorbeeld 1300,00, 1.300,00 of 1300.00."
FOUT_BEDRAG_ONDUIDELIJK = "Onduidelijk bedrag: schrijf de centen erbij, bijvoorbeeld 1.300,00 of 1300.00."
FOUT_GETAL = "Vul een geheel getal in."
FOUT_HUISNUMMER = "Vul alleen het huisnummer in (cijfers); een toevoeging hoort in de kolom toevoeging."
FOUT_JA_NEE = "Vul ja of nee in (of true/false, 1/0)."
FOUT_VEO_MET_EO = "Een VEO-melding heeft geen vonnis- en ontruimingsdatum: laat dit leeg."


def is_leeg(waarde: object) -> bool:
    return waarde is None or (isinstance(waarde, str) and (not waarde or waarde.isspace()))


def tekst(waarde: object) -> str:
    """A cell as text (a number typed into a text column in Excel becomes its digits)."""
    if type(waarde) is str:  # every CSV cell
        return waarde.strip()
    if waarde is None:
        return ""
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if isinstance(waarde, float) and math.isfinite(waarde) and waarde.is_integer():
        return str(int(waarde))
    if isinstance(waarde, dt.datetime):
        return waarde.date().isoformat() if waarde.time() == dt.time() else waarde.isoformat(sep=" ")
    if isinstance(waarde, dt.date):
        return waarde.isoformat()
    return str(waarde).strip()


def parse_datum(waarde: object) -> dt.date | None:
    if type(waarde) is str:  # every CSV cell
        return _datum_uit_tekst(waarde.strip())
    if is_leeg(waarde):
        return None
    if isinstance(waarde, dt.datetime):
        return waarde.date()
    if isinstance(waarde, dt.date):
        return waarde
    if not isinstance(waarde, str):
        raise Ongeldig(FOUT_DATUM)
    return _datum_uit_tekst(waarde.strip())


def vergeet_celwaarden() -> None:
    """Empty the caches of cell values (dates, such as birth dates, and amounts): called after each upload."""
    _datum_uit_tekst.cache_clear()
    _bedrag_algemeen.cache_clear()


@lru_cache(maxsize=4096)
def _datum_uit_tekst(s: str) -> dt.date | None:
    """A date cell as stripped text; cached, because a file repeats the same few dates in most of its rows.

    Only a date read is cached, never an :class:`Ongeldig`: a text of at most 19 characters and an
    immutable date.
    """
    if not s:
        return None
    if m := _DATUM_ISO.match(s):
        jaar, maand, dag = map(int, m.groups())
    elif m := _DATUM_NL.match(s):
        dag, maand, jaar = map(int, m.groups())
    else:
        raise Ongeldig(FOUT_DATUM)
    try:
        return dt.date(jaar, maand, dag)
    except ValueError as exc:
        raise Ongeldig(FOUT_DATUM_BESTAAT_NIET) from exc


#: Per decimal separator: thousands-grouped amount with decimals (``1.300,00`` / ``1,300.00``).
_BEDRAG_GEGROEPEERD = {
    d: re.compile(rf"\d{{1,3}}(?:{re.escape(t)}\d{{3}})+{re.escape(d)}\d+") for d, t in ((",", "."), (".", ","))
}
#: Per separator (the only one in the amount): ``1.300`` (ambiguous), ``1300,5``, ``1.300.000``.
_BEDRAG_DRIE_CIJFERS = {t: re.compile(rf"\d{{1,3}}{re.escape(t)}\d{{3}}") for t in ".,"}
_BEDRAG_DECIMAAL = {t: re.compile(rf"\d+{re.escape(t)}\d+") for t in ".,"}
_BEDRAG_DUIZENDTALLEN = {t: re.compile(rf"\d{{1,3}}(?:{re.escape(t)}\d{{3}}){{2,}}") for t in ".,"}


def _bedrag_uit_tekst(getal: str) -> Decimal:
    punten, kommas = getal.count("."), getal.count(",")
    if punten and kommas:
        decimaal = "," if getal.rfind(",") > getal.rfind(".") else "."
        duizend = "." if decimaal == "," else ","
        if not _BEDRAG_GEGROEPEERD[decimaal].fullmatch(getal):
            raise Ongeldig(FOUT_BEDRAG)
        return Decimal(getal.replace(duizend, "").replace(decimaal, "."))
    if punten or kommas:
        teken = "." if punten else ","
        if _BEDRAG_DRIE_CIJFERS[teken].fullmatch(getal):
            # 1.300 is 1300 in Dutch and 1.3 in English; 1,300 the other way round.
            raise Ongeldig(FOUT_BEDRAG_ONDUIDELIJK)
        if (punten or kommas) == 1 and _BEDRAG_DECIMAAL[teken].fullmatch(getal):
            return Decimal(getal.replace(",", "."))
        if _BEDRAG_DUIZENDTALLEN[teken].fullmatch(getal):
            return Decimal(getal.replace(teken, ""))
        raise Ongeldig(FOUT_BEDRAG)
    return Decimal(getal)


def parse_bedrag(waarde: object) -> Decimal | None:
    """``1300.00``, ``1300,00``, ``1.300,00``, ``€ 1.300,00`` (and an Excel number) as a Decimal."""
    if type(waarde) is str:  # every CSV cell
        return _bedrag_uit_cel(waarde.strip())
    if is_leeg(waarde):
        return None
    if isinstance(waarde, bool):
        raise Ongeldig(FOUT_BEDRAG)
    if isinstance(waarde, int):
        return Decimal(waarde)
    if isinstance(waarde, float):
        if not math.isfinite(waarde):
            raise Ongeldig(FOUT_BEDRAG)
        bedrag = Decimal(repr(waarde))
        afgerond = bedrag.quantize(Decimal("0.01")) if abs(bedrag) < 10**12 else bedrag
        # Excel arithmetic leaves binary noise (715.0000000000001); real cents are kept.
        return afgerond if abs(afgerond - bedrag) < Decimal("0.000001") else bedrag
    if not isinstance(waarde, str):
        raise Ongeldig(FOUT_BEDRAG)
    return _bedrag_uit_cel(waarde.strip())


def _bedrag_uit_cel(cel: str) -> Decimal | None:
    """An amount cell as stripped text."""
    if not cel:
        return None
    if len(cel) <= 40 and cel[-3:-2] in (",", ".") and cel.isascii() and cel[:-3].isdigit() and cel[-2:].isdigit():
        # The usual form, 1300,00 or 1300.00: what the general reading below makes of it.
        return Decimal(cel.replace(",", "."))
    return _bedrag_algemeen(cel)


@lru_cache(maxsize=4096)
def _bedrag_algemeen(cel: str) -> Decimal:
    """Any other form of amount; cached like dates (a text of at most 40 characters, an immutable Decimal)."""
    s = cel.replace("\u00a0", " ")
    m = _BEDRAG.match(s)
    if not m or len(s) > 40 or (m.group(1) and m.group(2)):
        raise Ongeldig(FOUT_BEDRAG)
    try:
        bedrag = _bedrag_uit_tekst(m.group(3))
    except InvalidOperation as exc:
        raise Ongeldig(FOUT_BEDRAG) from exc
    return -bedrag if "-" in (m.group(1), m.group(2)) else bedrag


def parse_getal(waarde: object, *, bericht: str = FOUT_GETAL) -> int | None:
    if type(waarde) is str:  # every CSV cell
        s = waarde.strip()
        if s.isdecimal() and len(s) <= 9:  # what _GETAL accepts without a sign
            return int(s)
        if not s:
            return None
    if is_leeg(waarde):
        return None
    if isinstance(waarde, bool):
        raise Ongeldig(bericht)
    if isinstance(waarde, int):
        return waarde
    if isinstance(waarde, float):
        if math.isfinite(waarde) and waarde.is_integer() and abs(waarde) < 10**9:
            return int(waarde)
        raise Ongeldig(bericht)
    s = str(waarde).strip()
    if not _GETAL.match(s):
        raise Ongeldig(bericht)
    return int(s)


def parse_ja_nee(waarde: object) -> bool | None:
    if is_leeg(waarde):
        return None
    if isinstance(waarde, bool):
        return waarde
    if isinstance(waarde, int | float) and waarde in (0, 1):
        return bool(waarde)
    s = str(waarde).strip().lower()
    if s in _WAAR:
        return True
    if s in _ONWAAR:
        return False
    raise Ongeldig(FOUT_JA_NEE)


def invoer_uit_waarden(waarden: Mapping[str, object]) -> tuple[MeldingInvoer, dict[str, list[str]]]:
    """One row (column name -> cell) as MeldingInvoer, and the parse errors per column.

    A value that cannot be read is left empty in the invoer and reported here; the caller drops the
    follow-up "is required" message that validation then gives for the same column. Never raises.
    """
    fouten: dict[str, list[str]] = {}
    waarde = waarden.get
    velden: dict[str, Any] = {kolom: tekst(waarde(kolom)) for kolom in _TEKSTKOLOMMEN}
    soort = tekst(waarde("type")).upper()
    velden["type"] = soort
    for veld, kolom, functie in _GELEZEN_KOLOMMEN:
        cel = waarde(kolom)
        try:
            velden[veld] = functie(cel)
        except Ongeldig as exc:
            bericht = exc.bericht
            if kolom == "huisnummer" and _heeft_letters(cel):
                bericht = FOUT_HUISNUMMER
            fouten.setdefault(kolom, []).append(bericht)
            velden[veld] = None
    velden["herhaald"] = bool(velden["herhaald"])

    eo_gevuld = [kolom for kolom in EO_KOLOMMEN if not is_leeg(waarde(kolom))]
    if soort == "VEO" and eo_gevuld:
        for kolom in eo_gevuld:
            fouten.setdefault(kolom, []).append(FOUT_VEO_MET_EO)
        velden["vonnisdatum"] = velden["ontruimingsdatum"] = None
        velden["eo_opgegeven"] = False
    else:
        for kolom in EO_KOLOMMEN:  # field and column have the same name
            try:
                velden[kolom] = parse_datum(waarde(kolom))
            except Ongeldig as exc:
                fouten.setdefault(kolom, []).append(exc.bericht)
                velden[kolom] = None
        velden["eo_opgegeven"] = bool(eo_gevuld)
    if velden["minderjarige_kinderen"] is None and "minderjarige_kinderen" not in fouten:
        velden["minderjarige_kinderen"] = 0
    # Every field of MeldingInvoer is set above (tests/upload/test_parser.py checks that): the instance is
    # made without the keyword handling of __init__, once per row.
    invoer = object.__new__(MeldingInvoer)
    invoer.__dict__ = velden
    return invoer, fouten


_TEKSTKOLOMMEN = (
    "convenant",
    "referentie",
    "achternaam",
    "voornamen",
    "voorletters",
    "telefoon",
    "email",
    "straat",
    "toevoeging",
    "postcode",
    "woonplaats",
)
#: (MeldingInvoer field, column, reader) for the values that are read, in column-error order.
_GELEZEN_KOLOMMEN: tuple[tuple[str, str, Any], ...] = (
    ("geboortedatum", "geboortedatum", parse_datum),
    ("herinnering_op", "herinnering_op", parse_datum),
    ("contactpoging_op", "contactpoging_op", parse_datum),
    ("informatie_doorgifte_op", "informatie_doorgifte_op", parse_datum),
    ("huisnummer", "huisnummer", parse_getal),
    ("minderjarige_kinderen", "minderjarige_kinderen", parse_getal),
    ("maanden", "achterstand_maanden", parse_getal),
    ("bedrag", "achterstand_bedrag", parse_bedrag),
    ("maandhuur", "maandhuur", parse_bedrag),
    ("herhaald", "herhaald", parse_ja_nee),
)


def _heeft_letters(waarde: object) -> bool:
    return isinstance(waarde, str) and any(c.isalpha() for c in waarde)
