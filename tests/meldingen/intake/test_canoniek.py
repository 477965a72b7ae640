"""What intake derives from a melding, made the fast way, equals the general definition.

- :meth:`MeldingInvoer.canoniek` writes the canonical JSON directly; it must be exactly
  ``json.dumps(invoer.gegevens(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))`` (what is
  encrypted and what the content index covers), for any values.
- :func:`blinde_indexeerder` computes HMAC-SHA256 from precomputed pads; it must equal :mod:`hmac`.
- ``valideer_melding(..., overnemen=True)`` (the file parser's own invoer, validated in place) must give
  what the copying variant gives.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import fields
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meldingen.intake.validatie import MeldingInvoer, valideer_melding
from meldingen.intake.voorbereiding import canonieke_gegevens
from meldingen.upload.parser import KOLOMMEN, invoer_uit_waarden
from meldpunt.privacy import blind
from tests.meldingen.upload.helpers import rij

VEEL = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

tekst = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30)
datum = st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1)))
bedrag = st.one_of(
    st.none(), st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**9), max_value=10**9, places=4)
)
getal = st.one_of(st.none(), st.integers(-(10**12), 10**12))

invoeren = st.builds(
    MeldingInvoer,
    convenant=tekst,
    type=st.one_of(st.sampled_from(["VEO", "EO"]), tekst),
    referentie=tekst,
    achternaam=tekst,
    voornamen=tekst,
    voorletters=tekst,
    geboortedatum=datum,
    telefoon=tekst,
    email=tekst,
    straat=tekst,
    huisnummer=getal,
    toevoeging=tekst,
    postcode=tekst,
    woonplaats=tekst,
    minderjarige_kinderen=getal,
    bedrag=bedrag,
    maanden=getal,
    herhaald=st.booleans(),
    maandhuur=bedrag,
    herinnering_op=datum,
    contactpoging_op=datum,
    informatie_doorgifte_op=datum,
    vonnisdatum=datum,
    ontruimingsdatum=datum,
    eo_opgegeven=st.booleans(),
)


@VEEL
@given(invoeren)
def test_canonical_json_written_directly_is_the_canonical_json_of_the_data(invoer):
    assert invoer.canoniek() == canonieke_gegevens(invoer.gegevens())


@VEEL
@given(st.binary(min_size=1, max_size=200), st.text(max_size=20), st.lists(st.text(max_size=50), max_size=4))
def test_blind_index_from_precomputed_pads_is_hmac_sha256(sleutel, soort, delen):
    """Keys of any length: longer than a SHA-256 block (64 bytes) they are hashed first, as RFC 2104 says."""
    bericht = "\x1f".join([soort, *delen]).encode()
    assert blind.blinde_indexeerder(sleutel)(soort, *delen) == hmac.new(sleutel, bericht, "sha256").hexdigest()


def test_blind_index_with_the_configured_key_is_the_public_function():
    index = blind.blinde_indexeerder()
    assert index("soort", "a", "b") == blind.blinde_index("soort", "a", "b")
    sleutel = blind.blind_index_sleutel()
    assert index("x") == hmac.new(sleutel, b"x", "sha256").hexdigest()


@VEEL
@given(
    st.fixed_dictionaries({k: st.one_of(st.text(max_size=25), st.none()) for k in KOLOMMEN}),
    st.data(),
)
def test_validating_the_parsers_invoer_in_place_gives_what_a_copy_gives(waarden, data):
    # Half of the rows start from a valid row, so that the rules past the first errors are reached too.
    if data.draw(st.booleans()):
        waarden = {**rij(), **{k: v for k, v in waarden.items() if data.draw(st.booleans()) and v is not None}}
    vandaag = dt.date(2026, 11, 22)
    kopie_invoer, _ = invoer_uit_waarden(waarden)
    eigen_invoer, _ = invoer_uit_waarden(waarden)
    standen = {
        waarden.get("convenant") or "": _stand_zonder_database(),
        (waarden.get("convenant") or "").strip(): _stand_zonder_database(),
    }
    a = valideer_melding(kopie_invoer, partner=None, vandaag=vandaag, standen=standen)  # type: ignore[arg-type]
    b = valideer_melding(eigen_invoer, partner=None, vandaag=vandaag, standen=standen, overnemen=True)  # type: ignore[arg-type]
    assert a.fouten == b.fouten
    assert {f.name: getattr(a.invoer, f.name) for f in fields(MeldingInvoer)} == {
        f.name: getattr(b.invoer, f.name) for f in fields(MeldingInvoer)
    }
    assert b.invoer is eigen_invoer and a.invoer is not kopie_invoer


def _stand_zonder_database():
    from meldingen.intake.validatie import ConvenantStand

    return ConvenantStand(convenant=None, is_partner=False, actief=False, parameters=None)


def test_amounts_keep_their_notation_in_the_canonical_json():
    invoer = MeldingInvoer(bedrag=Decimal("1300"), maandhuur=Decimal("650.5"), type="VEO")
    assert '"bedrag":"1300.00"' in invoer.canoniek() and '"maandhuur":"650.50"' in invoer.canoniek()
