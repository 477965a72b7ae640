"""The Logboek in the reader's language: Dutch names for kinds of object and, for objects the log names by id,
the name people know them by (a dossier number instead of a UUID).

The log stores references only (``object_type``, ``object_id``). Each app that owns objects registers, for its
object types, a function that turns a page's ids into labels (:func:`omschrijver_registreren`, called from the
app's ``AppConfig.ready``), so the audit core never imports the apps it logs for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Protocol

from django.apps import apps

#: ids of one object type -> their labels (missing ids keep their raw reference)
Omschrijver = Callable[[list[str]], dict[str, str]]

_OMSCHRIJVERS: dict[str, Omschrijver] = {}


class HeeftObject(Protocol):
    object_type: str
    object_id: str


def omschrijver_registreren(object_type: str, omschrijver: Omschrijver) -> None:
    _OMSCHRIJVERS[object_type] = omschrijver


def soort_label(object_type: str) -> str:
    """``meldingen.dossier`` → ``Dossier``: the model's Dutch verbose name, else the reference itself."""
    if not object_type:
        return ""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    naam = str(model._meta.verbose_name)
    return naam[:1].upper() + naam[1:]


def objecten_omschrijven(regels: Iterable[HeeftObject]) -> dict[tuple[str, str], str]:
    """Per (type, id) of ``regels`` its readable name: one lookup per object type."""
    per_soort: dict[str, set[str]] = defaultdict(set)
    for regel in regels:
        if regel.object_type and regel.object_id:
            per_soort[regel.object_type].add(regel.object_id)
    uit: dict[tuple[str, str], str] = {}
    for soort, ids in per_soort.items():
        omschrijver = _OMSCHRIJVERS.get(soort)
        labels = omschrijver(sorted(ids)) if omschrijver else {}
        for object_id in ids:
            uit[(soort, object_id)] = labels.get(object_id) or f"{soort_label(soort).lower()} {object_id}"
    return uit
