"""Writes of the privacy core: creating, re-wrapping and destroying data keys, indexes and files."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import psycopg
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from psycopg import sql

from meldpunt.core.bulk import codeerder, kopieer_binair
from meldpunt.core.exceptions import ApplicationError

from . import crypto
from .keys import sleutelbos
from .kluis import Kluis, open_sleutel, verpak_context
from .models import BlindeIndex, DataSleutel, Vernietiging, VersleuteldBestand


def datasleutel_nieuw(*, doel: str) -> DataSleutel:
    """A new random data key wrapped by the current master key (bound to its own id); not yet saved."""
    bos = sleutelbos()
    sleutel = DataSleutel(doel=doel, master_versie=bos.huidige_versie)
    sleutel.verpakte_sleutel = crypto.versleutel(
        bos.sleutels[bos.huidige_versie], crypto.nieuwe_sleutel(), verpak_context(sleutel.pk)
    )
    return sleutel


def datasleutel_create(*, doel: str) -> DataSleutel:
    """A new random data key, stored wrapped by the current master key."""
    sleutel = datasleutel_nieuw(doel=doel)
    sleutel.save(force_insert=True)
    return sleutel


@transaction.atomic
def blinde_indexen_zetten(*, sleutel: DataSleutel, indexen: dict[str, list[str | None]]) -> None:
    """Replace the blind indexes of the given kinds for this data key (None values are skipped)."""
    if sleutel.vernietigd:
        raise ApplicationError("Deze gegevens zijn vernietigd.")
    BlindeIndex.objects.filter(sleutel=sleutel, soort__in=list(indexen)).delete()
    BlindeIndex.objects.bulk_create(
        [
            BlindeIndex(sleutel=sleutel, soort=soort, waarde=waarde)
            for soort, waarden in indexen.items()
            for waarde in dict.fromkeys(waarden)
            if waarde
        ]
    )


#: Columns of a stored file, written with binary COPY: a file is megabytes, and as a query parameter it
#: would travel as text of twice its size for the database to parse (docs/adr/0009-intake-tienduizend-per-seconde.md).
_BESTAND_KOLOMMEN = ("id", "sleutel_id", "soort", "mime", "grootte", "naam", "inhoud", "aangemaakt_op")


def versleuteld_bestand_create(
    *, sleutel: DataSleutel, soort: str, naam: str, mime: str, inhoud: bytes
) -> VersleuteldBestand:
    bestand = VersleuteldBestand(
        sleutel=sleutel, soort=soort, mime=mime, grootte=len(inhoud), aangemaakt_op=timezone.now()
    )
    kluis = Kluis(sleutel)
    bestand.naam = kluis.versleutel_bytes(naam.encode(), context=f"privacy.bestand:{bestand.pk}:naam")
    bestand.inhoud = kluis.versleutel_bytes(inhoud, context=f"privacy.bestand:{bestand.pk}:inhoud")
    velden = {v.attname: v for v in VersleuteldBestand._meta.concrete_fields}
    rij = b"".join(codeerder(velden[k])(getattr(bestand, k)) for k in _BESTAND_KOLOMMEN)
    kopieer_binair(VersleuteldBestand, _BESTAND_KOLOMMEN, [rij])
    bestand._state.adding = False
    bestand._state.db = connection.alias
    return bestand


def versleuteld_bestand_lezen(bestand: VersleuteldBestand) -> tuple[str, bytes]:
    """The file's name and content (raises SleutelVernietigd after shredding).

    When the instance was loaded without its content (``defer("inhoud")``), the content is fetched here in
    PostgreSQL's binary format instead of as text of twice its size.
    """
    kluis = Kluis(bestand.sleutel)
    naam = kluis.ontsleutel_bytes(bestand.naam, context=f"privacy.bestand:{bestand.pk}:naam").decode()
    versleuteld = _inhoud_binair(bestand) if "inhoud" in bestand.get_deferred_fields() else bytes(bestand.inhoud)
    return naam, kluis.ontsleutel_bytes(versleuteld, context=f"privacy.bestand:{bestand.pk}:inhoud")


def _inhoud_binair(bestand: VersleuteldBestand) -> bytes:
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(
            sql.SQL("SELECT inhoud FROM {} WHERE id = %s").format(sql.Identifier(VersleuteldBestand._meta.db_table)),
            [bestand.pk],
            binary=True,
        )
        rij = cursor.fetchone()
    if rij is None:
        raise VersleuteldBestand.DoesNotExist(f"bestand {bestand.pk}")
    return bytes(rij[0])


@transaction.atomic
def datasleutel_vernietigen(
    *, sleutel: DataSleutel, reden: str, omschrijving: str, door: object | None = None
) -> Vernietiging:
    """Crypto-shred: wipe the wrapped key, delete its blind indexes and files, record the destruction."""
    sleutel = DataSleutel.objects.select_for_update().get(pk=sleutel.pk)
    if sleutel.vernietigd:
        raise ApplicationError("Deze gegevens zijn al vernietigd.")
    aantal_indexen, _ = BlindeIndex.objects.filter(sleutel=sleutel).delete()
    aantal_bestanden, _ = VersleuteldBestand.objects.filter(sleutel=sleutel).delete()
    nu = timezone.now()
    DataSleutel.objects.filter(pk=sleutel.pk).update(verpakte_sleutel=None, master_versie=None, vernietigd_op=nu)
    return Vernietiging.objects.create(
        sleutel=sleutel,
        tijdstip=nu,
        reden=reden,
        omschrijving=omschrijving,
        aantal_bestanden=aantal_bestanden,
        aantal_blinde_indexen=aantal_indexen,
        door=door,  # type: ignore[misc]  # Vernietiging.door accepts None
    )


def datasleutels_vernietigen(
    *, omschrijvingen: Mapping[Any, str], reden: str, door: object | None = None
) -> dict[Any, Vernietiging]:
    """:func:`datasleutel_vernietigen` for many keys at once (``omschrijvingen``: key id -> description),
    in the caller's transaction with one statement per table; returns {key id: its Vernietiging}."""
    ids = list(omschrijvingen)
    if not ids:
        return {}
    levend = list(
        DataSleutel.objects.select_for_update()
        .filter(pk__in=ids, vernietigd_op__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(levend) != len(set(ids)):
        raise ApplicationError("Deze gegevens zijn al vernietigd.")
    per_sleutel = lambda model: dict(  # noqa: E731
        model.objects.filter(sleutel_id__in=ids).order_by().values_list("sleutel_id").annotate(n=Count("pk"))
    )
    indexen, bestanden = per_sleutel(BlindeIndex), per_sleutel(VersleuteldBestand)
    if indexen:
        BlindeIndex.objects.filter(sleutel_id__in=ids).delete()
    if bestanden:
        VersleuteldBestand.objects.filter(sleutel_id__in=ids).delete()
    nu = timezone.now()
    DataSleutel.objects.filter(pk__in=ids).update(verpakte_sleutel=None, master_versie=None, vernietigd_op=nu)
    vernietigingen = Vernietiging.objects.bulk_create(
        Vernietiging(
            sleutel_id=sleutel_id,
            tijdstip=nu,
            reden=reden,
            omschrijving=omschrijving,
            aantal_bestanden=bestanden.get(sleutel_id, 0),
            aantal_blinde_indexen=indexen.get(sleutel_id, 0),
            door=door,  # type: ignore[misc]  # Vernietiging.door accepts None
        )
        for sleutel_id, omschrijving in omschrijvingen.items()
    )
    return {v.sleutel_id: v for v in vernietigingen}


def datasleutels_herverpakken(*, batch: int = 500) -> int:
    """Re-wrap every live data key that is not under the current master key; returns how many.

    Works in small transactions with ``SKIP LOCKED``, so the application keeps running: during the
    rotation both the old and the new master key are configured, and every key decrypts either way.
    """
    bos = sleutelbos()
    huidige = bos.sleutels[bos.huidige_versie]
    totaal = 0
    while True:
        with transaction.atomic():
            sleutels = list(
                DataSleutel.objects.select_for_update(skip_locked=True)
                .filter(vernietigd_op__isnull=True)
                .exclude(master_versie=bos.huidige_versie)
                .order_by("pk")[:batch]
            )
            if not sleutels:
                return totaal
            for sleutel in sleutels:
                ruw = open_sleutel(sleutel)
                sleutel.verpakte_sleutel = crypto.versleutel(huidige, ruw, verpak_context(sleutel.pk))
                sleutel.master_versie = bos.huidige_versie
            DataSleutel.objects.bulk_update(sleutels, ["verpakte_sleutel", "master_versie"])
            totaal += len(sleutels)


def sleutelstatus() -> dict[int, int]:
    """Number of live data keys per master key version."""
    rijen = DataSleutel.objects.filter(vernietigd_op__isnull=True).values_list("master_versie", flat=True)
    return dict(Counter(versie for versie in rijen if versie is not None))


def sleutels_met_index(*, soort: str, waarde: str | None) -> list[object]:
    """Ids of live data keys carrying this blind index value."""
    if not waarde:
        return []
    return list(
        BlindeIndex.objects.filter(Q(soort=soort) & Q(waarde=waarde) & Q(sleutel__vernietigd_op__isnull=True))
        .values_list("sleutel_id", flat=True)
        .distinct()
    )
