"""The two clocks of one breach (:mod:`datalekken.termijnen.klok` applied to the register)."""

from __future__ import annotations

import datetime as dt

from meldpunt.core.models import OrganisatieType

from ..termijnen.klok import Termijn
from .models import Datalek
from .workflow import ApBesluit


def verwerker_termijn(datalek: Datalek) -> Termijn | None:
    """Processor → controller, from discovery (only when the reporter is the Uitvoerder)."""
    if datalek.melder_organisatie.type != OrganisatieType.UITVOERDER:
        return None
    return Termijn(datalek.ontdekt_op, datalek.verwerker_uren, datalek.verwerker_compleet_op)


def ap_voldaan_op(datalek: Datalek) -> dt.datetime | None:
    if datalek.ap_besluit == ApBesluit.NIET_MELDEN:
        return datalek.ap_besloten_op
    return datalek.ap_gemeld_op


def ap_termijn(datalek: Datalek) -> Termijn:
    """Controller → AP, from the moment the controller became aware."""
    return Termijn(datalek.fg_geinformeerd_op, datalek.ap_uren, ap_voldaan_op(datalek))
