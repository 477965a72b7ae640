"""Writes of intake: storing meldingen, opening dossiers and attaching vervolgmeldingen.

One rule for every channel (form, file, API): validate with :func:`meldingen.validatie.valideer_melding`,
then :func:`melding_create`. Within one transaction it serialises on the tenancy (convenant +
referentie), recognises a repeat of identical content ("al ontvangen": nothing new is stored), attaches
a melding to the open dossier of the same tenancy (vervolgmelding) or opens a new dossier that points
to the previous closed one, encrypts the submitted data under the dossier's data key, adds blind
indexes and writes the audit entry.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import struct
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from convenants.models import Convenant
from meldpunt.core.bulk import (
    B_NULL,
    b_bool,
    b_bytes,
    b_datum,
    b_int2,
    b_numeric,
    b_tekst,
    b_tijdstip,
    b_uuid,
    kopieer_binair,
    nieuwe_uuids,
    nieuwe_uuids_met_velden,
    veld_bytes,
    veld_einde,
    veld_int2,
    veld_tekst,
)
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Organisatie, Rol, User
from meldpunt.privacy.blind import (
    blinde_index,
    blinde_indexeerder,
    index_naam_geboortedatum,
    index_postcode_huisnummer,
)
from meldpunt.privacy.crypto import NONCE_LENGTE
from meldpunt.privacy.keys import SLEUTELLENGTE
from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.models import BlindeIndex, DataSleutel

from .ddas import Contactsoort, Dagdeel, Eindresultaat, Signaalstatus
from .models import (
    ApiToken,
    Bestandsupload,
    Contactpoging,
    Dossier,
    Informatieplicht,
    Melding,
    StatusWijziging,
    Werkbak,
)
from .validatie import MeldingInvoer, Uitkomst
from .workflow import OPEN_STATUSSEN, DossierStatus, MeldingType, overgang_toegestaan


class Resultaat:
    """What became of one submitted melding.

    ``melding`` is built (a new melding) or loaded (one received before) only when it is asked for: a
    file upload needs only the counts, the form and the API need the one melding.
    """

    __slots__ = ("_laad", "_melding", "nieuw", "vervolgmelding")

    def __init__(self, *, nieuw: bool, vervolgmelding: bool, laad_melding: Callable[[], Melding]) -> None:
        #: False when identical content was received before: the earlier melding is returned.
        self.nieuw = nieuw
        self.vervolgmelding = vervolgmelding
        self._laad = laad_melding
        self._melding: Melding | None = None

    def __repr__(self) -> str:
        return f"Resultaat(nieuw={self.nieuw}, vervolgmelding={self.vervolgmelding})"

    @property
    def melding(self) -> Melding:
        if self._melding is None:
            self._melding = self._laad()
        return self._melding


def referentie_index(convenant_id: int, referentie: str, *, index: Callable[..., str] = blinde_index) -> str:
    return index("referentie", str(convenant_id), referentie.strip().upper())


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


# --- the rows intake writes, in COPY's binary format (meldpunt.core.bulk) -----------------------------------
# Columns are ordered by when their values are known: the first ones while a file's rows are checked (in
# advance, in the file upload's checking process), the last ones when the batch is stored.

#: Data key: its wrapped key is made in advance; the time when stored.
_DATASLEUTEL_KOLOMMEN = ("id", "doel", "verpakte_sleutel", "master_versie", "aangemaakt_op")
#: Dossier: the first ten from the melding that opens it (:func:`_dossier_regel`), the rest when stored.
_DOSSIER_KOLOMMEN = (
    "id",
    "sleutel_id",
    # the fixed-size values, in one piece (_DOSSIER_VAST)
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
#: Melding: its id and dossier, what :func:`_melding_midden` gives, the encrypted data; then per row its
#: signal status and whether it is a vervolgmelding (submitter, channel and time: the same for the batch).
_MELDING_KOLOMMEN = (
    "id",
    "dossier_id",
    # the fixed-size values of _melding_midden, in one piece (_MELDING_VAST)
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
_MELDING_VAST = struct.Struct(">iqiqihiBihih")
#: Length and value of: convenant, partner (int8), minors (bool), postcode (int2).
_DOSSIER_VAST = struct.Struct(">iqiqiBih")
_BLINDE_INDEX_KOLOMMEN = ("sleutel_id", "soort", "waarde")


_B_NIEUW = b_tekst(DossierStatus.NIEUW)
_B_JA, _B_NEE = b_bool(True), b_bool(False)
_B_NOG_NIET_OPGEPAKT = b_tekst(Signaalstatus.NOG_NIET_OPGEPAKT)


def _datum(waarde: dt.date | None) -> bytes:
    return B_NULL if waarde is None else b_datum(waarde)


#: Fixed vocabulary as fields, made once.
_VELD = {
    waarde: b_tekst(waarde)
    for waarde in (*MeldingType.values, "naam_geboortedatum", "postcode_huisnummer", "referentie", "dossier")
}


def _tekst_veld(waarde: str) -> bytes:
    return _VELD.get(waarde) or b_tekst(waarde)


def _melding_midden(
    invoer: MeldingInvoer,
    convenant_id: int,
    partner_id: int,
    ref: str,
    inh: str,
    bedrag: bytes,
    bedrag_veld: Callable[[Decimal], bytes] = b_numeric,
) -> bytes:
    """The melding's columns from ``convenant_id`` to ``inhoud_index`` (:data:`_MELDING_KOLOMMEN`);
    ``bedrag`` is the arrears as a field, ``bedrag_veld`` makes the rent's."""
    assert invoer.maanden is not None and invoer.maandhuur is not None
    vast = _MELDING_VAST.pack(
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
            _tekst_veld(invoer.type),
            _datum(invoer.vonnisdatum),
            _datum(invoer.ontruimingsdatum),
            b_tekst(ref),
            b_tekst(inh),
        )
    )


def _dossier_regel(
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
    """The dossier's first ten columns (:data:`_DOSSIER_KOLOMMEN`); ids and amount as fields."""
    vast = _DOSSIER_VAST.pack(8, convenant_id, 8, partner_id, 1, heeft_minderjarigen, 2, postcode_cijfers)
    return b"".join((pk, sleutel_id, vast, bedrag, _tekst_veld(soort), b_tekst(ref), _datum(ontruimingsdatum)))


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
    #: The melding's row values that depend on neither its id nor its dossier (:func:`_melding_midden`).
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
    #: The data key's row without its time (:data:`_DATASLEUTEL_KOLOMMEN`).
    sleutel_regels: list[bytes]
    #: The dossier's row up to its number, for a tenancy without a previous dossier (:data:`_DOSSIER_KOLOMMEN`).
    dossier_regels: list[bytes]
    #: The melding's row as the first melding of its dossier (:data:`_MELDING_KOLOMMEN`).
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
_BEDRAG_BEGIN = _MIDDEN_BEGIN + _MELDING_VAST.size
#: The fields of :func:`_melding_midden` after the fixed-size values: arrears to inhoud_index.
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
    index, bedrag_veld = blinde_indexeerder(), _bedragvelden()
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
            context=_melding_context(melding_id),
            nonce=nonces[NONCE_LENGTE * i : NONCE_LENGTE * (i + 1)],
        )
        voorbereid.convenant_ids.append(convenant.id)
        voorbereid.referentie_indexen.append(v.referentie_index)
        voorbereid.inhoud_indexen.append(v.inhoud_index)
        voorbereid.sleutel_regels.append(
            sleutel_veld + _VELD["dossier"] + b_bytes(kluis.verpakte_sleutel) + b_int2(kluis.master_versie)
        )
        voorbereid.dossier_regels.append(
            _dossier_regel(
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
            b"".join((melding_veld, dossier_veld, v.melding_midden, b_bytes(gegevens), _B_NOG_NIET_OPGEPAKT, _B_NEE))
        )
        voorbereid.index_regels.append(
            tuple(_index_regel(sleutel_veld, soort, waarde) for soort, waarde in v.blinde_indexen)
        )
        voorbereid._voorbereidingen.append(v)  # type: ignore[union-attr]
    return voorbereid


def _bedragvelden() -> Callable[[Decimal], bytes]:
    """:func:`b_numeric` remembering the amounts of one batch: a file repeats the same few rents."""
    velden: dict[str, bytes] = {}

    def bedrag_veld(bedrag: Decimal) -> bytes:
        tekst = str(bedrag)  # the key keeps the notation (650.0 and 650.00 are equal decimals)
        veld = velden.get(tekst)
        if veld is None:
            veld = velden[tekst] = b_numeric(bedrag)
        return veld

    return bedrag_veld


def _index_regel(sleutel_veld: bytes, soort: str, waarde: str) -> bytes:
    """A blind index's row (:data:`_BLINDE_INDEX_KOLOMMEN`); the key's id as a field."""
    return sleutel_veld + _tekst_veld(soort) + b_tekst(waarde)


def melding_voorbereiden(
    uitkomst: Uitkomst,
    *,
    partner_id: int,
    index: Callable[..., str] = blinde_index,
    bedrag_veld: Callable[[Decimal], bytes] = b_numeric,
) -> Voorbereiding:
    """The derived values :func:`meldingen_bulk_create` needs (``index``: a :func:`blinde_indexeerder`;
    ``bedrag_veld``: encodes an amount, see :func:`_bedragvelden`)."""
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
        melding_midden=_melding_midden(invoer, convenant.id, partner_id, ref, inh, bedrag, bedrag_veld),
        bedrag_veld=bedrag,
    )


def _lijst(waarden: Iterable[object]) -> str:
    """Hexadecimal hashes or integers as one comma-separated parameter (``string_to_array`` in SQL).

    Cheaper to send than an array parameter of hundreds of values, which is adapted value by value.
    """
    return ",".join(map(str, waarden))


def _vergrendel_huurrelaties(ref_indexen: list[str]) -> None:
    """Serialise concurrent intake per tenancy: a transaction lock per reference index, taken in sorted order
    (so two batches never deadlock)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(r, 0) AS k "
            "FROM unnest(string_to_array(%s, ',')) AS r) AS sloten ORDER BY k",
            [_lijst(ref_indexen)],
        )


def _dossiernummers(aantal: int) -> list[str]:
    if not aantal:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('meldingen_dossiernummer_seq') FROM generate_series(1, %s)", [aantal])
        volgnummers = [rij[0] for rij in cursor.fetchall()]
    jaar = timezone.localdate().year
    return [f"{jaar}-{n:07d}" for n in volgnummers]


def melding_create(
    *,
    uitkomst: Uitkomst,
    partner: Organisatie,
    kanaal: str,
    door: User | None = None,
    api_token: ApiToken | None = None,
    upload: Bestandsupload | None = None,
    herkomst: str = "",
) -> Resultaat:
    """Store one validated melding (see :func:`meldingen_bulk_create`)."""
    (resultaat,) = meldingen_bulk_create(
        uitkomsten=[uitkomst],
        partner=partner,
        kanaal=kanaal,
        door=door,
        api_token=api_token,
        upload=upload,
        herkomst=herkomst,
    )
    return resultaat


def _melding_context(melding_id: object) -> str:
    """:attr:`Melding.context` of the melding with this id (the associated data of its encrypted data)."""
    return f"meldingen.melding:{melding_id}:gegevens"


def _opgeslagen(obj: Any) -> Any:
    obj._state.adding = False
    obj._state.db = connection.alias
    return obj


class _NieuwDossier:
    """A dossier opened by this batch (by its row ``i``): later rows of the same tenancy may still change it.

    Its values are those of the melding that opens it; they are only read from its voorbereiding when
    needed: for a previous dossier, a later row of the batch, or a model instance.
    """

    __slots__ = (
        "_instantie",
        "aangemaakt_op",
        "achterstand_bedrag",
        "batch",
        "convenant",
        "gewijzigd",
        "heeft_minderjarigen",
        "herhaald",
        "i",
        "indexen",
        "nummer",
        "ontruimingsdatum",
        "partner",
        "pk",
        "postcode_cijfers",
        "status",
        "type",
        "vorig_dossier_id",
    )

    def __init__(
        self, batch: Voorbereid, i: int, partner: Organisatie, vorig_dossier_id: object, aangemaakt_op: dt.datetime
    ) -> None:
        self.batch = batch
        self.i = i
        self.pk = batch.dossier_ids[i]
        self.partner = partner
        self.vorig_dossier_id = vorig_dossier_id
        self.aangemaakt_op = aangemaakt_op
        self.nummer = ""
        self.status = DossierStatus.NIEUW
        #: True once a later row of the batch changed it: its row is then made from its values.
        self.gewijzigd = False
        self._instantie: Dossier | None = None
        if vorig_dossier_id is not None:
            self.waarden()

    def waarden(self) -> _NieuwDossier:
        """Its values from the melding that opens it (read once)."""
        if not hasattr(self, "type"):
            v = self.batch.voorbereiding(self.i)
            invoer = v.uitkomst.invoer
            self.convenant = v.uitkomst.convenant
            self.type = invoer.type
            self.heeft_minderjarigen = bool(invoer.minderjarige_kinderen)
            self.achterstand_bedrag = invoer.bedrag
            self.postcode_cijfers = int(invoer.postcode[:4])
            self.ontruimingsdatum = invoer.ontruimingsdatum
            self.herhaald = invoer.herhaald or self.vorig_dossier_id is not None
            #: The blind indexes (kind, value) it has: those of its first melding, and of vervolgmeldingen.
            self.indexen = v.blinde_indexen
        return self

    @property
    def kluis(self) -> Kluis:
        kluis = self.batch.voorbereiding(self.i).kluis
        assert kluis is not None
        return kluis

    @property
    def referentie_index(self) -> str:
        return self.batch.referentie_indexen[self.i]

    @property
    def sleutel_id(self) -> str:
        return str(self.kluis.sleutel_id)

    def regel(self, nu: bytes) -> bytes:
        """Its row (:data:`_DOSSIER_KOLOMMEN`), once :attr:`nummer` is set: as made in advance, unless a
        previous dossier or a later row of the batch changed it."""
        if self.gewijzigd or self.vorig_dossier_id is not None:
            begin = _dossier_regel(
                b_uuid(self.pk),
                b_uuid(self.sleutel_id),
                self.convenant.id,
                self.partner.id,
                self.heeft_minderjarigen,
                self.postcode_cijfers,
                b_numeric(self.achterstand_bedrag),
                self.type,
                self.referentie_index,
                self.ontruimingsdatum,
            )
            vorig = B_NULL if self.vorig_dossier_id is None else b_uuid(self.vorig_dossier_id)
            begin = begin + b_bool(self.herhaald) + vorig
        else:
            begin = self.batch.dossier_regels[self.i]
        return begin + b_tekst(self.nummer) + _B_NIEUW + nu

    def instantie(self) -> Dossier:
        """The stored dossier as a model instance (with its convenant, partner and data key attached)."""
        if self._instantie is None:
            self.waarden()
            kluis = self.kluis
            sleutel = _opgeslagen(
                DataSleutel(
                    id=uuid.UUID(self.sleutel_id),
                    doel="dossier",
                    verpakte_sleutel=kluis.verpakte_sleutel,
                    master_versie=kluis.master_versie,
                    aangemaakt_op=self.aangemaakt_op,
                )
            )
            dossier = Dossier(
                id=uuid.UUID(self.pk),
                nummer=self.nummer,
                convenant=self.convenant,
                partner=self.partner,
                sleutel=sleutel,
                referentie_index=self.referentie_index,
                type=self.type,
                status=self.status,
                vorig_dossier_id=self.vorig_dossier_id,
                heeft_minderjarigen=self.heeft_minderjarigen,
                achterstand_bedrag=self.achterstand_bedrag,
                postcode_cijfers=self.postcode_cijfers,
                ontruimingsdatum=self.ontruimingsdatum,
                herhaald=self.herhaald,
                aangemaakt_op=self.aangemaakt_op,
            )
            self._instantie = _opgeslagen(dossier)
        return self._instantie


@dataclass(slots=True)
class _Opgeslagen:
    """A melding this batch stores: its row ``i`` of the batch, its id and dossier, status and encrypted data
    (what :func:`_bouw_melding` needs to show it)."""

    batch: Voorbereid
    i: int
    melding_id: str
    dossier: Dossier | _NieuwDossier
    status: str
    vervolgmelding: bool
    #: Encrypted under its dossier's key, for a vervolgmelding (a melding opening a dossier: made in advance).
    gegevens: bytes | None = None


def _laad_melding(melding_id: object) -> Melding:
    return Melding.objects.select_related("dossier").get(pk=melding_id)


def _bouw_melding(opgeslagen: _Opgeslagen, nu: dt.datetime, kanaal: str, relaties: dict[str, Any]) -> Melding:
    """The stored melding as a model instance, with its relations."""
    v = opgeslagen.batch.voorbereiding(opgeslagen.i)
    invoer = v.uitkomst.invoer
    melding = Melding(
        id=uuid.UUID(opgeslagen.melding_id),
        convenant=v.uitkomst.convenant,
        kanaal=kanaal,
        ontvangen_op=nu,
        type=invoer.type,
        status=opgeslagen.status,
        vervolgmelding=opgeslagen.vervolgmelding,
        achterstand_bedrag=invoer.bedrag,
        achterstand_maanden=invoer.maanden,
        herhaald=invoer.herhaald,
        maandhuur=invoer.maandhuur,
        minderjarige_kinderen=invoer.minderjarige_kinderen or 0,
        postcode_cijfers=int(invoer.postcode[:4]),
        vonnisdatum=invoer.vonnisdatum,
        ontruimingsdatum=invoer.ontruimingsdatum,
        referentie_index=v.referentie_index,
        inhoud_index=v.inhoud_index,
        gegevens=opgeslagen.gegevens if opgeslagen.gegevens is not None else v.gegevens,
        **relaties,
    )
    dossier = opgeslagen.dossier
    melding.dossier = dossier.instantie() if isinstance(dossier, _NieuwDossier) else dossier
    return _opgeslagen(melding)


def _eerder_ontvangen(partner: Organisatie, inhoud_indexen: list[str]) -> dict[str, Resultaat]:
    """The meldingen of ``partner`` with one of these content indexes (loaded only when asked for)."""
    with connection.cursor() as cursor:
        cursor.execute(
            # LATERAL with a LIMIT (which keeps the planner from flattening it into a join): one index
            # probe per value whatever the statistics say. During a bulk load they lag behind the table,
            # and a plain join then hashes the whole table for every block.
            "SELECT i.inhoud_index, m.id, m.vervolgmelding FROM unnest(string_to_array(%s, ',')) AS i(inhoud_index), "
            "LATERAL (SELECT id, vervolgmelding FROM meldingen_melding "
            "WHERE partner_id = %s AND inhoud_index = i.inhoud_index LIMIT 1) AS m",
            [_lijst(inhoud_indexen), partner.pk],
        )
        return {
            inh: Resultaat(nieuw=False, vervolgmelding=vervolg, laad_melding=partial(_laad_melding, pk))
            for inh, pk, vervolg in cursor.fetchall()
        }


def _open_dossiers(convenant_ids: list[int], ref_indexen: list[str]) -> dict[tuple[int, str], Dossier]:
    """The open dossiers of these tenancies, locked together with their data keys (not shredded meanwhile)."""
    with connection.cursor() as cursor:
        cursor.execute(
            # Per value, as in _eerder_ontvangen (FOR UPDATE keeps the subquery apart).
            "SELECT d.id FROM unnest(string_to_array(%s, ',')) AS r(referentie_index), "
            "LATERAL (SELECT id, sleutel_id FROM meldingen_dossier WHERE referentie_index = r.referentie_index "
            "AND convenant_id = ANY(%s::bigint[]) AND status = ANY(%s::text[]) FOR UPDATE) AS d "
            "JOIN privacy_datasleutel s ON s.id = d.sleutel_id FOR UPDATE OF s",
            [_lijst(ref_indexen), convenant_ids, [str(s) for s in OPEN_STATUSSEN]],
        )
        ids = [rij[0] for rij in cursor.fetchall()]
    if not ids:
        return {}
    return {
        (d.convenant_id, d.referentie_index or ""): d
        for d in Dossier.objects.select_related("sleutel").filter(pk__in=ids)
    }


def _gesloten_dossiers(convenant_ids: list[int], ref_indexen: list[str]) -> dict[tuple[int, str], object]:
    """Per tenancy the id of its last closed dossier."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT ON (d.convenant_id, d.referentie_index) d.convenant_id, d.referentie_index, d.id "
            "FROM unnest(string_to_array(%s, ',')) AS r(referentie_index), "
            "LATERAL (SELECT convenant_id, referentie_index, id, afgesloten_op FROM meldingen_dossier "
            "WHERE referentie_index = r.referentie_index AND convenant_id = ANY(%s::bigint[]) AND status = %s "
            "OFFSET 0) AS d "  # per value, as in _eerder_ontvangen
            "ORDER BY d.convenant_id, d.referentie_index, d.afgesloten_op DESC",
            [_lijst(ref_indexen), convenant_ids, str(DossierStatus.AFGESLOTEN)],
        )
        return {(convenant_id, ref or ""): pk for convenant_id, ref, pk in cursor.fetchall()}


@transaction.atomic(savepoint=False)  # all or nothing, in the caller's transaction if there is one
def meldingen_bulk_create(
    *,
    partner: Organisatie,
    kanaal: str,
    uitkomsten: list[Uitkomst] | None = None,
    voorbereid: Voorbereid | None = None,
    door: User | None = None,
    api_token: ApiToken | None = None,
    upload: Bestandsupload | None = None,
    herkomst: str = "",
) -> list[Resultaat]:
    """Store validated meldingen of one Partner in one transaction; one Resultaat per melding, in order.

    The meldingen are ``uitkomsten`` (validated), or ``voorbereid``: what :func:`meldingen_voorbereiden`
    made of them in advance for this partner (the file upload's checking process). Rows are handled in
    order, so a later row of the same tenancy in the same batch becomes a vervolgmelding of an earlier
    one, and a row identical to an earlier one is "al ontvangen". The rows are written with ``COPY`` in its
    binary format, mostly made in advance; model instances are only built for a :attr:`Resultaat.melding`
    that is asked for.
    """
    if voorbereid is None:
        voorbereid = meldingen_voorbereiden(uitkomsten or [], partner_id=partner.pk)
    elif voorbereid.partner_id != partner.pk:
        raise ApplicationError("Deze meldingen zijn voor een andere partner voorbereid.")
    if not len(voorbereid):
        return []
    ref_indexen = sorted(set(voorbereid.referentie_indexen))
    _vergrendel_huurrelaties(ref_indexen)

    eerder = _eerder_ontvangen(partner, voorbereid.inhoud_indexen)
    convenant_ids = sorted(set(voorbereid.convenant_ids))
    open_dossiers: dict[tuple[int, str], Dossier | _NieuwDossier] = dict(_open_dossiers(convenant_ids, ref_indexen))
    #: Per open dossier of the database its latest arrears; per dossier of this batch its latest row.
    laatste_bedrag: dict[object, object] = {}
    laatste_rij: dict[object, int] = {}
    if open_dossiers:
        for dossier_id, bedrag in (
            Melding.objects.filter(dossier__in=list(open_dossiers.values()))
            .order_by("dossier_id", "-ontvangen_op")
            .distinct("dossier_id")
            .values_list("dossier_id", "achterstand_bedrag")
        ):
            laatste_bedrag[dossier_id] = bedrag
    gesloten = _gesloten_dossiers(convenant_ids, ref_indexen)

    # 1. Per row: received before, or its dossier (open, opened by an earlier row, or new), status and row.
    nu = timezone.now()
    nieuwe_dossiers: list[_NieuwDossier] = []
    gewijzigde_dossiers: dict[object, Dossier] = {}
    kluizen: dict[object, Kluis] = {}
    opgeslagen: list[_Opgeslagen] = []
    melding_regels: list[bytes] = []
    index_regels: list[bytes] = []
    bestaande_indexen: list[BlindeIndex] = []
    #: Per row: a Resultaat (received before this batch) or the position in ``opgeslagen``.
    uitslagen: list[Resultaat | int] = []
    in_batch: dict[str, int] = {}
    for i, (inh, huurrelatie) in enumerate(
        zip(
            voorbereid.inhoud_indexen,
            zip(voorbereid.convenant_ids, voorbereid.referentie_indexen, strict=True),
            strict=True,
        )
    ):
        if inh in eerder:
            uitslagen.append(eerder[inh])
            continue
        if inh in in_batch:
            uitslagen.append(in_batch[inh])
            continue
        dossier = open_dossiers.get(huurrelatie)
        if dossier is None:  # the usual case: a new dossier, with the rows made in advance
            dossier = _NieuwDossier(voorbereid, i, partner, gesloten.get(huurrelatie), nu)
            nieuwe_dossiers.append(dossier)
            open_dossiers[huurrelatie] = dossier
            laatste_rij[dossier.pk] = i
            melding_regels.append(voorbereid.melding_regels[i])
            index_regels.extend(voorbereid.index_regels[i])
            in_batch[inh] = len(opgeslagen)
            uitslagen.append(len(opgeslagen))
            opgeslagen.append(
                _Opgeslagen(voorbereid, i, voorbereid.melding_ids[i], dossier, Signaalstatus.NOG_NIET_OPGEPAKT, False)
            )
            continue
        v = voorbereid.voorbereiding(i)
        invoer = v.uitkomst.invoer
        assert invoer.bedrag is not None
        if isinstance(dossier, _NieuwDossier):
            vorige = voorbereid.voorbereiding(laatste_rij[dossier.pk]).uitkomst.invoer.bedrag
            dossier.waarden().gewijzigd = True
            laatste_rij[dossier.pk] = i
        else:
            vorige = laatste_bedrag.get(dossier.pk)
            laatste_bedrag[dossier.pk] = invoer.bedrag
        if vorige is not None and invoer.bedrag <= vorige:  # type: ignore[operator]
            status = Signaalstatus.HERHAALDE_MELDING
        elif dossier.status == DossierStatus.NIEUW:
            status = Signaalstatus.NOG_NIET_OPGEPAKT
        else:
            status = Signaalstatus.OPGEPAKT
        dossier.herhaald = True
        dossier.achterstand_bedrag = max(dossier.achterstand_bedrag, invoer.bedrag)
        dossier.heeft_minderjarigen = dossier.heeft_minderjarigen or bool(invoer.minderjarige_kinderen)
        if invoer.type == MeldingType.EO:
            dossier.type = MeldingType.EO
            dossier.ontruimingsdatum = invoer.ontruimingsdatum
        # Encrypted under the dossier's own key, as its own melding (the key made in advance is dropped).
        melding_id = nieuwe_uuids(1)[0]
        if isinstance(dossier, _NieuwDossier):
            kluis = dossier.kluis
            for soort, waarde in v.blinde_indexen:
                if (soort, waarde) not in dossier.indexen:
                    dossier.indexen += ((soort, waarde),)
                    index_regels.append(_index_regel(b_uuid(dossier.sleutel_id), soort, waarde))
        else:
            gewijzigde_dossiers[dossier.pk] = dossier
            kluis = kluizen.get(dossier.pk) or kluizen.setdefault(dossier.pk, Kluis(dossier.sleutel))
            # Indexes of an existing dossier may exist already: skipped on conflict.
            bestaande_indexen += [
                BlindeIndex(sleutel_id=dossier.sleutel_id, soort=soort, waarde=waarde)
                for soort, waarde in v.blinde_indexen
            ]
        gegevens = kluis.versleutel_bytes(v.canoniek.encode(), context=_melding_context(melding_id))
        melding_regels.append(
            b"".join(
                (
                    b_uuid(melding_id),
                    b_uuid(dossier.pk),
                    v.melding_midden,
                    b_bytes(gegevens),
                    b_tekst(status),
                    _B_JA,
                )
            )
        )
        in_batch[inh] = len(opgeslagen)
        uitslagen.append(len(opgeslagen))
        opgeslagen.append(_Opgeslagen(voorbereid, i, melding_id, dossier, status, True, gegevens))

    # 2. The new dossiers with their data keys, the changed ones, the meldingen, blind indexes and the log.
    b_nu = b_tijdstip(nu)
    for nieuw_dossier, nummer in zip(nieuwe_dossiers, _dossiernummers(len(nieuwe_dossiers)), strict=True):
        nieuw_dossier.nummer = nummer
    sleutel_regels = voorbereid.sleutel_regels
    kopieer_binair(DataSleutel, _DATASLEUTEL_KOLOMMEN, [sleutel_regels[d.i] + b_nu for d in nieuwe_dossiers])
    kopieer_binair(Dossier, _DOSSIER_KOLOMMEN, [d.regel(b_nu) for d in nieuwe_dossiers])
    if gewijzigde_dossiers:
        Dossier.objects.bulk_update(
            list(gewijzigde_dossiers.values()),
            ["herhaald", "achterstand_bedrag", "heeft_minderjarigen", "type", "ontruimingsdatum"],
        )
    kopieer_binair(
        Melding,
        _MELDING_KOLOMMEN,
        melding_regels,
        gedeeld={
            "ingediend_door_id": door.pk if door else None,
            "api_token_id": api_token.pk if api_token else None,
            "upload_id": upload.pk if upload else None,
            "kanaal": kanaal,
            "ontvangen_op": nu,
        },
    )
    kopieer_binair(BlindeIndex, _BLINDE_INDEX_KOLOMMEN, index_regels)
    if bestaande_indexen:
        BlindeIndex.objects.bulk_create(bestaande_indexen, ignore_conflicts=True)
    _log(
        meldingen=[(m.melding_id, voorbereid.convenant_ids[m.i]) for m in opgeslagen],
        door=door,
        partner=partner,
        api_token=api_token,
        herkomst=herkomst,
    )

    relaties = {"partner": partner, "ingediend_door": door, "api_token": api_token, "upload": upload}
    return _resultaten(uitslagen, opgeslagen, nu, kanaal, relaties)


def _resultaten(
    uitslagen: list[Resultaat | int],
    opgeslagen: list[_Opgeslagen],
    nu: dt.datetime,
    kanaal: str,
    relaties: dict[str, Any],
) -> list[Resultaat]:
    """One Resultaat per input: received before, stored by this batch, or identical to an earlier row of it."""
    nieuw = [
        Resultaat(
            nieuw=True, vervolgmelding=m.vervolgmelding, laad_melding=partial(_bouw_melding, m, nu, kanaal, relaties)
        )
        for m in opgeslagen
    ]
    resultaten: list[Resultaat] = []
    gezien: set[int] = set()
    for uitslag in uitslagen:
        if isinstance(uitslag, Resultaat):
            resultaten.append(uitslag)
        elif uitslag in gezien:  # identical to an earlier row of this batch: "al ontvangen"
            eerste = nieuw[uitslag]
            resultaten.append(
                Resultaat(
                    nieuw=False, vervolgmelding=eerste.vervolgmelding, laad_melding=partial(getattr, eerste, "melding")
                )
            )
        else:
            gezien.add(uitslag)
            resultaten.append(nieuw[uitslag])
    return resultaten


def _log(
    *,
    meldingen: list[tuple[str, int]],
    door: User | None,
    partner: Organisatie,
    api_token: ApiToken | None,
    herkomst: str,
) -> None:
    """One audit entry per stored melding ``(id, convenant id)``, appended to the chain last."""
    from meldpunt.audit.services import logregels_voor_objecten

    logregels_voor_objecten(
        actie="aanmaken",
        object_type="meldingen.melding",
        objecten=meldingen,
        gebruiker=door,
        organisatie=partner,
        herkomst=herkomst or (f"api:{api_token.pk}" if api_token else ""),
        doel="vroegsignalering huurachterstand",
    )


def melding_gegevens(melding: Melding) -> dict[str, object]:
    """Decrypt the submitted data of a melding (callers are selectors that checked access and audit)."""
    return Kluis(melding.dossier.sleutel).ontsleutel(melding.gegevens, context=melding.context)


# --- caseload: claiming, assigning, contact attempts, closing, reopening ------------------------------
#: Ends of a dossier that was never picked up, and the signal status each gives its meldingen.
NIET_OPGEPAKT_EINDRESULTATEN = {
    Eindresultaat.NIET_OPGEPAKT_ONTERECHT: Signaalstatus.ONTERECHT_SIGNAAL,
    Eindresultaat.NIET_OPGEPAKT_HERHAALD: Signaalstatus.HERHAALDE_MELDING,
    Eindresultaat.NIET_OPGEPAKT_ANDERE_REDEN: Signaalstatus.ANDERE_REDEN,
    Eindresultaat.OVERLEDEN: Signaalstatus.OVERLEDEN,
    Eindresultaat.GEEN_INWONER: Signaalstatus.GEEN_INWONER,
    Eindresultaat.AL_BEKEND: Signaalstatus.AL_BEKEND,
}


def _vereis_uitvoerder(door: User, dossier: Dossier, *rollen: str) -> None:
    if door.organisatie_id != dossier.convenant.uitvoerder_id or not door.heeft_rol(*rollen):
        raise ApplicationError("U mag dit dossier niet bewerken.")


def _overgang(dossier: Dossier, naar: str, *, door: User, reden: str = "") -> None:
    """Move ``dossier`` (locked by the caller) to ``naar`` if the transition table allows it; log it."""
    van = dossier.status
    if not overgang_toegestaan(van, naar):
        raise ApplicationError(
            f"Een dossier met status '{DossierStatus(van).label}' kan niet naar '{DossierStatus(naar).label}'."
        )
    dossier.status = naar
    wijziging = StatusWijziging(dossier=dossier, van=van, naar=naar, door=door, tijdstip=timezone.now())
    if reden:
        wijziging.reden = Kluis(dossier.sleutel).versleutel(reden, context=f"meldingen.statuswijziging:{dossier.pk}")
    wijziging.save()


def _log_dossier(dossier: Dossier, door: User, actie: str = "wijzigen") -> None:
    from meldpunt.audit.services import logregel_create

    logregel_create(
        actie=actie,
        object_type="meldingen.dossier",
        object_id=str(dossier.pk),
        gebruiker=door,
        convenant=dossier.convenant,
        doel="uitvoering vroegsignalering",
    )


@transaction.atomic
def dossier_claim(*, dossier_id: object, door: User) -> Dossier:
    """Claim an unclaimed dossier. Under concurrency exactly one claimant wins (row lock, SKIP LOCKED)."""
    if not door.heeft_rol(Rol.HULPVERLENER, Rol.TEAMLEIDER):
        raise ApplicationError("Alleen hulpverleners en teamleiders kunnen een dossier oppakken.")
    dossier = (
        Dossier.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("convenant", "sleutel")
        .filter(
            pk=dossier_id,
            status=DossierStatus.NIEUW,
            convenant__uitvoerder=door.organisatie,
            afgeschermd_sinds__isnull=True,
        )
        .first()
    )
    if dossier is None:
        raise ApplicationError("Dit dossier is al opgepakt of niet (meer) beschikbaar.")
    _overgang(dossier, DossierStatus.GECLAIMD, door=door)
    dossier.behandelaar = door
    dossier.geclaimd_op = timezone.now()
    dossier.save(update_fields=["status", "behandelaar", "geclaimd_op"])
    dossier.meldingen.filter(status=Signaalstatus.NOG_NIET_OPGEPAKT).update(status=Signaalstatus.OPGEPAKT)
    _start_informatieplicht(dossier)
    _log_dossier(dossier, door)
    return dossier


def _start_informatieplicht(dossier: Dossier) -> None:
    """Claiming starts the joint processing: the art. 14 clock starts (once per dossier)."""
    from dateutil.relativedelta import relativedelta

    vandaag = timezone.localdate()
    parameters = dossier.convenant.parameters_voor(vandaag.year)
    maanden = parameters.informatieplicht_maanden if parameters else 1
    Informatieplicht.objects.get_or_create(
        dossier=dossier, defaults={"gestart_op": vandaag, "termijn_op": vandaag + relativedelta(months=maanden)}
    )


def _vergrendeld(dossier: Dossier) -> Dossier:
    """Lock ``dossier`` for a change; a dossier under restriction or objection cannot be changed."""
    dossier = Dossier.objects.select_for_update(of=("self",)).select_related("convenant", "sleutel").get(pk=dossier.pk)
    if dossier.afgeschermd_sinds is not None:
        raise ApplicationError("Dit dossier is afgeschermd (beperking of bezwaar) en kan niet worden gewijzigd.")
    return dossier


@transaction.atomic
def dossier_toewijzen(*, dossier: Dossier, behandelaar: User, door: User) -> Dossier:
    """A teamleider assigns or reassigns an open dossier to a member of the team."""
    dossier = _vergrendeld(dossier)
    _vereis_uitvoerder(door, dossier, Rol.TEAMLEIDER)
    if behandelaar.organisatie_id != door.organisatie_id or not behandelaar.is_active:
        raise ApplicationError(
            "Kies een actieve medewerker van uw eigen organisatie.", extra={"behandelaar": ["Ongeldig."]}
        )
    if not behandelaar.heeft_rol(Rol.HULPVERLENER, Rol.TEAMLEIDER):
        raise ApplicationError("Deze medewerker is geen hulpverlener.", extra={"behandelaar": ["Geen hulpverlener."]})
    if dossier.status == DossierStatus.AFGESLOTEN:
        raise ApplicationError("Een afgesloten dossier kan niet worden toegewezen; heropen het eerst.")
    if dossier.status == DossierStatus.NIEUW:
        _overgang(dossier, DossierStatus.GECLAIMD, door=door)
        dossier.geclaimd_op = timezone.now()
        dossier.meldingen.filter(status=Signaalstatus.NOG_NIET_OPGEPAKT).update(status=Signaalstatus.OPGEPAKT)
        _start_informatieplicht(dossier)
    dossier.behandelaar = behandelaar
    dossier.save(update_fields=["status", "behandelaar", "geclaimd_op"])
    _log_dossier(dossier, door)
    return dossier


@transaction.atomic
def contactpoging_create(
    *,
    dossier: Dossier,
    door: User,
    soort: str,
    datum: dt.date,
    dagdeel: str,
    bereikt: bool,
    notitie: str = "",
) -> Contactpoging:
    dossier = _vergrendeld(dossier)
    _vereis_uitvoerder(door, dossier, Rol.HULPVERLENER, Rol.TEAMLEIDER)
    if dossier.behandelaar_id != door.pk and not door.heeft_rol(Rol.TEAMLEIDER):
        raise ApplicationError("Alleen de behandelaar of een teamleider legt contactpogingen vast.")
    if dossier.status not in (DossierStatus.GECLAIMD, DossierStatus.IN_CONTACT):
        raise ApplicationError("Contactpogingen zijn alleen mogelijk bij een opgepakt, open dossier.")
    fouten: dict[str, list[str]] = {}
    if soort not in Contactsoort.values:
        fouten["soort"] = ["Kies een soort contact."]
    if dagdeel not in Dagdeel.values:
        fouten["dagdeel"] = ["Kies een dagdeel."]
    if datum > timezone.localdate():
        fouten["datum"] = ["De datum ligt in de toekomst."]
    elif dossier.geclaimd_op and datum < timezone.localtime(dossier.geclaimd_op).date() - dt.timedelta(days=1):
        fouten["datum"] = ["De datum ligt vóór het oppakken van het dossier."]
    if len(notitie) > 5000:
        fouten["notitie"] = ["Ten hoogste 5000 tekens."]
    if fouten:
        raise ApplicationError("De contactpoging is niet vastgelegd.", extra=fouten)
    poging = Contactpoging(dossier=dossier, soort=soort, datum=datum, dagdeel=dagdeel, bereikt=bereikt, door=door)
    poging.save()
    if notitie:
        poging.notitie = Kluis(dossier.sleutel).versleutel(notitie, context=f"meldingen.contactpoging:{poging.pk}")
        poging.save(update_fields=["notitie"])
    if bereikt and dossier.status == DossierStatus.GECLAIMD:
        _overgang(dossier, DossierStatus.IN_CONTACT, door=door)
        dossier.save(update_fields=["status"])
    _log_dossier(dossier, door, actie="aanmaken")
    return poging


@transaction.atomic
def dossier_afsluiten(*, dossier: Dossier, door: User, eindresultaat: str) -> Dossier:
    """Close with a DDAS end result. From the queue only the not-picked-up results are possible."""
    dossier = _vergrendeld(dossier)
    _vereis_uitvoerder(door, dossier, Rol.HULPVERLENER, Rol.TEAMLEIDER)
    if (
        dossier.status != DossierStatus.NIEUW
        and dossier.behandelaar_id != door.pk
        and not door.heeft_rol(Rol.TEAMLEIDER)
    ):
        raise ApplicationError("Alleen de behandelaar of een teamleider sluit dit dossier af.")
    if eindresultaat not in Eindresultaat.values:
        raise ApplicationError("Kies een eindresultaat.", extra={"eindresultaat": ["Kies een eindresultaat."]})
    if dossier.status == DossierStatus.NIEUW and eindresultaat not in NIET_OPGEPAKT_EINDRESULTATEN:
        raise ApplicationError(
            "Een dossier dat niet is opgepakt kan alleen met een 'niet opgepakt'-resultaat worden afgesloten.",
            extra={"eindresultaat": ["Pak het dossier eerst op, of kies een reden waarom het niet wordt opgepakt."]},
        )
    niet_opgepakt = dossier.status == DossierStatus.NIEUW
    _overgang(dossier, DossierStatus.AFGESLOTEN, door=door)
    dossier.eindresultaat = eindresultaat
    dossier.afgesloten_op = timezone.now()
    dossier.save(update_fields=["status", "eindresultaat", "afgesloten_op"])
    if niet_opgepakt:
        dossier.meldingen.filter(status=Signaalstatus.NOG_NIET_OPGEPAKT).update(
            status=NIET_OPGEPAKT_EINDRESULTATEN[eindresultaat]
        )
    _log_dossier(dossier, door)
    return dossier


@transaction.atomic
def dossier_heropenen(*, dossier: Dossier, door: User, reden: str) -> Dossier:
    """A teamleider reopens a closed dossier, with a reason (kept encrypted in the history)."""
    dossier = _vergrendeld(dossier)
    _vereis_uitvoerder(door, dossier, Rol.TEAMLEIDER)
    if not reden.strip():
        raise ApplicationError("Geef de reden voor heropenen.", extra={"reden": ["Vul de reden in."]})
    if (
        dossier.referentie_index
        and Dossier.objects.filter(
            convenant=dossier.convenant, referentie_index=dossier.referentie_index, status__in=OPEN_STATUSSEN
        )
        .exclude(pk=dossier.pk)
        .exists()
    ):
        raise ApplicationError("Voor deze huurrelatie loopt al een ander dossier.")
    _overgang(dossier, DossierStatus.GECLAIMD, door=door, reden=reden.strip())
    if dossier.behandelaar_id is None:
        dossier.behandelaar = door
    dossier.eindresultaat = ""
    dossier.afgesloten_op = None
    dossier.save(update_fields=["status", "behandelaar", "eindresultaat", "afgesloten_op"])
    _log_dossier(dossier, door)
    return dossier


# --- work queues (werkbakjes) -----------------------------------------------------------------------
WERKBAK_FILTERS = (
    "type",
    "alleen_minderjarigen",
    "bedrag_vanaf",
    "postcode_van",
    "postcode_tot",
    "alleen_herhaald",
    "partner",
)


@transaction.atomic
def werkbak_create(*, door: User, naam: str, **filters: Any) -> Werkbak:
    """A teamleider defines a named queue for the team; filters are combined with AND."""
    if not door.heeft_rol(Rol.TEAMLEIDER) or door.organisatie.type != "uitvoerder":
        raise ApplicationError("Alleen een teamleider van een uitvoerder maakt werkbakjes.")
    onbekend = set(filters) - set(WERKBAK_FILTERS)
    if onbekend:
        raise ApplicationError("Onbekend filter.", extra={k: ["Onbekend filter."] for k in sorted(onbekend)})
    fouten: dict[str, list[str]] = {}
    naam = naam.strip()
    if not naam:
        fouten["naam"] = ["Geef het werkbakje een naam."]
    elif Werkbak.objects.filter(organisatie=door.organisatie, naam__iexact=naam).exists():
        fouten["naam"] = ["Er is al een werkbakje met deze naam."]
    van, tot = filters.get("postcode_van"), filters.get("postcode_tot")
    for veld, waarde in (("postcode_van", van), ("postcode_tot", tot)):
        if waarde is not None and not 1000 <= waarde <= 9999:
            fouten[veld] = ["Vier cijfers, van 1000 tot en met 9999."]
    if van is not None and tot is not None and van > tot and "postcode_tot" not in fouten:
        fouten["postcode_tot"] = ["De tot-postcode ligt vóór de van-postcode."]
    bedrag = filters.get("bedrag_vanaf")
    if bedrag is not None and bedrag < 0:
        fouten["bedrag_vanaf"] = ["Een bedrag van 0 of meer."]
    partner = filters.get("partner")
    if (
        partner is not None
        and not door.organisatie.convenanten_als_uitvoerder.filter(deelnames__partner=partner).exists()
    ):
        fouten["partner"] = ["Deze partner neemt niet deel aan uw convenanten."]
    if fouten:
        raise ApplicationError("Het werkbakje is niet aangemaakt.", extra=fouten)
    werkbak = Werkbak.objects.create(organisatie=door.organisatie, naam=naam, aangemaakt_door=door, **filters)
    from meldpunt.audit.services import logregel_create

    logregel_create(actie="aanmaken", object_type="meldingen.werkbak", object_id=str(werkbak.pk), gebruiker=door)
    return werkbak


@transaction.atomic
def werkbak_verwijderen(*, werkbak: Werkbak, door: User) -> None:
    if not door.heeft_rol(Rol.TEAMLEIDER) or werkbak.organisatie_id != door.organisatie_id:
        raise ApplicationError("Alleen een teamleider van het team verwijdert werkbakjes.")
    from meldpunt.audit.services import logregel_create

    logregel_create(actie="verwijderen", object_type="meldingen.werkbak", object_id=str(werkbak.pk), gebruiker=door)
    werkbak.delete()
