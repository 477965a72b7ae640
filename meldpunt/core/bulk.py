"""Insert many rows with PostgreSQL ``COPY`` (bulk intake).

Much cheaper than ``bulk_create`` for thousands of rows: no SQL compilation per value. No ``save()``,
no signals, no conflict handling: callers pass complete, new rows.

:func:`kopieer` takes model instances: ``auto_now``/``auto_now_add`` fields that are still empty get the
current time; an empty auto primary key is left to its sequence.

:func:`kopieer_rijen` takes plain tuples for the columns the caller names (attnames), so no model
instance is built per row. Every other concrete field of the model gets what a new instance would
have: its default (a callable default is called per row; a database default is left to the database),
the current time for ``auto_now``/``auto_now_add``, NULL for a nullable field without default; an auto
primary key is left to its sequence. A column added to the model later is therefore filled without
changing the callers.

:func:`kopieer_regels` takes rows already written in COPY's text format (values made with
:func:`copy_waarde`, or known to need no escaping), so the hot path of bulk intake formats its rows with a
few string operations instead of a conversion per value; the same default handling as
:func:`kopieer_rijen` applies to the columns it does not name.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone
from psycopg import sql


def kopieer(model: type[models.Model], objecten: Sequence[models.Model]) -> None:
    if not objecten:
        return
    nu = timezone.now()
    velden = []
    for veld in model._meta.concrete_fields:
        if veld.primary_key and isinstance(veld, models.AutoField | models.BigAutoField):
            if all(getattr(o, veld.attname) is None for o in objecten):
                continue
        velden.append(veld)
    automatisch = [
        v.attname
        for v in velden
        if isinstance(v, models.DateField) and (getattr(v, "auto_now", False) or getattr(v, "auto_now_add", False))
    ]
    for obj in objecten:
        for attname in automatisch:
            if getattr(obj, attname) is None:
                setattr(obj, attname, nu)
    opdracht = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(sql.Identifier(v.column) for v in velden)
    )
    attnamen = [v.attname for v in velden]
    with connection.cursor() as cursor, cursor.copy(opdracht) as copy:
        for obj in objecten:
            copy.write_row([getattr(obj, a) for a in attnamen])
    for obj in objecten:
        obj._state.adding = False
        obj._state.db = connection.alias


def _overige_kolommen(
    model: type[models.Model], kolommen: Sequence[str]
) -> tuple[dict[str, models.Field], list[tuple[models.Field, object]], list[models.Field]]:
    """The model's fields by attname, and what the columns not in ``kolommen`` get: a value that is the
    same for every row (default, current time, NULL) or a callable default to be called per row."""
    velden = {v.attname: v for v in model._meta.concrete_fields}
    onbekend = [k for k in kolommen if k not in velden]
    if onbekend:
        raise ValueError(f"{model._meta.label}: onbekende kolommen {onbekend}")
    nu = timezone.now()
    vast: list[tuple[models.Field, object]] = []
    per_rij: list[models.Field] = []
    for attname, veld in velden.items():
        if attname in kolommen:
            continue
        if veld.primary_key and isinstance(veld, models.AutoField | models.BigAutoField):
            continue
        if veld.db_default is not NOT_PROVIDED and not veld.has_default():
            continue  # the database fills it
        if getattr(veld, "auto_now", False) or getattr(veld, "auto_now_add", False):
            vast.append((veld, nu))
        elif veld.has_default() and callable(veld.default):
            per_rij.append(veld)
        else:
            vast.append((veld, veld.get_default()))
    return velden, vast, per_rij


def _copy_opdracht(model: type[models.Model], velden: dict[str, models.Field], attnamen: Iterable[str]) -> sql.Composed:
    return sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table),
        sql.SQL(", ").join(sql.Identifier(velden[k].column) for k in attnamen),
    )


def kopieer_rijen(model: type[models.Model], kolommen: Sequence[str], rijen: Iterable[Sequence[object]]) -> int:
    """COPY ``rijen`` (values in the order of ``kolommen``, attnames) into ``model``'s table; returns the count."""
    if isinstance(rijen, Sequence) and not rijen:
        return 0
    velden, vast, per_rij = _overige_kolommen(model, kolommen)
    extra = tuple(waarde for _, waarde in vast)
    opdracht = _copy_opdracht(model, velden, [*kolommen, *(v.attname for v, _ in vast), *(v.attname for v in per_rij)])
    aantal = 0
    with connection.cursor() as cursor, cursor.copy(opdracht) as copy:
        schrijf = copy.write_row
        if per_rij:
            for rij in rijen:
                schrijf((*rij, *extra, *(v.get_default() for v in per_rij)))
                aantal += 1
        elif extra:
            for rij in rijen:
                schrijf((*rij, *extra))
                aantal += 1
        else:
            for rij in rijen:
                schrijf(rij)
                aantal += 1
    return aantal


#: COPY text format: these characters in a value are written as an escape (PostgreSQL docs, "COPY").
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
#: A NULL in COPY's text format.
NULL = "\\N"


def copy_tekst(waarde: str) -> str:
    """A text value for a row in COPY's text format (backslash, tab, newline and carriage return escaped)."""
    if "\\" in waarde or "\t" in waarde or "\n" in waarde or "\r" in waarde:
        return waarde.translate(_COPY_ESCAPES)
    return waarde


def copy_bytes(waarde: bytes) -> str:
    """A bytea value in COPY's text format: the hex form ``\\x…`` with its backslash escaped."""
    return "\\\\x" + waarde.hex()


def copy_waarde(waarde: object) -> str:
    """Any value intake stores, in COPY's text format (the general path; hot paths format known values)."""
    if waarde is None:
        return NULL
    if isinstance(waarde, str):
        return copy_tekst(waarde)
    if isinstance(waarde, bool):
        return "t" if waarde else "f"
    if isinstance(waarde, int | Decimal | uuid.UUID):
        return str(waarde)
    if isinstance(waarde, dt.datetime):
        if waarde.tzinfo is None:
            raise ValueError("een tijdstip zonder tijdzone")
        return waarde.isoformat()
    if isinstance(waarde, dt.date):
        return waarde.isoformat()
    if isinstance(waarde, bytes | bytearray | memoryview):
        return copy_bytes(bytes(waarde))
    raise TypeError(f"geen COPY-waarde: {type(waarde).__name__}")


def kopieer_regels(
    model: type[models.Model],
    kolommen: Sequence[str],
    regels: Sequence[str],
    *,
    gedeeld: Mapping[str, object] | None = None,
) -> int:
    """COPY rows given as text into ``model``'s table; returns the count.

    Each item of ``regels`` is one row in COPY's text format without its line end: the values of
    ``kolommen`` (attnames) separated by tabs, each made with :func:`copy_waarde` or known to need no
    escaping (ids, numbers, hexadecimal hashes, fixed vocabulary). ``gedeeld`` gives columns with the same
    value in every row. Other columns get what :func:`kopieer_rijen` gives them; a callable default per
    row is not supported here (name the column).
    """
    if not regels:
        return 0
    gedeeld = dict(gedeeld or {})
    velden, vast, per_rij = _overige_kolommen(model, [*kolommen, *gedeeld])
    if per_rij:
        raise ValueError(f"{model._meta.label}: geef een waarde voor {[v.attname for v in per_rij]}")
    achteraan = [*gedeeld.items(), *((v.attname, waarde) for v, waarde in vast)]
    einde = "".join("\t" + copy_waarde(waarde) for _, waarde in achteraan) + "\n"
    opdracht = _copy_opdracht(model, velden, [*kolommen, *(attname for attname, _ in achteraan)])
    with connection.cursor() as cursor, cursor.copy(opdracht) as copy:
        copy.write(einde.join(regels) + einde)
    return len(regels)


def nieuwe_uuids(aantal: int) -> list[str]:
    """``aantal`` new time-ordered (version 7, RFC 9562) UUIDs as text, for COPY rows.

    48 bits of Unix time in milliseconds, then 74 random bits. Ids made together sit side by side in a
    primary-key index, so a bulk insert touches a few index pages at its right edge instead of one random
    page per row; the random part keeps them unguessable.
    """
    ruw = bytearray(os.urandom(16 * aantal))
    tijd = (time.time_ns() // 1_000_000).to_bytes(6, "big")
    for i in range(6):
        ruw[i::16] = tijd[i : i + 1] * aantal
    ruw[6::16] = bytes(b & 0x0F | 0x70 for b in ruw[6::16])
    ruw[8::16] = bytes(b & 0x3F | 0x80 for b in ruw[8::16])
    h = ruw.hex()
    return [
        f"{h[i : i + 8]}-{h[i + 8 : i + 12]}-{h[i + 12 : i + 16]}-{h[i + 16 : i + 20]}-{h[i + 20 : i + 32]}"
        for i in range(0, 32 * aantal, 32)
    ]
