"""Blind indexes match across spelling variants and never contain the value itself."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meldpunt.privacy.blind import (
    TUSSENVOEGSELS,
    index_naam_geboortedatum,
    index_postcode_huisnummer,
    normaliseer_achternaam,
    normaliseer_huisnummer,
    normaliseer_postcode,
    normaliseer_tekst,
)
from meldpunt.privacy.services import (
    blinde_indexen_zetten,
    datasleutel_create,
    datasleutel_vernietigen,
    sleutels_met_index,
)

GEBOORTE = dt.date(1980, 5, 17)


@pytest.mark.parametrize(
    "variant",
    [
        "van der Berg",
        "Van Der Berg",
        "VAN DER BERG",
        "Berg, van der",
        "van den Berg",
        "  van  der   Berg ",
        "Bérg",
        "berg",
    ],
)
def test_surname_variants_give_the_same_index(variant):
    assert index_naam_geboortedatum(variant, GEBOORTE) == index_naam_geboortedatum("Berg", GEBOORTE)


@pytest.mark.parametrize(
    ("naam", "kern"),
    [
        ("de Vries", "vries"),
        ("'t Hart", "hart"),
        ("van 't Hof", "hof"),
        ("Jansen-de Vries", "jansenvries"),
        ("Çelik", "celik"),
        ("Ünal", "unal"),
        ("El Idrissi", "elidrissi"),
        ("Van", "van"),
        ("d'Ancona", "ancona"),
        ("Dijkstra", "dijkstra"),
    ],
)
def test_surname_core(naam, kern):
    assert normaliseer_achternaam(naam) == kern


def test_different_people_get_different_indexes():
    assert index_naam_geboortedatum("Berg", GEBOORTE) != index_naam_geboortedatum("Bergman", GEBOORTE)
    assert index_naam_geboortedatum("Berg", GEBOORTE) != index_naam_geboortedatum("Berg", dt.date(1980, 5, 18))
    assert index_postcode_huisnummer("1111 AB", 104, "A") != index_postcode_huisnummer("1111 AB", 104, "B")


@pytest.mark.parametrize(
    ("postcode", "nummer", "toevoeging"),
    [("1111AB", 104, "a"), ("1111 ab", "104", "A"), (" 1111  AB ", "0104", " a "), ("1111ab", "104", "-A")],
)
def test_address_variants_give_the_same_index(postcode, nummer, toevoeging):
    assert index_postcode_huisnummer(postcode, nummer, toevoeging) == index_postcode_huisnummer("1111 AB", 104, "A")


def test_invalid_postcode_gives_no_index():
    assert normaliseer_postcode("0123 AB") is None
    assert normaliseer_postcode("1234") is None
    assert index_postcode_huisnummer("ABCD 12", 1) is None


def test_index_is_a_keyed_hash_without_the_value(settings):
    waarde = index_naam_geboortedatum("Zwaluwstaart", GEBOORTE)
    assert waarde and len(waarde) == 64 and "zwaluw" not in waarde
    settings.MELDPUNT_BLIND_INDEX_KEY = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE="
    assert index_naam_geboortedatum("Zwaluwstaart", GEBOORTE) != waarde


@given(st.text(max_size=40))
def test_normalisation_is_idempotent_and_ascii(tekst):
    eenmaal = normaliseer_tekst(tekst)
    assert normaliseer_tekst(eenmaal) == eenmaal
    assert all(c.isascii() for c in eenmaal)
    assert eenmaal == eenmaal.strip()


NAMEN = st.from_regex(r"[A-Za-z]{2,12}", fullmatch=True).filter(lambda n: n.lower() not in TUSSENVOEGSELS)


@given(NAMEN, st.sampled_from(["", "van ", "de ", "van der ", "VAN DEN ", "'t "]))
def test_prefixes_and_case_never_change_the_core(naam, voorvoegsel):
    assert normaliseer_achternaam(voorvoegsel + naam.upper()) == normaliseer_achternaam(naam.lower())


@given(
    st.integers(min_value=1000, max_value=9999),
    st.sampled_from("ABCDEFGHJKLMNPRSTVWXZ"),
    st.sampled_from("ABCDEFGHJKLMNPRSTVWXZ"),
    st.sampled_from(["", " ", "  "]),
)
def test_postcode_spacing_and_case(cijfers, a, b, spatie):
    assert normaliseer_postcode(f"{cijfers}{spatie}{a}{b}".lower()) == f"{cijfers}{a}{b}"


def test_huisnummer():
    assert normaliseer_huisnummer(104, "") == "104"
    assert normaliseer_huisnummer("104", "bis") == "104BIS"


@pytest.mark.django_db
def test_lookup_by_blind_index_and_destruction_with_the_key():
    a = datasleutel_create(doel="dossier")
    b = datasleutel_create(doel="dossier")
    blinde_indexen_zetten(
        sleutel=a, indexen={"naam_geboortedatum": [index_naam_geboortedatum("van der Berg", GEBOORTE)]}
    )
    blinde_indexen_zetten(sleutel=b, indexen={"naam_geboortedatum": [index_naam_geboortedatum("Jansen", GEBOORTE)]})
    gezocht = index_naam_geboortedatum("BERG, VAN DEN", GEBOORTE)
    assert sleutels_met_index(soort="naam_geboortedatum", waarde=gezocht) == [a.pk]
    datasleutel_vernietigen(sleutel=a, reden="AVG-verzoek wissing", omschrijving="test")
    assert sleutels_met_index(soort="naam_geboortedatum", waarde=gezocht) == []
    assert sleutels_met_index(soort="naam_geboortedatum", waarde=None) == []
