"""The shortcuts of the per-row reading give what the general rules give, for every input.

The usual amounts and integers (``1300,00``, ``104``) skip the general patterns, dates and other amounts
are remembered per text, and the blind indexes reuse a keyed HMAC; the rules of API.md "File upload" still
decide every value and message.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re

import hypothesis
import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from meldingen.upload.bestand import lees_bestand
from meldingen.upload.parser import (
    FOUT_BEDRAG,
    FOUT_BEDRAG_ONDUIDELIJK,
    FOUT_DATUM,
    FOUT_DATUM_BESTAAT_NIET,
    FOUT_GETAL,
    KOLOMMEN,
    Ongeldig,
    Rij,
    _bedrag_uit_tekst,
    parse_bedrag,
    parse_datum,
    parse_getal,
)
from meldpunt.privacy.blind import blinde_index, normaliseer_huisnummer, normaliseer_postcode, normaliseer_tekst
from meldpunt.privacy.keys import blind_index_sleutel
from tests.meldingen.upload.helpers import csv_bytes, rij

HYPOTHESIS = hypothesis.settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RANDEN = st.sampled_from(["", " ", "\t", "\u00a0", " \r\n", "\u3000"])


def gelezen(functie, waarde) -> tuple[str, str]:
    """The value (with its exact form, so ``1300.00`` differs from ``1300.0``) or the message."""
    try:
        return ("waarde", repr(functie(waarde)))
    except Ongeldig as exc:
        return ("fout", exc.bericht)


# --- amounts ----------------------------------------------------------------------------------------------
@HYPOTHESIS
@given(getal=st.from_regex(r"\A[0-9]{1,37}[.,][0-9]{2}\Z"), links=RANDEN, rechts=RANDEN)
def test_property_usual_amounts_read_as_the_general_rule(getal, links, rechts):
    assert repr(parse_bedrag(links + getal + rechts)) == repr(_bedrag_uit_tekst(getal))


@pytest.mark.parametrize(
    ("waarde", "verwacht"),
    [
        ("0012,50", ("waarde", "Decimal('12.50')")),
        ("1300,00", ("waarde", "Decimal('1300.00')")),
        ("1300.00", ("waarde", "Decimal('1300.00')")),
        ("1" * 38 + ",00", ("fout", FOUT_BEDRAG)),  # more than 40 characters
        ("١٢٣٤,٠٠", ("fout", FOUT_BEDRAG)),  # digits other than 0-9
        ("12²,00", ("fout", FOUT_BEDRAG)),
        ("130,000", ("fout", FOUT_BEDRAG_ONDUIDELIJK)),
        (",00", ("fout", FOUT_BEDRAG)),
        ("1300,0", ("waarde", "Decimal('1300.0')")),
    ],
)
def test_amounts_near_the_usual_form(waarde, verwacht):
    assert gelezen(parse_bedrag, waarde) == verwacht


def test_a_remembered_amount_is_the_same_each_time_and_errors_are_not_remembered():
    assert [repr(parse_bedrag(" 650,00 ")) for _ in range(3)] == ["Decimal('650.00')"] * 3
    assert [gelezen(parse_bedrag, "veel") for _ in range(3)] == [("fout", FOUT_BEDRAG)] * 3


# --- dates --------------------------------------------------------------------------------------------------
@HYPOTHESIS
@given(datum=st.dates(min_value=dt.date(1, 1, 1)), nl_vorm=st.booleans(), links=RANDEN, rechts=RANDEN)
def test_property_dates_read_the_same_when_remembered(datum, nl_vorm, links, rechts):
    jaar = f"{datum.year:04d}"
    tekst = datum.strftime(f"%d-%m-{jaar}") if nl_vorm else datum.strftime(f"{jaar}-%m-%d")
    for _ in range(2):
        assert parse_datum(links + tekst + rechts) == datum


@pytest.mark.parametrize(
    ("waarde", "verwacht"),
    [
        ("31-02-2026", ("fout", FOUT_DATUM_BESTAAT_NIET)),
        ("17-05-1980 00:00", ("waarde", "datetime.date(1980, 5, 17)")),
        ("1980-05-17T00:00:00", ("waarde", "datetime.date(1980, 5, 17)")),
        ("١٧-٠٥-١٩٨٠", ("waarde", "datetime.date(1980, 5, 17)")),  # \d is any decimal digit
        ("17-05-1980\n00:00", ("fout", FOUT_DATUM)),
        ("\u00a0", ("waarde", "None")),
    ],
)
def test_dates_are_the_same_the_second_time(waarde, verwacht):
    assert [gelezen(parse_datum, waarde) for _ in range(2)] == [verwacht] * 2


# --- integers -----------------------------------------------------------------------------------------------
_GEHEEL = re.compile(r"^[-+]?\d{1,9}$")


@HYPOTHESIS
@given(
    waarde=st.one_of(
        st.from_regex(r"\A\s*[-+]?[0-9]{0,11}\s*\Z"),
        st.text(alphabet="0123456789١²+- \t", max_size=12),
    )
)
def test_property_integers_follow_the_documented_rule(waarde):
    s = waarde.strip()
    if not s:
        verwacht = ("waarde", "None")
    elif _GEHEEL.match(s):
        verwacht = ("waarde", repr(int(s)))
    else:
        verwacht = ("fout", FOUT_GETAL)
    assert gelezen(parse_getal, waarde) == verwacht


# --- the row --------------------------------------------------------------------------------------------------
def test_a_row_shorter_than_the_header_gives_none_for_the_missing_cells():
    bestand = lees_bestand(csv_bytes([rij()]))
    (volledig,) = list(bestand.rijen())
    assert bestand.waarden(volledig) == {k: volledig.cellen[i] for k, i in bestand.kolommen.items()}
    kort = Rij(volledig.nummer, volledig.cellen[:3])
    assert bestand.waarden(kort) == {k: (volledig.cellen[i] if i < 3 else None) for k, i in bestand.kolommen.items()}
    assert list(bestand.waarden(kort)) == list(KOLOMMEN)


# --- blind indexes ----------------------------------------------------------------------------------------
def test_blind_index_is_hmac_sha256_of_the_joined_parts(settings):
    verwacht = hmac.new(blind_index_sleutel(), b"soort\x1fa\x1fb", "sha256").hexdigest()
    assert blinde_index("soort", "a", "b") == verwacht
    settings.MELDPUNT_BLIND_INDEX_KEY = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE="
    ander = hmac.new(b"A" * 32, b"soort\x1fa\x1fb", "sha256").hexdigest()
    assert blinde_index("soort", "a", "b") == ander != verwacht


@pytest.mark.parametrize(
    ("huisnummer", "toevoeging", "verwacht"),
    [(104, "", "104"), (-7, None, "7"), ("0104", " a", "104A"), ("1²٣", "", "1٣"), (True, "", ""), ("", "", "")],
)
def test_house_numbers_keep_only_decimal_digits(huisnummer, toevoeging, verwacht):
    assert normaliseer_huisnummer(huisnummer, toevoeging) == verwacht


@pytest.mark.parametrize(
    ("postcode", "verwacht"),
    [("1234 ab", "1234AB"), ("1234\u00a0AB", "1234AB"), (" 1234\t\nAB ", "1234AB"), ("1234\u200bAB", None)],
)
def test_postcodes_lose_every_kind_of_whitespace(postcode, verwacht):
    assert normaliseer_postcode(postcode) == verwacht


@pytest.mark.parametrize(("tekst", "verwacht"), [("Jansen", "jansen"), ("ABC123", "abc123"), ("", ""), ("a-b", "a b")])
def test_single_ascii_words_normalise_like_any_text(tekst, verwacht):
    assert normaliseer_tekst(tekst) == verwacht
