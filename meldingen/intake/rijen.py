"""The rows intake writes, in COPY's binary format (:mod:`meldpunt.core.bulk`).

Columns are ordered by when their values are known: the first ones while a file's rows are checked (in
advance, in the file upload's checking process), the last ones when the batch is stored.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Callable
from decimal import Decimal

from meldingen.ddas import Signaalstatus
from meldingen.dossiers.workflow import DossierStatus, MeldingType
from meldingen.intake.validatie import MeldingInvoer
from meldpunt.core.bulk import B_NULL, b_bool, b_datum, b_numeric, b_tekst

#: Data key: its wrapped key is made in advance; the time when stored.
DATASLEUTEL_KOLOMMEN = ("id", "doel", "verpakte_sleutel", "master_versie", "aangemaakt_op")
#: Dossier: the first ten from the melding that opens it (:func:`dossier_regel`), the rest when stored.
DOSSIER_KOLOMMEN = (
    "id",
    "sleutel_id",
    # the fixed-size values, in one piece (DOSSIER_VAST)
    "convenant_id",
    "partner_id",
    "heeft_minderjarigen",
    "postcode_cijfers",
    # and the others
    "achterstand_bedrag",
    "type",
    "referentie_index",
    "ontruimingsdatum",
    "herhaald",
    "vorig_dossier_id",
    "nummer",
    "status",
    "aangemaakt_op",
)
#: Melding: its id and dossier, what :func:`melding_midden_regel` gives, the encrypted data; then per row its
#: signal status and whether it is a vervolgmelding (submitter, channel and time: the same for the batch).
MELDING_KOLOMMEN = (
    "id",
    "dossier_id",
    # the fixed-size values of melding_midden_regel, in one piece (MELDING_VAST)
    "convenant_id",
    "partner_id",
    "achterstand_maanden",
    "herhaald",
    "minderjarige_kinderen",
    "postcode_cijfers",
    # and the others
    "achterstand_bedrag",
    "maandhuur",
    "type",
    "vonnisdatum",
    "ontruimingsdatum",
    "referentie_index",
    "inhoud_index",
    "gegevens",
    "status",
    "vervolgmelding",
)
#: Length and value of: convenant, partner (int8), months (int2), repeated (bool), minors, postcode (int2).
MELDING_VAST = struct.Struct(">iqiqihiBihih")
#: Length and value of: convenant, partner (int8), minors (bool), postcode (int2).
DOSSIER_VAST = struct.Struct(">iqiqiBih")
BLINDE_INDEX_KOLOMMEN = ("sleutel_id", "soort", "waarde")


B_NIEUW = b_tekst(DossierStatus.NIEUW)
B_JA, B_NEE = b_bool(True), b_bool(False)
B_NOG_NIET_OPGEPAKT = b_tekst(Signaalstatus.NOG_NIET_OPGEPAKT)


def datum_veld(waarde: dt.date | None) -> bytes:
    return B_NULL if waarde is None else b_datum(waarde)


#: Fixed vocabulary as fields, made once.
VELD = {
    waarde: b_tekst(waarde)
    for waarde in (*MeldingType.values, "naam_geboortedatum", "postcode_huisnummer", "referentie", "dossier")
}


def tekst_veld(waarde: str) -> bytes:
    return VELD.get(waarde) or b_tekst(waarde)


def melding_midden_regel(
    invoer: MeldingInvoer,
    convenant_id: int,
    partner_id: int,
    ref: str,
    inh: str,
    bedrag: bytes,
    bedrag_veld: Callable[[Decimal], bytes] = b_numeric,
) -> bytes:
    """The melding's columns from ``convenant_id`` to ``inhoud_index`` (:data:`MELDING_KOLOMMEN`);
    ``bedrag`` is the arrears as a field, ``bedrag_veld`` makes the rent's."""
    assert invoer.maanden is not None and invoer.maandhuur is not None
    vast = MELDING_VAST.pack(
        8,
        convenant_id,
        8,
        partner_id,
        2,
        invoer.maanden,
        1,
        invoer.herhaald,
        2,
        invoer.minderjarige_kinderen or 0,
        2,
        int(invoer.postcode[:4]),
    )
    return b"".join(
        (
            vast,
            bedrag,
            bedrag_veld(invoer.maandhuur),
            tekst_veld(invoer.type),
            datum_veld(invoer.vonnisdatum),
            datum_veld(invoer.ontruimingsdatum),
            b_tekst(ref),
            b_tekst(inh),
        )
    )


def dossier_regel(
    pk: bytes,
    sleutel_id: bytes,
    convenant_id: int,
    partner_id: int,
    heeft_minderjarigen: bool,
    postcode_cijfers: int,
    bedrag: bytes,
    soort: str,
    ref: str,
    ontruimingsdatum: dt.date | None,
) -> bytes:
    """The dossier's first ten columns (:data:`DOSSIER_KOLOMMEN`); ids and amount as fields."""
    vast = DOSSIER_VAST.pack(8, convenant_id, 8, partner_id, 1, heeft_minderjarigen, 2, postcode_cijfers)
    return b"".join((pk, sleutel_id, vast, bedrag, tekst_veld(soort), b_tekst(ref), datum_veld(ontruimingsdatum)))


def bedragvelden() -> Callable[[Decimal], bytes]:
    """:func:`b_numeric` remembering the amounts of one batch: a file repeats the same few rents."""
    velden: dict[str, bytes] = {}

    def bedrag_veld(bedrag: Decimal) -> bytes:
        tekst = str(bedrag)  # the key keeps the notation (650.0 and 650.00 are equal decimals)
        veld = velden.get(tekst)
        if veld is None:
            veld = velden[tekst] = b_numeric(bedrag)
        return veld

    return bedrag_veld


def index_regel(sleutel_veld: bytes, soort: str, waarde: str) -> bytes:
    """A blind index's row (:data:`BLINDE_INDEX_KOLOMMEN`); the key's id as a field."""
    return sleutel_veld + tekst_veld(soort) + b_tekst(waarde)
