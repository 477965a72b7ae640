"""Each party's term: the day its access to a closed dossier ends, and the day the dossier is destroyed.

The term of a party is the closing date (local time) plus that party's bewaartermijn in the parameters
of the convenant version of the closing year (``Convenant.parameters_voor``); month arithmetic as in the
calendar (31 January + 1 month = 28 or 29 February). Access ends at the start of that day; the personal
data is destroyed from the last of the three days on. Called by the dossier services when a dossier is
closed (set) and reopened (cleared).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from meldingen.dossiers.models import Dossier

#: When a convenant has no parameters for the closing year or before (DOMAIN.md defaults).
STANDAARD_MAANDEN = 12
TERMIJN_VELDEN = ("toegang_uitvoerder_tot", "toegang_gemeente_tot", "toegang_partner_tot", "vernietigen_vanaf")


@dataclass(frozen=True)
class Termijnen:
    uitvoerder: dt.date
    gemeente: dt.date
    partner: dt.date

    @property
    def vernietigen_vanaf(self) -> dt.date:
        return max(self.uitvoerder, self.gemeente, self.partner)


def termijnen_berekenen(dossier: Dossier) -> Termijnen | None:
    """The terms of a closed dossier (None while it is open)."""
    if dossier.afgesloten_op is None:
        return None
    afgesloten = timezone.localtime(dossier.afgesloten_op).date()
    parameters = dossier.convenant.parameters_voor(afgesloten.year)

    def maanden(veld: str) -> int:
        return getattr(parameters, veld) if parameters is not None else STANDAARD_MAANDEN

    return Termijnen(
        uitvoerder=afgesloten + relativedelta(months=maanden("bewaartermijn_uitvoerder_maanden")),
        gemeente=afgesloten + relativedelta(months=maanden("bewaartermijn_gemeente_maanden")),
        partner=afgesloten + relativedelta(months=maanden("bewaartermijn_partner_maanden")),
    )


def termijnen_zetten(dossier: Dossier) -> list[str]:
    """Set (closed) or clear (open) the term columns on the instance; returns the fields to save."""
    termijnen = termijnen_berekenen(dossier)
    if termijnen is None:
        waarden: tuple[dt.date | None, ...] = (None, None, None, None)
    else:
        waarden = (termijnen.uitvoerder, termijnen.gemeente, termijnen.partner, termijnen.vernietigen_vanaf)
    for veld, waarde in zip(TERMIJN_VELDEN, waarden, strict=True):
        setattr(dossier, veld, waarde)
    return list(TERMIJN_VELDEN)
