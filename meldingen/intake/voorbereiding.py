"""Intake's pure computation: what storing a valid melding needs, derived before it touches the database.

:func:`meldingen_voorbereiden` makes of valid meldingen a :class:`Voorbereid`: per melding its keyed
hashes, blind indexes, and the rows of the new dossier it usually opens (ids, data key, the data
encrypted under it), in COPY's binary format (:mod:`meldingen.intake.rijen`). The file upload does this
in its checking process (:mod:`meldingen.upload.controle`), so less is left while the database waits.
"""

from __future__ import annotations

import json
import os
import pickle
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from convenants.models import Convenant
from meldpunt.core.bulk import (
    B_NULL,
    b_bool,
    b_bytes,
    b_int2,
    b_numeric,
    b_uuid,
    nieuwe_uuids_met_velden,
    veld_bytes,
    veld_einde,
    veld_int2,
    veld_tekst,
)
from meldpunt.core.exceptions import ApplicationError
from meldpunt.privacy.blind import (
    blinde_index,
    blinde_indexeerder,
    index_naam_geboortedatum,
    index_postcode_huisnummer,
)
from meldpunt.privacy.crypto import NONCE_LENGTE
from meldpunt.privacy.keys import SLEUTELLENGTE
from meldpunt.privacy.kluis import Kluis

from .rijen import (
    B_NEE,
    B_NOG_NIET_OPGEPAKT,
    MELDING_VAST,
    VELD,
    bedragvelden,
    dossier_regel,
    index_regel,
    melding_midden_regel,
)
from .validatie import MeldingInvoer, Uitkomst


def referentie_normaal(referentie: str) -> str:
    """The referentie as compared: stripped, Unicode NFKC (full-width digits, ligatures and decomposed
    accents become their plain form), upper case. NFKC is the identity on ASCII and on text already in
    that form, so every index computed before it was added (``strip().upper()``) stays the same for those."""
    referentie = referentie.strip()
    if not referentie.isascii():
        referentie = unicodedata.normalize("NFKC", referentie).strip()
    return referentie.upper()


def referentie_index(convenant_id: int, referentie: str, *, index: Callable[..., str] = blinde_index) -> str:
    return index("referentie", str(convenant_id), referentie_normaal(referentie))


def referentie_indexen(convenant_id: int, referentie: str) -> set[str]:
    """The index plus, for a referentie NFKC changes, the one stored before normalisation (to find old rows)."""
    return {
        referentie_index(convenant_id, referentie),
        blinde_index("referentie", str(convenant_id), referentie.strip().upper()),
    }


def canonieke_gegevens(gegevens: dict[str, object]) -> str:
    """The submitted data as canonical JSON: what :func:`inhoud_index` covers and what is encrypted.

    For a :class:`~meldingen.validatie.MeldingInvoer` this is :meth:`MeldingInvoer.canoniek` (the same
    text, made directly).
    """
    return json.dumps(gegevens, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def inhoud_index(partner_id: int, gegevens: dict[str, object]) -> str:
    return _inhoud_index(partner_id, canonieke_gegevens(gegevens))


def _inhoud_index(partner_id: int, canoniek: str, *, index: Callable[..., str] = blinde_index) -> str:
    return index("melding_inhoud", str(partner_id), canoniek)


def melding_context(melding_id: object) -> str:
    """:attr:`Melding.context` of the melding with this id (the associated data of its encrypted data)."""
    return f"meldingen.melding:{melding_id}:gegevens"


@dataclass(slots=True)
class Voorbereiding:
    """What intake derives from one valid melding before it touches the database (pure computation)."""

    uitkomst: Uitkomst
    #: The submitted data as canonical JSON: what is encrypted and what ``inhoud_index`` covers.
    canoniek: str
    referentie_index: str
    inhoud_index: str
    #: The blind indexes (kind, value) of the tenant: name + date of birth, postcode + house number.
    blinde_indexen: tuple[tuple[str, str], ...]
    #: The melding's row values that depend on neither its id nor its dossier (:func:`melding_midden_regel`).
    melding_midden: bytes
    #: The arrears as a field (in the melding's row and, for a new dossier, the dossier's).
    bedrag_veld: bytes
    #: For the usual case, a melding that opens a new dossier (:func:`meldingen_voorbereiden`): the new
    #: dossier's data key, and the data encrypted under it.
    kluis: Kluis | None = None
    gegevens: bytes | None = None


@dataclass(slots=True)
class Voorbereid:
    """Valid meldingen of one Partner, prepared for storing (:func:`meldingen_voorbereiden`).

    By column, one entry per melding, what storing needs in the usual case, a melding that opens a new
    dossier: its convenant and indexes, and its rows made in advance with its own ids and data key (those
    of a row that turns out otherwise are dropped unused). The rest of each melding, its
    :class:`Voorbereiding`, is needed only in the other cases (a vervolgmelding, a previous dossier, a
    model instance to show) and is unpacked only then: the file upload's checking process sends only
    what the rows do not hold (:meth:`inpakken`), and the rest is read back from the rows when needed.
    """

    partner_id: int
    convenant_ids: list[int]
    referentie_indexen: list[str]
    inhoud_indexen: list[str]
    melding_ids: list[str]
    dossier_ids: list[str]
    #: The data key's row without its time (:data:`DATASLEUTEL_KOLOMMEN`).
    sleutel_regels: list[bytes]
    #: The dossier's row up to its number, for a tenancy without a previous dossier (:data:`DOSSIER_KOLOMMEN`).
    dossier_regels: list[bytes]
    #: The melding's row as the first melding of its dossier (:data:`MELDING_KOLOMMEN`).
    melding_regels: list[bytes]
    #: The rows of the new dossier's blind indexes.
    index_regels: list[tuple[bytes, ...]]
    _voorbereidingen: list[Voorbereiding] | None = None
    _ingepakt: bytes | None = None
    _convenanten: dict[int, Convenant] | None = None

    def __len__(self) -> int:
        return len(self.inhoud_indexen)

    def voorbereiding(self, i: int) -> Voorbereiding:
        if self._voorbereidingen is None:
            self._voorbereidingen = _uitpakken(self, self._ingepakt or b"", self._convenanten or {})
            self._ingepakt = None
        return self._voorbereidingen[i]

    def inpakken(self) -> tuple[object, ...]:
        """The batch as plain values (the columns, and what else the voorbereidingen need in one packed
        piece), for a pipe."""
        kolommen = tuple(getattr(self, naam) for naam in _KOLOMMEN_VAN_VOORBEREID)
        return (*kolommen, self._ingepakt if self._voorbereidingen is None else _inpakken(self._voorbereidingen))

    @classmethod
    def uitpakken(cls, delen: tuple[Any, ...], convenanten: dict[int, Convenant]) -> Voorbereid:
        """What :meth:`inpakken` gave, with the Convenant of each id; the voorbereidingen stay packed."""
        *kolommen, ingepakt = delen
        return cls(
            **dict(zip(_KOLOMMEN_VAN_VOORBEREID, kolommen, strict=True)), _ingepakt=ingepakt, _convenanten=convenanten
        )


_KOLOMMEN_VAN_VOORBEREID = (
    "partner_id",
    "convenant_ids",
    "referentie_indexen",
    "inhoud_indexen",
    "melding_ids",
    "dossier_ids",
    "sleutel_regels",
    "dossier_regels",
    "melding_regels",
    "index_regels",
)


def _inpakken(voorbereidingen: list[Voorbereiding]) -> bytes:
    """What the batch's rows do not hold of its voorbereidingen, in one pickle: per melding its canonical
    JSON, and its new dossier's data key as it is (the rows hold it wrapped); :func:`_uitpakken` reads the
    rest back from the rows. Cheap to make for every block, while most blocks never need it.
    """
    sleutels = []
    for v in voorbereidingen:
        assert v.kluis is not None
        sleutels.append(v.kluis.delen()[1])
    return pickle.dumps(([v.canoniek for v in voorbereidingen], b"".join(sleutels)), protocol=pickle.HIGHEST_PROTOCOL)


#: Where the values of a melding's row made in advance (:func:`meldingen_voorbereiden`) begin: after its id
#: and dossier (two uuid fields) and the fixed-size values; the arrears come first.
_MIDDEN_BEGIN = 2 * len(b_uuid(uuid.UUID(int=0)))
_BEDRAG_BEGIN = _MIDDEN_BEGIN + MELDING_VAST.size
#: The fields of :func:`melding_midden_regel` after the fixed-size values: arrears to inhoud_index.
_MIDDEN_VELDEN = 7


def _uitpakken(batch: Voorbereid, ingepakt: bytes, convenanten: dict[int, Convenant]) -> list[Voorbereiding]:
    """The voorbereidingen of ``batch`` from what :func:`_inpakken` gave and the batch's own rows: the
    same values :func:`meldingen_voorbereiden` made (a test compares them field by field)."""
    canonieken, sleutels = pickle.loads(ingepakt)  # noqa: S301 - made by our own checking process
    voorbereidingen = []
    for i, canoniek in enumerate(canonieken):
        melding = batch.melding_regels[i]
        bedrag_einde = positie = veld_einde(melding, _BEDRAG_BEGIN)
        for _ in range(_MIDDEN_VELDEN - 1):
            positie = veld_einde(melding, positie)
        sleutel = batch.sleutel_regels[i]
        verpakt = veld_einde(sleutel, veld_einde(sleutel, 0))  # after its id and purpose
        kluis = Kluis.uit_delen(
            str(uuid.UUID(bytes=sleutel[4:20])),  # the uuid field's value
            sleutels[SLEUTELLENGTE * i : SLEUTELLENGTE * (i + 1)],
            veld_bytes(sleutel, verpakt),
            veld_int2(sleutel, veld_einde(sleutel, verpakt)),
        )
        indexen = []
        for regel in batch.index_regels[i]:
            soort = veld_einde(regel, 0)  # after the key's id
            indexen.append((veld_tekst(regel, soort), veld_tekst(regel, veld_einde(regel, soort))))
        invoer = MeldingInvoer.uit_gegevens(json.loads(canoniek))
        voorbereidingen.append(
            Voorbereiding(
                uitkomst=Uitkomst(invoer=invoer, convenant=convenanten[batch.convenant_ids[i]]),
                canoniek=canoniek,
                referentie_index=batch.referentie_indexen[i],
                inhoud_index=batch.inhoud_indexen[i],
                blinde_indexen=tuple(indexen),
                melding_midden=melding[_MIDDEN_BEGIN:positie],
                bedrag_veld=melding[_BEDRAG_BEGIN:bedrag_einde],
                kluis=kluis,
                gegevens=veld_bytes(melding, positie),
            )
        )
    return voorbereidingen


def meldingen_voorbereiden(uitkomsten: list[Uitkomst], *, partner_id: int) -> Voorbereid:
    """:func:`melding_voorbereiden` for each valid melding, plus the ids, key, encryption and rows of a new
    dossier; as a :class:`Voorbereid`.

    Pure computation (no database), so the file upload does it in its checking process, leaving less to
    do while the database waits: most rows of a file open a new dossier.
    """
    for uitkomst in uitkomsten:
        if not uitkomst.geldig or uitkomst.convenant is None:
            raise ApplicationError("De melding is niet geldig.", extra=uitkomst.fouten)
    index, bedrag_veld = blinde_indexeerder(), bedragvelden()
    aantal = len(uitkomsten)
    ids, velden = nieuwe_uuids_met_velden(3 * aantal)
    kluizen = Kluis.nieuwe(ids[2::3])
    nonces = os.urandom(NONCE_LENGTE * aantal)  # one draw for all (not a system call per row)
    voorbereid = Voorbereid(
        partner_id=partner_id,
        convenant_ids=[],
        referentie_indexen=[],
        inhoud_indexen=[],
        melding_ids=ids[0::3],
        dossier_ids=ids[1::3],
        sleutel_regels=[],
        dossier_regels=[],
        melding_regels=[],
        index_regels=[],
        _voorbereidingen=[],
    )
    for i, uitkomst in enumerate(uitkomsten):
        invoer, convenant = uitkomst.invoer, uitkomst.convenant
        assert convenant is not None
        v = melding_voorbereiden(uitkomst, partner_id=partner_id, index=index, bedrag_veld=bedrag_veld)
        melding_id, melding_veld, dossier_veld, sleutel_veld = (
            ids[3 * i],
            velden[3 * i],
            velden[3 * i + 1],
            velden[3 * i + 2],
        )
        v.kluis = kluis = kluizen[i]
        assert kluis.verpakte_sleutel is not None and kluis.master_versie is not None
        v.gegevens = gegevens = kluis.versleutel_bytes(
            v.canoniek.encode(),
            context=melding_context(melding_id),
            nonce=nonces[NONCE_LENGTE * i : NONCE_LENGTE * (i + 1)],
        )
        voorbereid.convenant_ids.append(convenant.id)
        voorbereid.referentie_indexen.append(v.referentie_index)
        voorbereid.inhoud_indexen.append(v.inhoud_index)
        voorbereid.sleutel_regels.append(
            sleutel_veld + VELD["dossier"] + b_bytes(kluis.verpakte_sleutel) + b_int2(kluis.master_versie)
        )
        voorbereid.dossier_regels.append(
            dossier_regel(
                dossier_veld,
                sleutel_veld,
                convenant.id,
                partner_id,
                bool(invoer.minderjarige_kinderen),
                int(invoer.postcode[:4]),
                v.bedrag_veld,
                invoer.type,
                v.referentie_index,
                invoer.ontruimingsdatum,
            )
            + b_bool(invoer.herhaald)
            + B_NULL
        )
        voorbereid.melding_regels.append(
            b"".join((melding_veld, dossier_veld, v.melding_midden, b_bytes(gegevens), B_NOG_NIET_OPGEPAKT, B_NEE))
        )
        voorbereid.index_regels.append(
            tuple(index_regel(sleutel_veld, soort, waarde) for soort, waarde in v.blinde_indexen)
        )
        voorbereid._voorbereidingen.append(v)  # type: ignore[union-attr]  # set to a list above
    return voorbereid


def melding_voorbereiden(
    uitkomst: Uitkomst,
    *,
    partner_id: int,
    index: Callable[..., str] = blinde_index,
    bedrag_veld: Callable[[Decimal], bytes] = b_numeric,
) -> Voorbereiding:
    """The derived values :func:`meldingen_bulk_create` needs (``index``: a :func:`blinde_indexeerder`;
    ``bedrag_veld``: encodes an amount, see :func:`bedragvelden`)."""
    invoer, convenant = uitkomst.invoer, uitkomst.convenant
    assert convenant is not None
    canoniek = invoer.canoniek()
    indexen = (
        (
            "naam_geboortedatum",
            index_naam_geboortedatum(invoer.achternaam, invoer.geboortedatum, index=index)
            if invoer.geboortedatum
            else None,
        ),
        (
            "postcode_huisnummer",
            index_postcode_huisnummer(invoer.postcode, invoer.huisnummer or "", invoer.toevoeging, index=index),
        ),
    )
    ref = referentie_index(convenant.pk, invoer.referentie, index=index)
    inh = _inhoud_index(partner_id, canoniek, index=index)
    assert invoer.bedrag is not None
    bedrag = bedrag_veld(invoer.bedrag)
    return Voorbereiding(
        uitkomst=uitkomst,
        canoniek=canoniek,
        referentie_index=ref,
        inhoud_index=inh,
        blinde_indexen=tuple((soort, waarde) for soort, waarde in indexen if waarde),
        melding_midden=melding_midden_regel(invoer, convenant.id, partner_id, ref, inh, bedrag, bedrag_veld),
        bedrag_veld=bedrag,
    )
