"""The FG's register: filters and order (overdue and open first)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from meldpunt.core.models import User

from ..register.klokken import ap_termijn, verwerker_termijn
from ..register.models import Datalek
from ..register.selectors import datalek_list
from ..termijnen.klok import Termijn, afteltekst


@dataclass(frozen=True)
class Regel:
    datalek: Datalek
    ap: Termijn
    verwerker: Termijn | None
    verlopen: bool
    aftel: str


def register_regels(*, user: User, filters: dict[str, Any], nu: dt.datetime | None = None) -> list[Regel]:
    nu = nu or timezone.now()
    qs = datalek_list(user=user)
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("convenant"):
        qs = qs.filter(convenanten__slug=filters["convenant"])
    if filters.get("oorzaak"):
        qs = qs.filter(oorzaak=filters["oorzaak"])
    if filters.get("ap_besluit") is not None and filters.get("ap_besluit") != "alle":
        qs = qs.filter(ap_besluit=filters["ap_besluit"])
    if filters.get("jaar"):
        qs = qs.filter(ontdekt_op__year=filters["jaar"])
    regels = []
    for datalek in qs:
        ap, verwerker = ap_termijn(datalek), verwerker_termijn(datalek)
        verlopen = ap.verlopen(nu) or bool(verwerker and verwerker.verlopen(nu))
        regels.append(Regel(datalek, ap, verwerker, verlopen, afteltekst(ap, nu)))
    regels.sort(key=lambda r: (r.datalek.status != "open", not r.verlopen, r.ap.uiterlijk))
    return regels
