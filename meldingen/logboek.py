"""How the Logboek names the objects of this app: by dossier number, never by UUID (no personal data).

Registered with :mod:`meldpunt.audit.omschrijving` in ``MeldingenConfig.ready``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from meldpunt.audit.omschrijving import omschrijver_registreren

from .afscherming.models import Afscherming
from .dossiers.models import Dossier, Werkbak
from .intake.models import Melding
from .rapportage.models import Rapportage
from .toestemming.models import Toestemming
from .tokens.models import ApiToken
from .upload.models import Bestandsupload


def _uuids(ids: list[str]) -> list[uuid.UUID]:
    uit = []
    for waarde in ids:
        try:
            uit.append(uuid.UUID(waarde))
        except ValueError:
            continue
    return uit


def _getallen(ids: list[str]) -> list[int]:
    return [int(waarde) for waarde in ids if waarde.isdigit()]


def _dossiers(ids: list[str]) -> dict[str, str]:
    return {
        str(pk): f"dossier {nummer}"
        for pk, nummer in Dossier.objects.filter(pk__in=_uuids(ids)).values_list("pk", "nummer")
    }


def _via_dossier(
    model: type, omschrijving: str, sleutels: Callable[[list[str]], Sequence[Any]]
) -> Callable[[list[str]], dict[str, str]]:
    def omschrijven(ids: list[str]) -> dict[str, str]:
        rijen = model.objects.filter(pk__in=sleutels(ids)).values_list("pk", "dossier__nummer")  # type: ignore[attr-defined]  # a model with a dossier
        return {str(pk): f"{omschrijving} {nummer}" for pk, nummer in rijen}

    return omschrijven


def registreren() -> None:
    omschrijver_registreren("meldingen.dossier", _dossiers)
    omschrijver_registreren("meldingen.melding", _via_dossier(Melding, "melding bij dossier", _uuids))
    omschrijver_registreren("meldingen.rapportage", _via_dossier(Rapportage, "rapportage van dossier", _getallen))
    omschrijver_registreren("meldingen.toestemming", _via_dossier(Toestemming, "toestemming bij dossier", _uuids))
    omschrijver_registreren("meldingen.afscherming", _via_dossier(Afscherming, "afscherming van dossier", _getallen))
    omschrijver_registreren(
        "meldingen.werkbak",
        lambda ids: {
            str(pk): f"werkbakje {naam}"
            for pk, naam in Werkbak.objects.filter(pk__in=_getallen(ids)).values_list("pk", "naam")
        },
    )
    omschrijver_registreren(
        "meldingen.apitoken",
        lambda ids: {
            str(pk): f"API-sleutel {prefix}…"
            for pk, prefix in ApiToken.objects.filter(pk__in=_getallen(ids)).values_list("pk", "prefix")
        },
    )
    omschrijver_registreren(
        "meldingen.bestandsupload",
        lambda ids: {
            str(pk): f"bestandsupload van {aangemaakt:%d-%m-%Y %H:%M}"
            for pk, aangemaakt in Bestandsupload.objects.filter(pk__in=_uuids(ids)).values_list("pk", "aangemaakt_op")
        },
    )
