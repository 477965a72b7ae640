"""Writing the log. Every entry goes through :func:`logregel_create`.

Transaction
    :func:`logregel_create` joins the caller's transaction (``atomic(savepoint=False)``): when the
    change it records is rolled back, so is its entry. Outside a transaction it makes its own.

Hash chain
    Inside that transaction it takes the transaction-scoped advisory lock :data:`KETEN_SLOT`
    (``pg_advisory_xact_lock``), reads the id and hash of the entry with the highest id
    (``GENESIS_HASH`` for the first), gives the new entry the next id and stores::

        hash = sha256_hex(vorige_hash + canonieke_inhoud(entry))

    The lock is held until the caller's transaction ends, so entries are chained strictly in id order
    and two transactions never chain onto the same predecessor. This relies on READ COMMITTED (Django's
    default): each statement after the lock sees every entry committed before it. Services therefore
    write their entry as their last statement, keeping the time the lock is held short.

Canonical form (:func:`canonieke_inhoud`)
    A JSON object with exactly the keys of :data:`HASH_VELDEN`, sorted, separators ``,`` and ``:``
    without spaces, UTF-8 (``ensure_ascii=False``)::

        {"actie":"wijzigen","convenant_id":3,"doel":"convenantbeheer","gebruiker_id":7,"herkomst":"10.0.0.1",
         "id":42,"object_id":"3","object_type":"convenants.convenant","organisatie_id":1,"resultaat":"gelukt",
         "tijdstip":"2026-03-01T09:15:02.123456Z"}

    ``id``, ``gebruiker_id``, ``organisatie_id`` and ``convenant_id`` are JSON integers or ``null``; the
    others are strings; ``tijdstip`` is UTC as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (always six fraction
    digits, the precision PostgreSQL stores). ``manage.py logboek_controleren`` recomputes every hash
    from the stored columns with the same functions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from json.encoder import encode_basestring
from typing import Any

from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from convenants.models import Convenant
from meldpunt.core.bulk import B_NULL, b_int8, b_tekst, kopieer, kopieer_binair
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Organisatie, User

from .context import client_adres, huidige_herkomst
from .models import GENESIS_HASH, HERKOMST_BEHEER_COMMANDO, Actie, LogRegel, Resultaat

#: Key of the advisory lock that serialises appending to the chain (an arbitrary constant, "logboek").
KETEN_SLOT = 0x6C6F67626F656B

#: The columns covered by the hash, in the canonical form's key order.
HASH_VELDEN = (
    "actie",
    "convenant_id",
    "doel",
    "gebruiker_id",
    "herkomst",
    "id",
    "object_id",
    "object_type",
    "organisatie_id",
    "resultaat",
    "tijdstip",
)

_MAX_LENGTE = {"object_type": 100, "object_id": 64, "herkomst": 100, "doel": 100}


def tijdstip_canoniek(tijdstip: dt.datetime) -> str:
    return tijdstip.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonieke_inhoud(waarden: Mapping[str, Any]) -> str:
    """The canonical JSON of an entry; ``waarden`` maps every name of :data:`HASH_VELDEN` to its value."""
    inhoud = {veld: waarden[veld] for veld in HASH_VELDEN}
    inhoud["tijdstip"] = tijdstip_canoniek(inhoud["tijdstip"])
    return json.dumps(inhoud, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def bereken_hash(*, vorige_hash: str, waarden: Mapping[str, Any]) -> str:
    return hashlib.sha256((vorige_hash + canonieke_inhoud(waarden)).encode("utf-8")).hexdigest()


def _pk(obj: models.Model | None) -> int | None:
    return None if obj is None else obj.pk


def logregel_create(
    *,
    actie: str,
    object_type: str = "",
    object_id: str = "",
    gebruiker: User | None = None,
    organisatie: Organisatie | None = None,
    convenant: Convenant | None = None,
    resultaat: str = Resultaat.GELUKT,
    herkomst: str = "",
    doel: str = "",
) -> LogRegel:
    """Append one entry to the log, in the caller's transaction.

    ``organisatie`` defaults to the organisation of ``gebruiker``. Values are references and fixed
    vocabulary only; never pass names or text typed by a user.
    """
    return _schrijven(
        actie=actie,
        object_type=object_type,
        object_id=object_id,
        gebruiker_id=_pk(gebruiker),
        organisatie_id=_pk(organisatie) if organisatie is not None else getattr(gebruiker, "organisatie_id", None),
        convenant_id=_pk(convenant),
        resultaat=resultaat,
        herkomst=herkomst,
        doel=doel,
    )


def _schrijven(
    *,
    actie: str,
    object_type: str,
    object_id: str,
    gebruiker_id: int | None,
    organisatie_id: int | None,
    convenant_id: int | None,
    resultaat: str,
    herkomst: str,
    doel: str,
) -> LogRegel:
    (regel,) = _toevoegen(
        [
            {
                "actie": actie,
                "object_type": object_type,
                "object_id": object_id,
                "gebruiker_id": gebruiker_id,
                "organisatie_id": organisatie_id,
                "convenant_id": convenant_id,
                "resultaat": resultaat,
                "herkomst": herkomst,
                "doel": doel,
            }
        ]
    )
    return regel


def _valideer(velden: dict[str, Any]) -> dict[str, Any]:
    """Check one entry's vocabulary and lengths; returns the entry with its texts as strings."""
    fouten: dict[str, list[str]] = {}
    if velden["actie"] not in Actie.values:
        fouten["actie"] = ["Onbekende actie."]
    if velden["resultaat"] not in Resultaat.values:
        fouten["resultaat"] = ["Onbekend resultaat."]
    velden = {**velden, **{veld: str(velden[veld]) for veld in _MAX_LENGTE}}
    for veld, maximum in _MAX_LENGTE.items():
        if len(velden[veld]) > maximum:
            fouten[veld] = [f"Ten hoogste {maximum} tekens."]
    if fouten:
        raise ApplicationError("De logregel is niet vastgelegd.", extra=fouten)
    return velden


def _toevoegen(entries: list[dict[str, Any]]) -> list[LogRegel]:
    """Append entries (column values, ids for relations) to the chain, in list order.

    One advisory lock, the ids after the chain's end (:func:`_keten_openen`), the hashes computed in order
    and the rows written with COPY — in the caller's transaction.
    """
    entries = [_valideer(e) for e in entries]
    nieuw: list[LogRegel] = []
    with transaction.atomic(savepoint=False):
        ids, vorige_hash = _keten_openen(len(entries))
        nu = timezone.now()
        for regel_id, velden in zip(ids, entries, strict=True):
            regel = LogRegel(id=regel_id, tijdstip=nu, vorige_hash=vorige_hash, **velden)
            regel.hash = vorige_hash = bereken_hash(vorige_hash=vorige_hash, waarden=regel.__dict__)
            nieuw.append(regel)
        kopieer(LogRegel, nieuw)
    return nieuw


def _keten_openen(aantal: int) -> tuple[list[int], str]:
    """Take the chain lock; the ``aantal`` ids that follow the current last entry, and that entry's hash.

    Under the lock the entry with the highest id is the end of the chain, so the new entries simply take
    the ids after it (no sequence value drawn per entry; a rolled-back append leaves no gap). The
    table's identity sequence is moved past them, so it never hands out an id that is in use.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [KETEN_SLOT])
        cursor.execute(
            "SELECT laatste.id, laatste.hash, "
            "setval(pg_get_serial_sequence('audit_logregel', 'id'), coalesce(laatste.id, 0) + %s) "
            "FROM (SELECT 1) AS een LEFT JOIN LATERAL "
            "(SELECT id, hash FROM audit_logregel ORDER BY id DESC LIMIT 1) AS laatste ON true",
            [aantal],
        )
        laatste_id, laatste_hash, _ = cursor.fetchone()
    eerste = (laatste_id or 0) + 1
    return list(range(eerste, eerste + aantal)), laatste_hash or GENESIS_HASH


def logregels_create(*, regels: list[dict[str, Any]]) -> list[LogRegel]:
    """Append many entries at once (bulk intake, list pages), in the caller's transaction and in order.

    Each item takes the keyword arguments of :func:`logregel_create`; the chain is the same as for single
    entries.
    """
    if not regels:
        return []
    return _toevoegen(
        [
            {
                "actie": r["actie"],
                "object_type": r.get("object_type", ""),
                "object_id": r.get("object_id", ""),
                "gebruiker_id": _pk(r.get("gebruiker")),
                "organisatie_id": _pk(r["organisatie"])
                if r.get("organisatie") is not None
                else getattr(r.get("gebruiker"), "organisatie_id", None),
                "convenant_id": _pk(r.get("convenant")),
                "resultaat": r.get("resultaat", Resultaat.GELUKT),
                "herkomst": r.get("herkomst", ""),
                "doel": r.get("doel", ""),
            }
            for r in regels
        ]
    )


#: The columns :func:`logregels_voor_objecten` writes per entry; the others are the same for all of them.
_BULK_KOLOMMEN = ("id", "object_id", "convenant_id", "vorige_hash", "hash")


def logregels_voor_objecten(
    *,
    actie: str,
    object_type: str,
    objecten: Sequence[tuple[str, int | None]],
    gebruiker: User | None = None,
    organisatie: Organisatie | None = None,
    resultaat: str = Resultaat.GELUKT,
    herkomst: str = "",
    doel: str = "",
) -> int:
    """One entry per ``(object_id, convenant_id)`` of ``objecten``, in order, by one actor for one purpose.

    For bulk intake (thousands of entries per transaction): the same validation, chain and canonical form
    as :func:`logregels_create`, but without a model instance per entry. Returns the number written.
    """
    if not objecten:
        return 0
    organisatie_id = _pk(organisatie) if organisatie is not None else getattr(gebruiker, "organisatie_id", None)
    gedeeld = _valideer(
        {
            "actie": actie,
            "object_type": object_type,
            "object_id": "",
            "gebruiker_id": _pk(gebruiker),
            "organisatie_id": organisatie_id,
            "convenant_id": None,
            "resultaat": resultaat,
            "herkomst": herkomst,
            "doel": doel,
        }
    )
    object_ids = [str(object_id) for object_id, _ in objecten]
    maximum = _MAX_LENGTE["object_id"]
    if any(len(object_id) > maximum for object_id in object_ids):
        raise ApplicationError(
            "De logregel is niet vastgelegd.", extra={"object_id": [f"Ten hoogste {maximum} tekens."]}
        )
    with transaction.atomic(savepoint=False):
        ids, vorige_hash = _keten_openen(len(object_ids))
        nu = timezone.now()
        # The canonical form with the shared values filled in once (keys in HASH_VELDEN order, which is
        # sorted): only the id, object id and convenant differ per entry.
        tekst = lambda waarde: json.dumps(waarde, ensure_ascii=False)  # noqa: E731
        deel1 = f'{{"actie":{tekst(gedeeld["actie"])},"convenant_id":'
        deel2 = (
            f',"doel":{tekst(gedeeld["doel"])},"gebruiker_id":{tekst(gedeeld["gebruiker_id"])}'
            f',"herkomst":{tekst(gedeeld["herkomst"])},"id":'
        )
        deel4 = (
            f',"object_type":{tekst(gedeeld["object_type"])},"organisatie_id":{tekst(organisatie_id)}'
            f',"resultaat":{tekst(gedeeld["resultaat"])},"tijdstip":{tekst(tijdstip_canoniek(nu))}}}'
        )
        sha256 = hashlib.sha256
        regels = []
        for regel_id, object_id, (_, convenant_id) in zip(ids, object_ids, objecten, strict=True):
            convenant_json = "null" if convenant_id is None else str(int(convenant_id))
            canoniek = (
                f'{deel1}{convenant_json}{deel2}{int(regel_id)},"object_id":{encode_basestring(object_id)}{deel4}'
            )
            regel_hash = sha256((vorige_hash + canoniek).encode()).hexdigest()
            regels.append(
                b"".join(
                    (
                        b_int8(regel_id),
                        b_tekst(object_id),
                        B_NULL if convenant_id is None else b_int8(convenant_id),
                        b_tekst(vorige_hash),
                        b_tekst(regel_hash),
                    )
                )
            )
            vorige_hash = regel_hash
        kopieer_binair(
            LogRegel,
            _BULK_KOLOMMEN,
            regels,
            gedeeld={
                "tijdstip": nu,
                "gebruiker_id": gedeeld["gebruiker_id"],
                "organisatie_id": organisatie_id,
                "actie": gedeeld["actie"],
                "object_type": gedeeld["object_type"],
                "resultaat": gedeeld["resultaat"],
                "herkomst": gedeeld["herkomst"],
                "doel": gedeeld["doel"],
            },
        )
    return len(regels)


# --- deriving the fields from a request, an actor and an object ------------------------------------
def herkomst_van(request: HttpRequest) -> str:
    """The client address of ``request``: ``REMOTE_ADDR``, or behind a proxy listed in
    ``MELDPUNT_VERTROUWDE_PROXIES`` the address it forwarded (``X-Forwarded-For``, :func:`client_adres`)."""
    return client_adres(request.META)


def object_velden(obj: models.Model | type[models.Model] | None) -> dict[str, Any]:
    """``object_type``, ``object_id`` and ``convenant_id`` of a model instance (or of a model class).

    The convenant is the object itself for a :class:`Convenant`, else its ``convenant`` attribute when
    it has one (read through ``convenant_id`` where possible, so no query is made), else that of the
    dossier it belongs to (consents, restrictions, reports).
    """
    if obj is None:
        return {"object_type": "", "object_id": "", "convenant_id": None}
    if isinstance(obj, type):
        return {"object_type": obj._meta.label_lower, "object_id": "", "convenant_id": None}
    convenant_id: int | None
    if isinstance(obj, Convenant):
        convenant_id = obj.pk
    elif hasattr(obj, "convenant_id"):
        convenant_id = obj.convenant_id
    elif (dossier := getattr(obj, "dossier", None)) is not None:
        convenant_id = dossier.convenant_id
    else:
        convenant_id = _pk(getattr(obj, "convenant", None))
    object_id = "" if obj.pk is None else str(obj.pk)
    return {"object_type": obj._meta.label_lower, "object_id": object_id, "convenant_id": convenant_id}


def logregel_voor_request(
    request: HttpRequest,
    *,
    actie: str,
    obj: models.Model | type[models.Model] | None = None,
    resultaat: str = Resultaat.GELUKT,
    doel: str = "",
) -> LogRegel:
    """Log what the user of ``request`` did with ``obj`` (an instance, or a model class for a list)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        user = None
    return _schrijven(
        actie=actie,
        gebruiker_id=_pk(user),
        organisatie_id=getattr(user, "organisatie_id", None),
        resultaat=resultaat,
        herkomst=herkomst_van(request),
        doel=doel,
        **object_velden(obj),
    )


def logregel_voor_account(
    request: HttpRequest,
    *,
    gebruiker: User | None,
    actie: str,
    resultaat: str = Resultaat.GELUKT,
    doel: str = "",
) -> LogRegel:
    """An event of an account that is not logged in (a refused login, a password set by invitation).

    ``gebruiker`` is the account when it exists, else None: the username someone typed is never stored.
    """
    return _schrijven(
        actie=actie,
        gebruiker_id=_pk(gebruiker),
        organisatie_id=getattr(gebruiker, "organisatie_id", None),
        resultaat=resultaat,
        herkomst=herkomst_van(request),
        doel=doel,
        **object_velden(gebruiker),
    )


def logregel_voor_door(
    *,
    door: User | None,
    actie: str,
    obj: models.Model | type[models.Model] | None,
    doel: str,
    resultaat: str = Resultaat.GELUKT,
) -> LogRegel:
    """The entry of a service: ``door`` is the actor, ``None`` for a management command.

    The origin is the current request's or task's (:mod:`meldpunt.audit.context`); without one, a
    change without actor comes from a management command (``beheer-commando``).
    """
    herkomst = huidige_herkomst() or (HERKOMST_BEHEER_COMMANDO if door is None else "")
    return _schrijven(
        actie=actie,
        gebruiker_id=_pk(door),
        organisatie_id=getattr(door, "organisatie_id", None),
        resultaat=resultaat,
        herkomst=herkomst,
        doel=doel,
        **object_velden(obj),
    )


def logregels_voor_door(*, door: User | None, actie: str, objecten: Sequence[models.Model], doel: str) -> int:
    """:func:`logregel_voor_door` for many instances of one model at once (one entry each, in order)."""
    if not objecten:
        return 0
    velden = [object_velden(obj) for obj in objecten]
    return logregels_voor_objecten(
        actie=actie,
        object_type=velden[0]["object_type"],
        objecten=[(v["object_id"], v["convenant_id"]) for v in velden],
        gebruiker=door,
        herkomst=huidige_herkomst() or (HERKOMST_BEHEER_COMMANDO if door is None else ""),
        doel=doel,
    )
