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
import hashlib
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from convenants.models import Convenant
from meldpunt.core.bulk import kopieer_rijen, nieuwe_uuids
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Organisatie, Rol, User
from meldpunt.privacy.blind import blinde_index, index_naam_geboortedatum, index_postcode_huisnummer
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
from .validatie import Uitkomst
from .workflow import OPEN_STATUSSEN, DossierStatus, MeldingType, overgang_toegestaan


@dataclass(frozen=True)
class Resultaat:
    """What became of one submitted melding.

    ``melding`` is built (a new melding) or loaded (one received before) only when it is asked for: a
    file upload needs only the counts, the form and the API need the one melding.
    """

    #: False when identical content was received before: the earlier melding is returned.
    nieuw: bool
    vervolgmelding: bool
    laad_melding: Callable[[], Melding] = field(repr=False, compare=False)

    @cached_property
    def melding(self) -> Melding:
        return self.laad_melding()


def referentie_index(convenant_id: int, referentie: str) -> str:
    return blinde_index("referentie", str(convenant_id), referentie.strip().upper())


def canonieke_gegevens(gegevens: dict[str, object]) -> str:
    """The submitted data as canonical JSON: what :func:`inhoud_index` covers and what is encrypted."""
    return json.dumps(gegevens, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def inhoud_index(partner_id: int, gegevens: dict[str, object]) -> str:
    return _inhoud_index(partner_id, canonieke_gegevens(gegevens))


def _inhoud_index(partner_id: int, canoniek: str) -> str:
    return blinde_index("melding_inhoud", str(partner_id), canoniek)


@dataclass(frozen=True, slots=True)
class Voorbereiding:
    """What intake derives from a valid melding before it touches the database (pure computation)."""

    partner_id: int
    #: The submitted data as canonical JSON: what is encrypted and what ``inhoud_index`` covers.
    canoniek: str
    referentie_index: str
    inhoud_index: str
    #: The blind indexes (kind, value) of the tenant: name + date of birth, postcode + house number.
    blinde_indexen: tuple[tuple[str, str], ...]
    #: Ready for the usual case, a new dossier: see :func:`meldingen_voorbereiden`.
    nieuw_dossier: NieuwDossierVooraf | None = None


@dataclass(frozen=True, slots=True)
class NieuwDossierVooraf:
    """Ids, a new data key and the encrypted data for a melding that opens a new dossier, made in advance.

    Used only when the melding does open a new dossier; otherwise dropped unused (never stored).
    """

    melding_id: str
    dossier_id: str
    kluis: Kluis
    gegevens: bytes


def meldingen_voorbereiden(uitkomsten: list[Uitkomst], *, partner_id: int) -> list[Voorbereiding]:
    """:func:`melding_voorbereiden` for each, plus the ids, key and encryption of a new dossier.

    Pure computation (no database), so the file upload does it in its checking thread, leaving less to
    do while the database waits: most rows of a file open a new dossier.
    """
    ids = nieuwe_uuids(3 * len(uitkomsten))
    kluizen = Kluis.nieuwe(ids[2::3])
    voorbereidingen = []
    for i, uitkomst in enumerate(uitkomsten):
        v = melding_voorbereiden(uitkomst, partner_id=partner_id)
        melding_id, kluis = ids[3 * i], kluizen[i]
        gegevens = kluis.versleutel_bytes(v.canoniek.encode(), context=_melding_context(melding_id))
        vooraf = NieuwDossierVooraf(melding_id=melding_id, dossier_id=ids[3 * i + 1], kluis=kluis, gegevens=gegevens)
        voorbereidingen.append(
            Voorbereiding(
                partner_id=v.partner_id,
                canoniek=v.canoniek,
                referentie_index=v.referentie_index,
                inhoud_index=v.inhoud_index,
                blinde_indexen=v.blinde_indexen,
                nieuw_dossier=vooraf,
            )
        )
    return voorbereidingen


def melding_voorbereiden(uitkomst: Uitkomst, *, partner_id: int) -> Voorbereiding:
    """The derived values :func:`meldingen_bulk_create` needs; the file upload computes them ahead."""
    invoer, convenant = uitkomst.invoer, uitkomst.convenant
    assert convenant is not None
    canoniek = canonieke_gegevens(invoer.gegevens())
    indexen = (
        (
            "naam_geboortedatum",
            index_naam_geboortedatum(invoer.achternaam, invoer.geboortedatum) if invoer.geboortedatum else None,
        ),
        ("postcode_huisnummer", index_postcode_huisnummer(invoer.postcode, invoer.huisnummer or "", invoer.toevoeging)),
    )
    return Voorbereiding(
        partner_id=partner_id,
        canoniek=canoniek,
        referentie_index=referentie_index(convenant.pk, invoer.referentie),
        inhoud_index=_inhoud_index(partner_id, canoniek),
        blinde_indexen=tuple((soort, waarde) for soort, waarde in indexen if waarde),
    )


def _lijst(waarden: Iterable[object]) -> str:
    """Hexadecimal hashes or integers as one comma-separated parameter (``string_to_array`` in SQL).

    Cheaper to send than an array parameter of hundreds of values, which is adapted value by value.
    """
    return ",".join(map(str, waarden))


def _slot(index: str) -> int:
    return int.from_bytes(hashlib.sha256(index.encode()).digest()[:8], "big", signed=True)


def _vergrendel_huurrelaties(indexen: set[str]) -> None:
    """Serialise concurrent intake per tenancy (sorted, so two batches never deadlock)."""
    sloten = sorted({_slot(i) for i in indexen})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(k) FROM unnest(string_to_array(%s, ',')::bigint[]) AS k ORDER BY k",
            [_lijst(sloten)],
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


#: The columns intake fills (attnames); every other column gets its model default (``kopieer_rijen``).
_DATASLEUTEL_KOLOMMEN = ("id", "doel", "verpakte_sleutel", "master_versie", "aangemaakt_op")
_DOSSIER_KOLOMMEN = (
    "id",
    "nummer",
    "convenant_id",
    "partner_id",
    "sleutel_id",
    "referentie_index",
    "type",
    "status",
    "vorig_dossier_id",
    "heeft_minderjarigen",
    "achterstand_bedrag",
    "postcode_cijfers",
    "ontruimingsdatum",
    "herhaald",
    "aangemaakt_op",
)
_STATUSWIJZIGING_KOLOMMEN = ("dossier_id", "van", "naar", "door_id", "tijdstip")
_MELDING_KOLOMMEN = (
    "id",
    "dossier_id",
    "convenant_id",
    "partner_id",
    "ingediend_door_id",
    "api_token_id",
    "upload_id",
    "kanaal",
    "ontvangen_op",
    "type",
    "status",
    "vervolgmelding",
    "achterstand_bedrag",
    "achterstand_maanden",
    "herhaald",
    "maandhuur",
    "minderjarige_kinderen",
    "postcode_cijfers",
    "vonnisdatum",
    "ontruimingsdatum",
    "referentie_index",
    "inhoud_index",
    "gegevens",
)
_BLINDE_INDEX_KOLOMMEN = ("sleutel_id", "soort", "waarde")


def _melding_context(melding_id: object) -> str:
    """:attr:`Melding.context` of the melding with this id (the associated data of its encrypted data)."""
    return f"meldingen.melding:{melding_id}:gegevens"


def _opgeslagen(obj: Any) -> Any:
    obj._state.adding = False
    obj._state.db = connection.alias
    return obj


class _NieuwDossier:
    """A dossier opened by this batch, as row values: later rows of the same tenancy may still change it."""

    __slots__ = (
        "_instantie",
        "aangemaakt_op",
        "achterstand_bedrag",
        "convenant",
        "heeft_minderjarigen",
        "herhaald",
        "kluis",
        "nummer",
        "ontruimingsdatum",
        "partner",
        "pk",
        "postcode_cijfers",
        "referentie_index",
        "sleutel_id",
        "status",
        "type",
        "vorig_dossier_id",
    )

    def __init__(
        self,
        *,
        pk: str,
        sleutel_id: str,
        convenant: Convenant,
        partner: Organisatie,
        referentie_index: str,
        soort: str,
        vorig_dossier_id: object,
        heeft_minderjarigen: bool,
        achterstand_bedrag: object,
        postcode_cijfers: int,
        ontruimingsdatum: dt.date | None,
        herhaald: bool,
        aangemaakt_op: dt.datetime,
    ) -> None:
        self.pk = pk
        self.sleutel_id = sleutel_id
        self.nummer = ""
        self.convenant = convenant
        self.partner = partner
        self.referentie_index = referentie_index
        self.type = soort
        self.status = DossierStatus.NIEUW
        self.vorig_dossier_id = vorig_dossier_id
        self.heeft_minderjarigen = heeft_minderjarigen
        self.achterstand_bedrag = achterstand_bedrag
        self.postcode_cijfers = postcode_cijfers
        self.ontruimingsdatum = ontruimingsdatum
        self.herhaald = herhaald
        self.aangemaakt_op = aangemaakt_op
        self.kluis: Kluis | None = None
        self._instantie: Dossier | None = None

    def rij(self) -> tuple[object, ...]:
        """The values of :data:`_DOSSIER_KOLOMMEN`."""
        return (
            self.pk,
            self.nummer,
            self.convenant.id,
            self.partner.id,
            self.sleutel_id,
            self.referentie_index,
            self.type,
            self.status,
            self.vorig_dossier_id,
            self.heeft_minderjarigen,
            self.achterstand_bedrag,
            self.postcode_cijfers,
            self.ontruimingsdatum,
            self.herhaald,
            self.aangemaakt_op,
        )

    def instantie(self) -> Dossier:
        """The stored dossier as a model instance (with its convenant, partner and data key attached)."""
        if self._instantie is None:
            assert self.kluis is not None
            sleutel = _opgeslagen(
                DataSleutel(
                    id=uuid.UUID(self.sleutel_id),
                    doel="dossier",
                    verpakte_sleutel=self.kluis.verpakte_sleutel,
                    master_versie=self.kluis.master_versie,
                    aangemaakt_op=self.aangemaakt_op,
                )
            )
            waarden = dict(zip(_DOSSIER_KOLOMMEN, self.rij(), strict=True))
            waarden["id"] = uuid.UUID(self.pk)
            for relatie in ("convenant_id", "partner_id", "sleutel_id"):
                del waarden[relatie]
            dossier = Dossier(**waarden, convenant=self.convenant, partner=self.partner, sleutel=sleutel)
            self._instantie = _opgeslagen(dossier)
        return self._instantie


def _laad_melding(melding_id: object) -> Melding:
    return Melding.objects.select_related("dossier").get(pk=melding_id)


def _bouw_melding(waarden: tuple[object, ...], dossier: Dossier | _NieuwDossier, relaties: dict[str, Any]) -> Melding:
    """The stored melding (a row of :data:`_MELDING_KOLOMMEN`) as a model instance, with its relations."""
    kolommen = dict(zip(_MELDING_KOLOMMEN, waarden, strict=True))
    kolommen["id"] = uuid.UUID(str(kolommen["id"]))
    for relatie in ("dossier_id", "convenant_id", "partner_id", "ingediend_door_id", "api_token_id", "upload_id"):
        del kolommen[relatie]
    melding = Melding(**kolommen, **relaties)
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


@transaction.atomic
def meldingen_bulk_create(
    *,
    uitkomsten: list[Uitkomst],
    partner: Organisatie,
    kanaal: str,
    door: User | None = None,
    api_token: ApiToken | None = None,
    upload: Bestandsupload | None = None,
    herkomst: str = "",
    voorbereidingen: list[Voorbereiding] | None = None,
) -> list[Resultaat]:
    """Store validated meldingen of one Partner in one transaction; one Resultaat per input, in order.

    Rows are handled in order, so a later row of the same tenancy in the same batch becomes a
    vervolgmelding of an earlier one, and a row identical to an earlier one is "al ontvangen".
    The rows are written with ``COPY`` from plain tuples; model instances are only built for a
    :attr:`Resultaat.melding` that is asked for. ``voorbereidingen`` (one per input, from
    :func:`melding_voorbereiden` or :func:`meldingen_voorbereiden` for this partner) saves computing them
    here; the latter's key and encryption are used for a melding that opens a new dossier.
    """
    for uitkomst in uitkomsten:
        if not uitkomst.geldig or uitkomst.convenant is None:
            raise ApplicationError("De melding is niet geldig.", extra=uitkomst.fouten)
    if not uitkomsten:
        return []
    if (
        voorbereidingen is None
        or len(voorbereidingen) != len(uitkomsten)
        or any(v.partner_id != partner.id for v in voorbereidingen)
    ):
        voorbereidingen = [melding_voorbereiden(u, partner_id=partner.pk) for u in uitkomsten]
    rijen = [
        (uitkomst, v.canoniek, v.referentie_index, v.inhoud_index, v.blinde_indexen, v.nieuw_dossier)
        for uitkomst, v in zip(uitkomsten, voorbereidingen, strict=True)
    ]
    ref_indexen = sorted({rij[2] for rij in rijen})
    _vergrendel_huurrelaties(set(ref_indexen))

    eerder = _eerder_ontvangen(partner, [rij[3] for rij in rijen])
    convenant_ids = sorted({u.convenant.id for u, *_ in rijen if u.convenant})
    open_dossiers: dict[tuple[int, str], Dossier | _NieuwDossier] = dict(_open_dossiers(convenant_ids, ref_indexen))
    laatste_bedrag: dict[object, object] = {}
    if open_dossiers:
        for dossier_id, bedrag in (
            Melding.objects.filter(dossier__in=list(open_dossiers.values()))
            .order_by("dossier_id", "-ontvangen_op")
            .distinct("dossier_id")
            .values_list("dossier_id", "achterstand_bedrag")
        ):
            laatste_bedrag[dossier_id] = bedrag
    gesloten = _gesloten_dossiers(convenant_ids, ref_indexen)

    # 1. Per row: received before, or its dossier (open, opened by an earlier row, or new) and status.
    nu = timezone.now()
    # Ids for new dossiers, their keys and meldingen, where none were made in advance.
    ids = iter(nieuwe_uuids(len(rijen) + 2 * sum(1 for rij in rijen if rij[5] is None)))
    nieuwe_dossiers: list[_NieuwDossier] = []
    gewijzigde_dossiers: dict[object, Dossier] = {}
    te_bewaren: list[
        tuple[
            Uitkomst,
            str,
            str,
            str,
            tuple[tuple[str, str], ...],
            Dossier | _NieuwDossier,
            str,
            bool,
            int,
            NieuwDossierVooraf | None,
        ]
    ] = []
    #: Per input: a Resultaat (received before this batch) or the position in ``te_bewaren``.
    uitslagen: list[Resultaat | int] = []
    in_batch: dict[str, int] = {}
    for uitkomst, canoniek, ref, inh, blinde_indexen, vooraf in rijen:
        invoer, convenant = uitkomst.invoer, uitkomst.convenant
        assert convenant is not None and invoer.bedrag is not None and invoer.maanden is not None
        assert invoer.maandhuur is not None
        if inh in eerder:
            uitslagen.append(eerder[inh])
            continue
        if inh in in_batch:
            uitslagen.append(in_batch[inh])
            continue
        postcode_cijfers = int(invoer.postcode[:4])
        convenant_id = convenant.id
        dossier = open_dossiers.get((convenant_id, ref))
        if dossier is not None:
            vorige = laatste_bedrag.get(dossier.pk)
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
            if isinstance(dossier, Dossier):
                gewijzigde_dossiers[dossier.pk] = dossier
            vervolg = True
            vooraf = None  # encrypted below under the dossier's own key
        else:
            vorig_dossier_id = gesloten.get((convenant_id, ref))
            dossier = _NieuwDossier(
                pk=vooraf.dossier_id if vooraf else next(ids),
                sleutel_id=vooraf.kluis.sleutel_id if vooraf else next(ids),
                convenant=convenant,
                partner=partner,
                referentie_index=ref,
                soort=invoer.type,
                vorig_dossier_id=vorig_dossier_id,
                heeft_minderjarigen=bool(invoer.minderjarige_kinderen),
                achterstand_bedrag=invoer.bedrag,
                postcode_cijfers=postcode_cijfers,
                ontruimingsdatum=invoer.ontruimingsdatum,
                herhaald=invoer.herhaald or vorig_dossier_id is not None,
                aangemaakt_op=nu,
            )
            dossier.kluis = vooraf.kluis if vooraf else None
            nieuwe_dossiers.append(dossier)
            open_dossiers[(convenant_id, ref)] = dossier
            status = Signaalstatus.NOG_NIET_OPGEPAKT
            vervolg = False
        laatste_bedrag[dossier.pk] = invoer.bedrag
        in_batch[inh] = len(te_bewaren)
        uitslagen.append(len(te_bewaren))
        te_bewaren.append(
            (uitkomst, canoniek, ref, inh, blinde_indexen, dossier, status, vervolg, postcode_cijfers, vooraf)
        )

    # 2. New data keys (one per new dossier, unless made in advance), stored with their dossiers.
    zonder_sleutel = [d for d in nieuwe_dossiers if d.kluis is None]
    for nieuw_dossier, kluis in zip(zonder_sleutel, Kluis.nieuwe([d.sleutel_id for d in zonder_sleutel]), strict=True):
        nieuw_dossier.kluis = kluis
    for nieuw_dossier, nummer in zip(nieuwe_dossiers, _dossiernummers(len(nieuwe_dossiers)), strict=True):
        nieuw_dossier.nummer = nummer
    door_id = door.pk if door else None
    kopieer_rijen(
        DataSleutel,
        _DATASLEUTEL_KOLOMMEN,
        [
            (d.sleutel_id, "dossier", d.kluis.verpakte_sleutel, d.kluis.master_versie, nu)  # type: ignore[union-attr]
            for d in nieuwe_dossiers
        ],
    )
    kopieer_rijen(Dossier, _DOSSIER_KOLOMMEN, [d.rij() for d in nieuwe_dossiers])
    kopieer_rijen(
        StatusWijziging,
        _STATUSWIJZIGING_KOLOMMEN,
        [(d.pk, "", DossierStatus.NIEUW, door_id, nu) for d in nieuwe_dossiers],
    )
    if gewijzigde_dossiers:
        Dossier.objects.bulk_update(
            list(gewijzigde_dossiers.values()),
            ["herhaald", "achterstand_bedrag", "heeft_minderjarigen", "type", "ontruimingsdatum"],
        )

    # 3. Per melding its row, encrypted under its dossier's key; then the blind indexes and the log.
    kluizen: dict[object, Kluis] = {}
    api_token_id = api_token.pk if api_token else None
    partner_id = partner.id
    upload_id = str(upload.pk) if upload else None
    relaties = {"partner": partner, "ingediend_door": door, "api_token": api_token, "upload": upload}
    meldingen: list[tuple[object, ...]] = []
    nieuwe_indexen: dict[tuple[object, str, str], None] = {}
    bestaande_indexen: list[BlindeIndex] = []
    nieuw: list[Resultaat] = []

    def melding_rijen() -> Iterator[tuple[object, ...]]:
        # Built while COPY streams them: the database stores the first rows while the next are encrypted.
        for (
            uitkomst,
            canoniek,
            ref,
            inh,
            blinde_indexen,
            dossier,
            status,
            vervolg,
            postcode_cijfers,
            vooraf,
        ) in te_bewaren:
            invoer, convenant = uitkomst.invoer, uitkomst.convenant
            assert convenant is not None
            dossier_id: object
            if vooraf is not None:  # this melding opened its dossier, with the key made in advance
                melding_id, dossier_id, gegevens = vooraf.melding_id, vooraf.dossier_id, vooraf.gegevens
            else:
                if isinstance(dossier, _NieuwDossier):
                    kluis = dossier.kluis
                    dossier_id = dossier.pk
                else:
                    kluis = kluizen.get(dossier.pk)
                    if kluis is None:
                        kluis = kluizen[dossier.pk] = Kluis(dossier.sleutel)
                    dossier_id = str(dossier.pk)
                assert kluis is not None
                melding_id = next(ids)
                gegevens = kluis.versleutel_bytes(canoniek.encode(), context=_melding_context(melding_id))
            waarden = (
                melding_id,
                dossier_id,
                convenant.id,
                partner_id,
                door_id,
                api_token_id,
                upload_id,
                kanaal,
                nu,
                invoer.type,
                status,
                vervolg,
                invoer.bedrag,
                invoer.maanden,
                invoer.herhaald,
                invoer.maandhuur,
                invoer.minderjarige_kinderen or 0,
                postcode_cijfers,
                invoer.vonnisdatum,
                invoer.ontruimingsdatum,
                ref,
                inh,
                gegevens,
            )
            meldingen.append(waarden)
            nieuw.append(
                Resultaat(
                    nieuw=True,
                    vervolgmelding=vervolg,
                    laad_melding=partial(_bouw_melding, waarden, dossier, {"convenant": convenant, **relaties}),
                )
            )
            for soort, waarde in blinde_indexen:
                if isinstance(dossier, _NieuwDossier):
                    # Indexes of new dossiers cannot exist yet (COPY; duplicates within the batch left out).
                    nieuwe_indexen[(dossier.sleutel_id, soort, waarde)] = None
                else:
                    # Those of existing dossiers may: skipped on conflict.
                    bestaande_indexen.append(BlindeIndex(sleutel_id=dossier.sleutel_id, soort=soort, waarde=waarde))
            yield waarden

    kopieer_rijen(Melding, _MELDING_KOLOMMEN, melding_rijen())
    kopieer_rijen(BlindeIndex, _BLINDE_INDEX_KOLOMMEN, list(nieuwe_indexen))
    BlindeIndex.objects.bulk_create(bestaande_indexen, ignore_conflicts=True)
    _log(meldingen=meldingen, door=door, partner=partner, api_token=api_token, herkomst=herkomst)

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
    meldingen: list[tuple[object, ...]],
    door: User | None,
    partner: Organisatie,
    api_token: ApiToken | None,
    herkomst: str,
) -> None:
    """One audit entry per stored melding (rows in ``_MELDING_KOLOMMEN`` order), appended to the chain last."""
    from meldpunt.audit.services import logregels_voor_objecten

    logregels_voor_objecten(
        actie="aanmaken",
        object_type="meldingen.melding",
        objecten=[(str(rij[0]), rij[2]) for rij in meldingen],  # type: ignore[misc]
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
