"""Writes of intake: storing meldingen, opening dossiers and attaching vervolgmeldingen.

One rule for every channel (form, file, API): validate with :func:`meldingen.intake.validatie.valideer_melding`,
then :func:`melding_create`. Within one transaction it serialises on the tenancy (convenant +
referentie), recognises a repeat of identical content ("al ontvangen": nothing new is stored), attaches
a melding to the open dossier of the same tenancy (vervolgmelding) or opens a new dossier that points
to the previous closed one, encrypts the submitted data under the dossier's data key, adds blind
indexes and writes the audit entry.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from meldingen.ddas import Signaalstatus
from meldingen.doelen import DOEL_INTAKE
from meldingen.dossiers.models import Dossier
from meldingen.dossiers.workflow import OPEN_STATUSSEN, DossierStatus, MeldingType
from meldingen.tokens.models import ApiToken
from meldingen.upload.models import Bestandsupload
from meldpunt.audit.services import logregels_voor_objecten
from meldpunt.core.bulk import b_bytes, b_tekst, b_tijdstip, b_uuid, kopieer_binair, nieuwe_uuids
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Organisatie, User
from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.models import BlindeIndex, DataSleutel

from .batch import NieuwDossier, OpgeslagenMelding, bouw_melding, laad_melding
from .models import Melding
from .rijen import (
    B_JA,
    B_NEE,
    BLINDE_INDEX_KOLOMMEN,
    DATASLEUTEL_KOLOMMEN,
    DOSSIER_KOLOMMEN,
    MELDING_KOLOMMEN,
    index_regel,
)
from .validatie import Uitkomst
from .voorbereiding import Voorbereid, melding_context, meldingen_voorbereiden


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
            inh: Resultaat(nieuw=False, vervolgmelding=vervolg, laad_melding=partial(laad_melding, pk))
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


def _gesloten_dossiers(convenant_ids: list[int], ref_indexen: list[str]) -> dict[tuple[int, str], uuid.UUID]:
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
    open_dossiers: dict[tuple[int, str], Dossier | NieuwDossier] = dict(_open_dossiers(convenant_ids, ref_indexen))
    #: Per open dossier of the database its latest arrears; per dossier of this batch its latest row.
    laatste_bedrag: dict[object, Decimal] = {}
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
    nieuwe_dossiers: list[NieuwDossier] = []
    gewijzigde_dossiers: dict[object, Dossier] = {}
    kluizen: dict[object, Kluis] = {}
    opgeslagen: list[OpgeslagenMelding] = []
    melding_regels: list[bytes] = []
    index_regels: list[bytes] = []
    bestaande_indexen: list[BlindeIndex] = []
    #: Per row: a Resultaat (received before this batch) or the position in ``opgeslagen``.
    uitslagen: list[Resultaat | int] = []
    in_batch: dict[str, int] = {}
    #: Meldingen for a restricted dossier, kept apart (:func:`afgezonderde_meldingen_toevoegen`).
    afgezonderd: list[str] = []
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
            dossier = NieuwDossier(voorbereid, i, partner, gesloten.get(huurrelatie), nu)
            nieuwe_dossiers.append(dossier)
            open_dossiers[huurrelatie] = dossier
            laatste_rij[dossier.pk] = i
            melding_regels.append(voorbereid.melding_regels[i])
            index_regels.extend(voorbereid.index_regels[i])
            in_batch[inh] = len(opgeslagen)
            uitslagen.append(len(opgeslagen))
            opgeslagen.append(
                OpgeslagenMelding(
                    voorbereid, i, voorbereid.melding_ids[i], dossier, Signaalstatus.NOG_NIET_OPGEPAKT, False
                )
            )
            continue
        v = voorbereid.voorbereiding(i)
        invoer = v.uitkomst.invoer
        assert invoer.bedrag is not None
        apart = isinstance(dossier, Dossier) and dossier.afgeschermd_sinds is not None
        if apart:  # restricted (DOMAIN.md rule 4): stored, kept apart, the dossier unchanged and not revealed
            assert isinstance(dossier, Dossier)
            melding_id = nieuwe_uuids(1)[0]
            kluis = kluizen.get(dossier.pk) or kluizen.setdefault(dossier.pk, Kluis(dossier.sleutel))
            gegevens = kluis.versleutel_bytes(v.canoniek.encode(), context=melding_context(melding_id))
            melding_regels.append(
                b"".join(
                    (
                        b_uuid(melding_id),
                        b_uuid(dossier.pk),
                        v.melding_midden,
                        b_bytes(gegevens),
                        b_tekst(Signaalstatus.NOG_NIET_OPGEPAKT),
                        B_NEE,
                    )
                )
            )
            afgezonderd.append(melding_id)
            in_batch[inh] = len(opgeslagen)
            uitslagen.append(len(opgeslagen))
            opgeslagen.append(
                OpgeslagenMelding(voorbereid, i, melding_id, dossier, Signaalstatus.NOG_NIET_OPGEPAKT, False, gegevens)
            )
            continue
        if isinstance(dossier, NieuwDossier):
            vorige = voorbereid.voorbereiding(laatste_rij[dossier.pk]).uitkomst.invoer.bedrag
            dossier.waarden().gewijzigd = True
            laatste_rij[dossier.pk] = i
        else:
            vorige = laatste_bedrag.get(dossier.pk)
            laatste_bedrag[dossier.pk] = invoer.bedrag
        if vorige is not None and invoer.bedrag <= vorige:
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
        if isinstance(dossier, NieuwDossier):
            kluis = dossier.kluis
            for soort, waarde in v.blinde_indexen:
                if (soort, waarde) not in dossier.indexen:
                    dossier.indexen += ((soort, waarde),)
                    index_regels.append(index_regel(b_uuid(dossier.sleutel_id), soort, waarde))
        else:
            gewijzigde_dossiers[dossier.pk] = dossier
            kluis = kluizen.get(dossier.pk) or kluizen.setdefault(dossier.pk, Kluis(dossier.sleutel))
            # Indexes of an existing dossier may exist already: skipped on conflict.
            bestaande_indexen += [
                BlindeIndex(sleutel_id=dossier.sleutel_id, soort=soort, waarde=waarde)
                for soort, waarde in v.blinde_indexen
            ]
        gegevens = kluis.versleutel_bytes(v.canoniek.encode(), context=melding_context(melding_id))
        melding_regels.append(
            b"".join(
                (
                    b_uuid(melding_id),
                    b_uuid(dossier.pk),
                    v.melding_midden,
                    b_bytes(gegevens),
                    b_tekst(status),
                    B_JA,
                )
            )
        )
        in_batch[inh] = len(opgeslagen)
        uitslagen.append(len(opgeslagen))
        opgeslagen.append(OpgeslagenMelding(voorbereid, i, melding_id, dossier, status, True, gegevens))

    # 2. The new dossiers with their data keys, the changed ones, the meldingen, blind indexes and the log.
    b_nu = b_tijdstip(nu)
    for nieuw_dossier, nummer in zip(nieuwe_dossiers, _dossiernummers(len(nieuwe_dossiers)), strict=True):
        nieuw_dossier.nummer = nummer
    sleutel_regels = voorbereid.sleutel_regels
    kopieer_binair(DataSleutel, DATASLEUTEL_KOLOMMEN, [sleutel_regels[d.i] + b_nu for d in nieuwe_dossiers])
    kopieer_binair(Dossier, DOSSIER_KOLOMMEN, [d.regel(b_nu) for d in nieuwe_dossiers])
    if gewijzigde_dossiers:
        Dossier.objects.bulk_update(
            list(gewijzigde_dossiers.values()),
            ["herhaald", "achterstand_bedrag", "heeft_minderjarigen", "type", "ontruimingsdatum"],
        )
    kopieer_binair(
        Melding,
        MELDING_KOLOMMEN,
        melding_regels,
        gedeeld={
            "ingediend_door_id": door.pk if door else None,
            "api_token_id": api_token.pk if api_token else None,
            "upload_id": upload.pk if upload else None,
            "kanaal": kanaal,
            "ontvangen_op": nu,
        },
    )
    if afgezonderd:
        Melding.objects.filter(pk__in=afgezonderd).update(afgezonderd=True)
    kopieer_binair(BlindeIndex, BLINDE_INDEX_KOLOMMEN, index_regels)
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
    opgeslagen: list[OpgeslagenMelding],
    nu: dt.datetime,
    kanaal: str,
    relaties: dict[str, Any],
) -> list[Resultaat]:
    """One Resultaat per input: received before, stored by this batch, or identical to an earlier row of it."""
    nieuw = [
        Resultaat(
            nieuw=True, vervolgmelding=m.vervolgmelding, laad_melding=partial(bouw_melding, m, nu, kanaal, relaties)
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
    logregels_voor_objecten(
        actie="aanmaken",
        object_type="meldingen.melding",
        objecten=meldingen,
        gebruiker=door,
        organisatie=partner,
        herkomst=herkomst or (f"api:{api_token.pk}" if api_token else ""),
        doel=DOEL_INTAKE,
    )


def melding_gegevens(melding: Melding) -> dict[str, object]:
    """Decrypt the submitted data of a melding (callers are selectors that checked access and audit)."""
    return Kluis(melding.dossier.sleutel).ontsleutel(melding.gegevens, context=melding.context)


def afgezonderde_meldingen_toevoegen(*, dossier: Dossier) -> int:
    """Once a dossier's restriction is lifted: the meldingen kept apart meanwhile become its vervolgmeldingen
    and update it (arrears, minors, eviction), in the order received. Call under the dossier's lock, inside
    the lifting transaction. Returns how many."""
    apart = list(Melding.objects.filter(dossier=dossier, afgezonderd=True).order_by("ontvangen_op", "pk"))
    if not apart or dossier.afgeschermd_sinds is not None:
        return 0
    for melding in apart:
        dossier.herhaald = True
        dossier.achterstand_bedrag = max(dossier.achterstand_bedrag, melding.achterstand_bedrag)
        dossier.heeft_minderjarigen = dossier.heeft_minderjarigen or bool(melding.minderjarige_kinderen)
        if melding.type == MeldingType.EO:
            dossier.type = MeldingType.EO
            dossier.ontruimingsdatum = melding.ontruimingsdatum
    dossier.save(update_fields=["herhaald", "achterstand_bedrag", "heeft_minderjarigen", "type", "ontruimingsdatum"])
    Melding.objects.filter(pk__in=[m.pk for m in apart]).update(afgezonderd=False, vervolgmelding=True)
    return len(apart)
