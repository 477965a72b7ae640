"""The file parser (no database): every format of API.md "File upload", CSV and XLSX quirks, our output."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import fields
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meldingen.intake.validatie import MeldingInvoer
from meldingen.upload.bestand import lees_bestand, tel_rijen
from meldingen.upload.parser import (
    FOUT_BEDRAG,
    FOUT_BEDRAG_ONDUIDELIJK,
    FOUT_DATUM,
    FOUT_DATUM_BESTAAT_NIET,
    FOUT_GETAL,
    FOUT_HUISNUMMER,
    FOUT_JA_NEE,
    FOUT_VEO_MET_EO,
    KOLOMMEN,
    BestandFout,
    Ongeldig,
    invoer_uit_waarden,
    parse_bedrag,
    parse_datum,
    parse_getal,
    parse_ja_nee,
)
from meldingen.upload.schrijven import afgewezen_bestand, neutraliseer, schrijf_bestand, voorbeeld_bestand
from tests.meldingen.upload.helpers import (
    als_cellen,
    csv_bytes,
    met_berekende_waarden,
    met_gedeelde_teksten,
    rij,
    xlsx_bytes,
)
from tests.persoonsgegevens import ACHTERNAAM

HYPOTHESIS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def fout_van(functie, waarde) -> str:
    with pytest.raises(Ongeldig) as exc:
        functie(waarde)
    return exc.value.bericht


def rijen_van(inhoud: bytes) -> list[tuple[int, dict, list]]:
    bestand = lees_bestand(inhoud)
    return [(r.nummer, bestand.waarden(r), list(r.fouten)) for r in bestand.rijen()]


def fouten_van(inhoud: bytes) -> str:
    with pytest.raises(BestandFout) as exc:
        tel_rijen(lees_bestand(inhoud))
    return exc.value.bericht


# --- values ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("waarde", "verwacht"),
    [
        ("2026-10-01", dt.date(2026, 10, 1)),
        ("01-10-2026", dt.date(2026, 10, 1)),
        ("1-10-2026", dt.date(2026, 10, 1)),
        (" 2026-10-01 ", dt.date(2026, 10, 1)),
        ("2026-10-01 00:00:00", dt.date(2026, 10, 1)),
        (dt.datetime(2026, 10, 1, 0, 0), dt.date(2026, 10, 1)),
        (dt.date(2026, 10, 1), dt.date(2026, 10, 1)),
        ("29-02-2024", dt.date(2024, 2, 29)),
        ("", None),
        (None, None),
    ],
)
def test_dates_in_both_formats(waarde, verwacht):
    assert parse_datum(waarde) == verwacht


@pytest.mark.parametrize(
    ("waarde", "bericht"),
    [
        ("31-02-2026", FOUT_DATUM_BESTAAT_NIET),
        ("2026-02-30", FOUT_DATUM_BESTAAT_NIET),
        ("29-02-2026", FOUT_DATUM_BESTAAT_NIET),
        ("01-13-2026", FOUT_DATUM_BESTAAT_NIET),
        ("00-10-2026", FOUT_DATUM_BESTAAT_NIET),
        ("2026/10/01", FOUT_DATUM),
        ("1 oktober 2026", FOUT_DATUM),
        ("01-10-26", FOUT_DATUM),
        (46296, FOUT_DATUM),  # an Excel serial number in a cell not formatted as a date
    ],
)
def test_impossible_or_unknown_dates_are_errors(waarde, bericht):
    assert fout_van(parse_datum, waarde) == bericht


@pytest.mark.parametrize(
    ("waarde", "verwacht"),
    [
        ("1300.00", "1300.00"),
        ("1300,00", "1300.00"),
        ("1.300,00", "1300.00"),
        ("€ 1.300,00", "1300.00"),
        ("€1.300,00", "1300.00"),
        ("€\u00a01.300,00", "1300.00"),
        ("EUR 1300,00", "1300.00"),
        ("1,300.00", "1300.00"),
        ("1300", "1300"),
        ("650,5", "650.5"),
        (" 12.345.678,90 ", "12345678.90"),
        ("1.300.000", "1300000"),
        ("-5", "-5"),
        ("€ -5,00", "-5.00"),
        ("1300,005", "1300.005"),  # validation reports more than two decimals
        (1300, "1300"),
        (1300.0, "1300.00"),
        (650.5, "650.50"),
        (715.0000000000001, "715.00"),  # binary noise of an Excel formula
        ("", None),
    ],
)
def test_amounts_in_every_documented_format(waarde, verwacht):
    assert parse_bedrag(waarde) == (Decimal(verwacht) if verwacht is not None else None)


@pytest.mark.parametrize(
    ("waarde", "bericht"),
    [
        ("1.300", FOUT_BEDRAG_ONDUIDELIJK),
        ("1,300", FOUT_BEDRAG_ONDUIDELIJK),
        ("€ 650.000", FOUT_BEDRAG_ONDUIDELIJK),
        ("veel", FOUT_BEDRAG),
        ("1.30.0", FOUT_BEDRAG),
        ("1.300.00", FOUT_BEDRAG),
        ("13.00,00", FOUT_BEDRAG),
        ("€", FOUT_BEDRAG),
        ("--5", FOUT_BEDRAG),
        ("1 300,00", FOUT_BEDRAG),
        (True, FOUT_BEDRAG),
        (float("nan"), FOUT_BEDRAG),
    ],
)
def test_ambiguous_or_malformed_amounts_are_errors(waarde, bericht):
    assert fout_van(parse_bedrag, waarde) == bericht


@pytest.mark.parametrize(
    ("waarde", "verwacht"),
    [
        ("ja", True),
        ("Ja", True),
        ("nee", False),
        ("NEE", False),
        ("true", True),
        ("FALSE", False),
        ("1", True),
        ("0", False),
        ("WAAR", True),
        ("onwaar", False),
        (True, True),
        (0, False),
        (1.0, True),
        ("", None),
    ],
)
def test_booleans(waarde, verwacht):
    assert parse_ja_nee(waarde) is verwacht


@pytest.mark.parametrize("waarde", ["misschien", "2", "-1", 2])
def test_unknown_booleans_are_errors(waarde):
    assert fout_van(parse_ja_nee, waarde) == FOUT_JA_NEE


@pytest.mark.parametrize(("waarde", "verwacht"), [("2", 2), (" 12 ", 12), (7, 7), (7.0, 7), ("", None), ("+3", 3)])
def test_integers(waarde, verwacht):
    assert parse_getal(waarde) == verwacht


@pytest.mark.parametrize("waarde", ["2.5", "twee", "2,0", 2.5, "1" * 40, True])
def test_non_integers_are_errors(waarde):
    assert fout_van(parse_getal, waarde) == FOUT_GETAL


def test_a_row_becomes_melding_invoer():
    invoer, fouten = invoer_uit_waarden(rij(type="veo", herhaald="ja", achterstand_bedrag="€ 1.300,00"))
    assert fouten == {}
    assert invoer.type == "VEO" and invoer.achternaam == ACHTERNAAM and invoer.herhaald is True
    assert invoer.bedrag == Decimal("1300.00") and invoer.maandhuur == Decimal("650.00")
    assert invoer.geboortedatum == dt.date(1980, 5, 17) and invoer.huisnummer == 104
    assert invoer.minderjarige_kinderen == 2 and invoer.maanden == 2
    assert invoer.vonnisdatum is None and not invoer.eo_opgegeven


def test_optional_columns_may_be_empty_or_absent():
    waarden = {k: v for k, v in rij().items() if k not in ("herhaald", "minderjarige_kinderen", "telefoon")}
    invoer, fouten = invoer_uit_waarden({**waarden, "email": ""})
    assert fouten == {}
    assert invoer.herhaald is False and invoer.minderjarige_kinderen == 0 and invoer.telefoon == invoer.email == ""


def test_eo_rows_carry_their_dates():
    invoer, fouten = invoer_uit_waarden(rij(type="EO", vonnisdatum="01-11-2026", ontruimingsdatum="2026-12-01"))
    assert fouten == {}
    assert (invoer.vonnisdatum, invoer.ontruimingsdatum) == (dt.date(2026, 11, 1), dt.date(2026, 12, 1))
    assert invoer.eo_opgegeven


def test_veo_rows_must_leave_the_eo_columns_empty():
    invoer, fouten = invoer_uit_waarden(rij(type="VEO", ontruimingsdatum="2026-12-01"))
    assert fouten == {"ontruimingsdatum": [FOUT_VEO_MET_EO]}
    assert invoer.ontruimingsdatum is None and not invoer.eo_opgegeven
    _, fouten = invoer_uit_waarden(rij(type="VEO", vonnisdatum="x", ontruimingsdatum="y"))
    assert fouten == {"vonnisdatum": [FOUT_VEO_MET_EO], "ontruimingsdatum": [FOUT_VEO_MET_EO]}


def test_parse_errors_name_the_column_and_never_the_value():
    _, fouten = invoer_uit_waarden(
        rij(geboortedatum="31-02-1980", huisnummer="104a", achterstand_bedrag="1.300", herhaald="soms", maandhuur="x")
    )
    assert fouten == {
        "geboortedatum": [FOUT_DATUM_BESTAAT_NIET],
        "huisnummer": [FOUT_HUISNUMMER],
        "achterstand_bedrag": [FOUT_BEDRAG_ONDUIDELIJK],
        "herhaald": [FOUT_JA_NEE],
        "maandhuur": [FOUT_BEDRAG],
    }
    for berichten in fouten.values():
        for bericht in berichten:
            assert "31-02" not in bericht and "104a" not in bericht and "soms" not in bericht


# --- properties -------------------------------------------------------------------------------------------
BEDRAGEN = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)


def nl(bedrag: Decimal, duizendtallen: bool) -> str:
    engels = f"{bedrag:,.2f}" if duizendtallen else f"{bedrag:.2f}"
    return engels.translate(str.maketrans(",.", ".,"))


@HYPOTHESIS
@given(bedrag=BEDRAGEN, vorm=st.sampled_from(["punt", "komma", "nl", "euro", "euro-kaal", "excel"]))
def test_property_amounts_round_trip_in_every_format(bedrag, vorm):
    tekst = {
        "punt": f"{bedrag:.2f}",
        "komma": nl(bedrag, duizendtallen=False),
        "nl": nl(bedrag, duizendtallen=True),
        "euro": f"€ {nl(bedrag, duizendtallen=True)}",
        "euro-kaal": f"€{nl(bedrag, duizendtallen=False)}",
        "excel": float(bedrag),
    }[vorm]
    assert parse_bedrag(tekst) == bedrag


@HYPOTHESIS
@given(datum=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)), nl_vorm=st.booleans())
def test_property_dates_round_trip_in_both_formats(datum, nl_vorm):
    tekst = datum.strftime("%d-%m-%Y") if nl_vorm else datum.isoformat()
    assert parse_datum(tekst) == datum


@HYPOTHESIS
@given(waarde=st.booleans(), paar=st.sampled_from([("ja", "nee"), ("true", "false"), ("1", "0")]), data=st.data())
def test_property_booleans_round_trip_in_any_case(waarde, paar, data):
    tekst = paar[0] if waarde else paar[1]
    hoofdletters = data.draw(st.lists(st.booleans(), min_size=len(tekst), max_size=len(tekst)))
    tekst = "".join(c.upper() if h else c for c, h in zip(tekst, hoofdletters, strict=True))
    assert parse_ja_nee(tekst) is waarde


@HYPOTHESIS
@given(waarden=st.fixed_dictionaries({k: st.one_of(st.text(max_size=40), st.none()) for k in KOLOMMEN}))
def test_property_arbitrary_text_never_raises_only_yields_errors(waarden):
    invoer, fouten = invoer_uit_waarden(waarden)
    # The invoer is made without __init__: every field is set, nothing else.
    assert set(vars(invoer)) == {veld.name for veld in fields(MeldingInvoer)}
    assert set(fouten) <= set(KOLOMMEN)
    assert all(isinstance(b, str) and b for berichten in fouten.values() for b in berichten)
    for veld in ("geboortedatum", "bedrag", "maanden", "huisnummer"):
        assert getattr(invoer, veld) is None or veld not in fouten


@HYPOTHESIS
@given(
    waarden=st.fixed_dictionaries(
        {
            k: st.one_of(st.text(max_size=20), st.integers(), st.floats(), st.booleans(), st.datetimes(), st.none())
            for k in KOLOMMEN
        }
    )
)
def test_property_arbitrary_excel_cells_never_raise(waarden):
    invoer, _ = invoer_uit_waarden(waarden)
    assert set(vars(invoer)) == {veld.name for veld in fields(MeldingInvoer)}


@HYPOTHESIS
@given(inhoud=st.binary(max_size=300))
def test_property_arbitrary_bytes_give_a_file_error_or_rows_never_a_crash(inhoud):
    kop = ";".join(KOLOMMEN).encode()
    for kandidaat in (inhoud, kop + b"\r\n" + inhoud):
        try:
            bestand = lees_bestand(kandidaat)
            for r in bestand.rijen():
                invoer_uit_waarden(bestand.waarden(r))
        except BestandFout as exc:
            assert exc.bericht


@HYPOTHESIS
@given(
    cellen=st.lists(
        st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=15),
        min_size=len(KOLOMMEN),
        max_size=len(KOLOMMEN),
    ),
    scheiding=st.sampled_from([";", ","]),
)
def test_property_csv_cells_come_back_as_written(cellen, scheiding):
    inhoud = csv_bytes([dict(zip(KOLOMMEN, cellen, strict=True))], scheiding=scheiding)
    bestand = lees_bestand(inhoud)
    rijen = list(bestand.rijen())
    if all(not c.strip() for c in cellen):
        assert rijen == []
        with pytest.raises(BestandFout, match="geen meldingen"):
            tel_rijen(bestand)
    else:
        (r,) = rijen
        assert r.nummer == 2 and list(r.cellen) == cellen
        assert tel_rijen(bestand) == 1


@HYPOTHESIS
@given(
    regels=st.lists(
        st.one_of(
            st.just(None),  # a valid row
            st.lists(st.sampled_from(["", " ", "\t", "  "]), min_size=1, max_size=len(KOLOMMEN)),  # blank
            st.text(alphabet='ab;," \n', max_size=30),  # odd lines, quotes and newlines in values
        ),
        max_size=12,
    )
)
def test_property_the_count_of_rows_is_the_number_of_rows_read(regels):
    """``tel_rijen`` counts a CSV without making its rows; the count is what ``rijen()`` then gives."""
    tekst = ";".join(KOLOMMEN) + "\n"
    for regel in regels:
        if regel is None:
            tekst += ";".join(rij().get(k, "") for k in KOLOMMEN) + "\n"
        elif isinstance(regel, list):
            tekst += ";".join(regel) + "\n"
        else:
            tekst += regel + "\n"
    try:
        bestand = lees_bestand(tekst.encode())
        gelezen = sum(1 for _ in bestand.rijen())
    except BestandFout:
        return
    if gelezen:
        assert tel_rijen(bestand) == gelezen
    else:
        with pytest.raises(BestandFout):
            tel_rijen(bestand)


# --- CSV ------------------------------------------------------------------------------------------------
def test_semicolon_and_comma_are_detected_from_the_header():
    for scheiding in (";", ","):
        inhoud = csv_bytes([rij(achterstand_bedrag="1.300,00", maandhuur="650,00")], scheiding=scheiding)
        bestand = lees_bestand(inhoud)
        assert bestand.scheidingsteken == scheiding
        ((nummer, waarden, fouten),) = rijen_van(inhoud)
        assert nummer == 2 and fouten == [] and waarden["achterstand_bedrag"] == "1.300,00"


def test_an_unquoted_decimal_comma_in_a_comma_file_is_reported_on_its_row():
    kop = ",".join(KOLOMMEN)
    waarden = rij()
    cellen = [waarden[k] for k in KOLOMMEN]
    cellen[KOLOMMEN.index("maandhuur")] = "650,00"  # written by hand, without quotes
    inhoud = f"{kop}\r\n{','.join(cellen)}\r\n".encode()
    ((nummer, _, fouten),) = rijen_van(inhoud)
    assert nummer == 2
    assert fouten == [
        (
            "",
            "Deze rij heeft meer kolommen dan de kopregel. Staat er een ',' in een waarde? "
            "Zet die waarde dan tussen aanhalingstekens.",
        )
    ]


def test_a_row_with_the_other_delimiter_is_reported():
    kop = ",".join(KOLOMMEN)
    regel = ";".join(rij()[k] for k in KOLOMMEN)
    ((_, _, fouten),) = rijen_van(f"{kop}\n{regel}\n".encode())
    assert fouten == [("", "Deze rij gebruikt een ander scheidingsteken dan de kopregel (',').")]


@pytest.mark.parametrize("scheiding", ["\t", "|"])
def test_a_wrong_delimiter_in_the_header_is_a_file_error(scheiding):
    bericht = fouten_van(csv_bytes([rij()], scheiding=scheiding))
    assert bericht.startswith("De kopregel is niet herkend.")
    assert "puntkomma (;) of een komma (,)" in bericht


def test_utf8_with_and_without_bom():
    for bom in (True, False):
        inhoud = csv_bytes([rij(voornamen="Zoë Hélène")], bom=bom)
        assert inhoud.startswith(b"\xef\xbb\xbf") is bom
        ((_, waarden, _),) = rijen_van(inhoud)
        assert waarden["voornamen"] == "Zoë Hélène" and waarden["convenant"] == "alfa"


def test_windows_1252_is_read_when_the_file_is_not_utf8():
    inhoud = csv_bytes([rij(voornamen="Zoë Hélène", straat="Çelik-één")], codering="cp1252")
    with pytest.raises(UnicodeDecodeError):
        inhoud.decode("utf-8")
    ((_, waarden, _),) = rijen_van(inhoud)
    assert waarden["voornamen"] == "Zoë Hélène" and waarden["straat"] == "Çelik-één"


@pytest.mark.parametrize(
    ("inhoud", "bericht"),
    [
        (b"\xff\xfe" + ";".join(KOLOMMEN).encode("utf-16-le"), "UTF-16"),
        (b"\x00\x01\x02binary", "geen CSV- of Excel-bestand"),
        (b"\x81\x8d\x8f\x90\x9d", "niet te lezen"),
        (b"\r\n ; ;\r\n", "leeg"),
    ],
)
def test_unreadable_text_is_a_file_error(inhoud, bericht):
    assert bericht in fouten_van(inhoud)


def test_empty_lines_are_skipped_and_rows_keep_the_numbers_the_user_sees():
    kop = ";".join(KOLOMMEN)
    regel = lambda ref: ";".join(rij(referentie=ref)[k] for k in KOLOMMEN)  # noqa: E731
    inhoud = (
        f"\r\n{kop}\r\n{regel('R-1')}\r\n\r\n;;;;\r\n   \r\n{regel('R-2')}\n{regel('R-3')}\r{regel('R-4')}"
    ).encode()
    bestand = lees_bestand(inhoud)
    assert bestand.kopregel_nummer == 2
    assert [(n, w["referentie"]) for n, w, _ in rijen_van(inhoud)] == [(3, "R-1"), (7, "R-2"), (8, "R-3"), (9, "R-4")]
    assert tel_rijen(bestand) == 4


def test_a_quoted_value_may_hold_a_line_break():
    inhoud = csv_bytes([rij(straat="Regel een\r\nregel twee", referentie="R-1"), rij(referentie="R-2")])
    gelezen = [(n, w["straat"].splitlines()[0]) for n, w, _ in rijen_van(inhoud)]
    assert gelezen == [(2, "Regel een"), (3, "Ouddiemerlaan")]


def test_header_names_are_case_insensitive_in_any_order():
    kolommen = list(reversed(KOLOMMEN))
    inhoud = csv_bytes([rij()], kolommen=kolommen, kopregel=[f" {k.upper()} " for k in kolommen])
    ((_, waarden, _),) = rijen_van(inhoud)
    assert waarden == rij()


def test_missing_required_columns_are_named_in_one_file_error():
    kolommen = [k for k in KOLOMMEN if k not in ("achternaam", "postcode", "voornamen", "voorletters")]
    bericht = fouten_van(csv_bytes([rij()], kolommen=[*kolommen, "achter naam"]))
    assert bericht == (
        "De kopregel mist verplichte kolommen: achternaam, postcode, voornamen of voorletters. "
        "Niet herkende kolommen: achter naam."
    )


def test_duplicated_columns_are_named_in_one_file_error():
    kopregel = [*KOLOMMEN, "Email", "TYPE"]
    bericht = fouten_van(csv_bytes([rij()], kolommen=[*KOLOMMEN, "email", "type"], kopregel=kopregel))
    assert bericht == "Deze kolommen staan meer dan eens in de kopregel: email, type."


def test_missing_and_duplicated_columns_together():
    kolommen = [k for k in KOLOMMEN if k != "woonplaats"] + ["straat"]
    bericht = fouten_van(csv_bytes([rij()], kolommen=kolommen))
    assert bericht == (
        "De kopregel mist verplichte kolommen: woonplaats. Deze kolommen staan meer dan eens in de kopregel: straat."
    )


def test_only_optional_columns_may_be_left_out_and_unknown_columns_are_ignored():
    kolommen = [k for k in KOLOMMEN if k not in ("telefoon", "email", "vonnisdatum", "voorletters")] + ["notitie"]
    inhoud = csv_bytes([{**rij(), "notitie": "x"}], kolommen=kolommen)
    ((_, waarden, fouten),) = rijen_van(inhoud)
    assert fouten == [] and "notitie" not in waarden and "telefoon" not in waarden


def test_an_unterminated_quote_that_swallows_the_file_is_a_file_error():
    kop = ";".join(KOLOMMEN)
    inhoud = f'{kop}\n"alfa;VEO;{"x" * 140_000}\n'.encode()
    assert "controleer de aanhalingstekens" in fouten_van(inhoud)


def test_too_many_rows_is_a_file_error(monkeypatch):
    monkeypatch.setattr("meldingen.upload.bestand.MAX_RIJEN", 3)
    assert "meer dan 3 rijen" in fouten_van(csv_bytes([rij()] * 4))
    assert tel_rijen(lees_bestand(csv_bytes([rij()] * 3))) == 3


# --- XLSX -----------------------------------------------------------------------------------------------
def excel_rij(**wijzigingen):
    waarden = rij(**wijzigingen)
    return als_cellen(waarden)


def kolom_letter(kolom: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(KOLOMMEN.index(kolom) + 1)


def test_xlsx_is_recognised_by_content_with_typed_cells():
    cellen = excel_rij()
    cellen[KOLOMMEN.index("geboortedatum")] = dt.datetime(1980, 5, 17)
    cellen[KOLOMMEN.index("herinnering_op")] = dt.date(2026, 10, 1)
    cellen[KOLOMMEN.index("achterstand_bedrag")] = 1300.5
    cellen[KOLOMMEN.index("maandhuur")] = 650
    cellen[KOLOMMEN.index("huisnummer")] = 104
    cellen[KOLOMMEN.index("herhaald")] = True
    cellen[KOLOMMEN.index("referentie")] = 123456
    bestand = lees_bestand(xlsx_bytes([cellen], tweede_blad=True))
    assert bestand.soort == "xlsx" and bestand.mime.endswith("spreadsheetml.sheet")
    (r,) = list(bestand.rijen())
    invoer, fouten = invoer_uit_waarden(bestand.waarden(r))
    assert fouten == {} and r.nummer == 2
    assert invoer.geboortedatum == dt.date(1980, 5, 17) and invoer.herinnering_op == dt.date(2026, 10, 1)
    assert invoer.bedrag == Decimal("1300.50") and invoer.maandhuur == Decimal("650")
    assert invoer.huisnummer == 104 and invoer.herhaald is True and invoer.referentie == "123456"


def test_xlsx_formulas_give_their_cached_value():
    cellen = excel_rij()
    cellen[KOLOMMEN.index("achterstand_bedrag")] = "=650*2"
    cellen[KOLOMMEN.index("referentie")] = '="RC-"&"1"'
    ref_bedrag, ref_ref = f"{kolom_letter('achterstand_bedrag')}2", f"{kolom_letter('referentie')}2"
    xlsx = xlsx_bytes([cellen])
    xlsx = met_berekende_waarden(xlsx, {ref_bedrag: "1300", ref_ref: "RC-1"})
    xlsx = _tekst_type(xlsx, ref_ref)
    bestand = lees_bestand(xlsx)
    (r,) = list(bestand.rijen())
    assert r.fouten == ()
    invoer, fouten = invoer_uit_waarden(bestand.waarden(r))
    assert fouten == {} and invoer.bedrag == Decimal("1300") and invoer.referentie == "RC-1"


def _tekst_type(xlsx: bytes, ref: str) -> bytes:
    """Mark a formula cell's cached value as text (t="str"), as Excel does for text results."""
    return _bewerk_blad(xlsx, lambda xml: xml.replace(f'<c r="{ref}">', f'<c r="{ref}" t="str">'))


def _bewerk_blad(xlsx: bytes, bewerking) -> bytes:
    bron = zipfile.ZipFile(io.BytesIO(xlsx))
    uit = io.BytesIO()
    with zipfile.ZipFile(uit, "w") as doel:
        for info in bron.infolist():
            data = bron.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = bewerking(data.decode()).encode()
            doel.writestr(info, data)
    return uit.getvalue()


def test_xlsx_formula_without_cached_value_refuses_the_row():
    cellen = excel_rij()
    cellen[KOLOMMEN.index("maandhuur")] = "=1300/2"
    bestand = lees_bestand(xlsx_bytes([excel_rij(referentie="R-1"), cellen]))
    (goed, fout) = list(bestand.rijen())
    assert goed.fouten == ()
    assert fout.nummer == 3
    assert fout.fouten == (
        (
            "maandhuur",
            "Deze cel bevat een formule zonder berekende waarde: open het bestand in Excel en sla het opnieuw op, "
            "of vul de waarde zelf in.",
        ),
    )


def test_xlsx_formula_with_an_error_value_refuses_the_row():
    cellen = excel_rij()
    cellen[KOLOMMEN.index("maandhuur")] = "=1/0"
    ref = f"{kolom_letter('maandhuur')}2"
    patroon, vervanging = (
        rf'<c r="{ref}"><f>(.*?)</f>(?:<v\s*/>|<v>\s*</v>)',
        rf'<c r="{ref}" t="e"><f>\1</f><v>#DIV/0!</v>',
    )
    xlsx = _bewerk_blad(xlsx_bytes([cellen]), lambda xml: re.sub(patroon, vervanging, xml))
    (r,) = list(lees_bestand(xlsx).rijen())
    assert r.fouten == (("maandhuur", "Deze cel bevat een foutwaarde van een formule."),)


def test_xlsx_merged_cells_refuse_the_rows_they_cover_without_guessing():
    rijen = [excel_rij(referentie=f"R-{i}") for i in range(1, 5)]
    letter = kolom_letter("achternaam")
    bestand = lees_bestand(xlsx_bytes(rijen, samenvoegen=[f"{letter}3:{letter}4"]))
    resultaat = [(r.nummer, r.fouten) for r in bestand.rijen()]
    bericht = f"Samengevoegde cellen ({letter}3:{letter}4): maak de samenvoeging ongedaan en vul elke cel apart in."
    assert resultaat == [(2, ()), (3, (("achternaam", bericht),)), (4, (("achternaam", bericht),)), (5, ())]


def test_xlsx_merged_header_cells_are_a_file_error():
    assert "samengevoegde cellen" in fouten_van(xlsx_bytes([excel_rij()], samenvoegen=["A1:B1"]))


def test_xlsx_header_checks_and_empty_rows():
    kopregel = [k.upper() for k in KOLOMMEN if k != "postcode"]
    assert "postcode" in fouten_van(xlsx_bytes([excel_rij()], kopregel=kopregel))
    assert "meer dan eens" in fouten_van(xlsx_bytes([], kopregel=[*KOLOMMEN, "Convenant"]))
    leeg = [None] * len(KOLOMMEN)
    bestand = lees_bestand(xlsx_bytes([excel_rij(referentie="R-1"), leeg, [" "] * 3, excel_rij(referentie="R-2")]))
    assert [(r.nummer, bestand.waarden(r)["referentie"]) for r in bestand.rijen()] == [(2, "R-1"), (5, "R-2")]


def test_xlsx_values_in_columns_without_a_header_are_reported():
    bestand = lees_bestand(xlsx_bytes([[*excel_rij(), None, "los"]]))
    (r,) = list(bestand.rijen())
    assert r.fouten == (("", "Deze rij heeft waarden in kolommen zonder kolomnaam in de kopregel."),)


@pytest.mark.parametrize(
    ("inhoud", "bericht"),
    [
        (b"PK\x03\x04" + b"kapot" * 20, "beschadigd"),
        (xlsx_bytes([])[:200], "beschadigd"),
    ],
)
def test_a_damaged_xlsx_is_a_file_error(inhoud, bericht):
    assert bericht in fouten_van(inhoud)


def test_other_zip_files_are_refused():
    uit = io.BytesIO()
    with zipfile.ZipFile(uit, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert "OpenDocument" in fouten_van(uit.getvalue())
    uit = io.BytesIO()
    with zipfile.ZipFile(uit, "w") as z:
        z.writestr("iets.txt", "hallo")
    assert "geen Excel-bestand" in fouten_van(uit.getvalue())


def test_an_xlsx_with_only_a_header_has_no_rows():
    assert fouten_van(xlsx_bytes([])) == "Het bestand bevat geen meldingen: alleen een kopregel."


# --- the files we produce -------------------------------------------------------------------------------
@pytest.mark.parametrize("begin", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_like_text_is_neutralised(begin):
    assert neutraliseer(f"{begin}SUM(A1)") == f"'{begin}SUM(A1)"


@pytest.mark.parametrize("waarde", ["Jansen", "06-12345678", " =x", 5, -5, None, dt.date(2026, 1, 1)])
def test_other_values_are_left_alone(waarde):
    assert neutraliseer(waarde) == waarde


def test_csv_output_is_semicolon_utf8_with_bom_and_neutralised():
    inhoud = schrijf_bestand("csv", ["=kop", "b"], [["=1+1", "Zoë"], [5, None]])
    assert inhoud.startswith(b"\xef\xbb\xbf")
    tekst = inhoud[3:].decode("utf-8")
    assert tekst == "'=kop;b\r\n'=1+1;Zoë\r\n5;\r\n"


def test_xlsx_output_writes_formula_like_text_as_text():
    from openpyxl import load_workbook

    rijen = [["Rij 2: x", '=HYPERLINK("http://x")'], ["y", dt.datetime(2026, 1, 1)]]
    inhoud = schrijf_bestand("xlsx", ["fout", "a"], rijen)
    blad = load_workbook(io.BytesIO(inhoud)).worksheets[0]
    assert blad["B2"].value == '\'=HYPERLINK("http://x")' and blad["B2"].data_type == "s"
    assert blad["B3"].value == dt.datetime(2026, 1, 1)


def test_rejected_rows_replace_an_earlier_error_column():
    kolommen = ["fout", *KOLOMMEN]
    rijen = [{**rij(referentie="R-1"), "fout": "oud"}, {**rij(referentie="R-2"), "fout": "oud"}]
    inhoud = csv_bytes(rijen, kolommen=kolommen)
    bestand = lees_bestand(inhoud)
    uit = afgewezen_bestand(bestand, {3: ["postcode: Vul een postcode in zoals 1234 AB."]})
    kop, *gelezen = list(csv.reader(io.StringIO(uit[3:].decode(), newline=""), delimiter=";"))
    assert kop == ["fout", *KOLOMMEN]
    fout = "Rij 3: postcode: Vul een postcode in zoals 1234 AB."
    assert gelezen == [[fout, *[rij(referentie="R-2")[k] for k in KOLOMMEN]]]


def test_the_example_file_is_the_header_row():
    inhoud = voorbeeld_bestand()
    assert inhoud == b"\xef\xbb\xbf" + ";".join(KOLOMMEN).encode() + b"\r\n"
    assert lees_bestand(inhoud).kolommen == {k: i for i, k in enumerate(KOLOMMEN)}


def test_xlsx_with_shared_strings_as_excel_saves_them():
    rijen = [excel_rij(referentie="R-1", voornamen="Zoë & Hélène"), [" "] * 5, excel_rij(referentie="R-2")]
    xlsx = met_gedeelde_teksten(xlsx_bytes(rijen))
    assert b"sharedStrings.xml" in xlsx and b't="inlineStr"' not in zipfile.ZipFile(io.BytesIO(xlsx)).read(
        "xl/worksheets/sheet1.xml"
    )
    bestand = lees_bestand(xlsx)
    gelezen = [(r.nummer, bestand.waarden(r)["referentie"], bestand.waarden(r)["voornamen"]) for r in bestand.rijen()]
    assert gelezen == [(2, "R-1", "Zoë & Hélène"), (4, "R-2", rij()["voornamen"])]
    assert tel_rijen(bestand) == 2


def test_an_xlsx_formula_with_an_empty_text_result_is_an_empty_cell():
    cellen = excel_rij()
    cellen[KOLOMMEN.index("toevoeging")] = '=IF(TRUE,"","x")'
    ref = f"{kolom_letter('toevoeging')}2"
    patroon, vervanging = rf'<c r="{ref}">(<f>.*?</f>)(?:<v\s*/>|<v>\s*</v>)', rf'<c r="{ref}" t="str">\1<v></v>'
    xlsx = _bewerk_blad(xlsx_bytes([cellen]), lambda xml: re.sub(patroon, vervanging, xml))
    (r,) = list(lees_bestand(xlsx).rijen())
    assert r.fouten == ()


@pytest.mark.parametrize("gedeeld", [False, True])
def test_the_quick_xlsx_row_count_matches_the_rows_read(gedeeld):
    leeg = [None] * len(KOLOMMEN)
    formule = excel_rij(referentie="R-F")
    formule[KOLOMMEN.index("maandhuur")] = "=1300/2"
    rijen = [excel_rij(referentie="R-1"), leeg, ["  ", None, ""], formule, leeg, excel_rij(referentie="R-2")]
    rijen += [leeg, leeg]
    letter = kolom_letter("achternaam")
    xlsx = xlsx_bytes(rijen, samenvoegen=[f"{letter}7:{letter}9", f"{letter}3:{letter}3"])
    if gedeeld:
        xlsx = met_gedeelde_teksten(xlsx)
    bestand = lees_bestand(xlsx)
    gelezen = [r.nummer for r in bestand.rijen()]
    assert gelezen == [2, 3, 5, 7, 8, 9]
    assert bestand.aantal_rijen == tel_rijen(bestand) == len(gelezen)
