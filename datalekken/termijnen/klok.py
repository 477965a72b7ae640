"""The breach deadlines in clock hours (weekends and nights count; DST does not shift them).

The 24-hour clock runs from discovery until the processor's complete report reaches the controller (only when
the reporter's organisation is the processor, the Uitvoerder); the 72-hour clock from the moment the controller
became aware until the AP was notified or the FG decided not to notify. Deadlines are instants: ``start +
timedelta(hours=n)`` in UTC, so 72 hours over the change to summer time end at 11:00 local, not 10:00.
Pure functions, no database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: Reminder thresholds before a deadline (hours left), the latest first.
DREMPELS_VOOR = (("2u", dt.timedelta(hours=2)), ("12u", dt.timedelta(hours=12)))
VERLOPEN = "verlopen"


@dataclass(frozen=True)
class Termijn:
    start: dt.datetime
    uren: int
    voldaan_op: dt.datetime | None

    @property
    def uiterlijk(self) -> dt.datetime:
        # In UTC: Python adds a timedelta to a local time on the wall clock, which would be an hour off across DST.
        return self.start.astimezone(dt.UTC) + dt.timedelta(hours=self.uren)

    @property
    def voldaan(self) -> bool:
        return self.voldaan_op is not None

    @property
    def te_laat(self) -> bool:
        """Met after the deadline."""
        return self.voldaan_op is not None and self.voldaan_op > self.uiterlijk

    def resterend(self, nu: dt.datetime) -> dt.timedelta:
        """Time left (negative once passed)."""
        return self.uiterlijk - nu

    def verlopen(self, nu: dt.datetime) -> bool:
        return self.voldaan_op is None and nu > self.uiterlijk

    def drempel(self, nu: dt.datetime) -> str | None:
        """The latest reminder threshold reached at ``nu`` (None before 12 hours left, or when met)."""
        if self.voldaan_op is not None:
            return None
        if nu > self.uiterlijk:
            return VERLOPEN
        over = self.resterend(nu)
        for naam, grens in DREMPELS_VOOR:
            if over <= grens:
                return naam
        return None


def afteltekst(termijn: Termijn, nu: dt.datetime) -> str:
    """A countdown in Dutch: "nog 71 uur en 5 minuten", "12 uur en 3 minuten verstreken", "voldaan"."""
    if termijn.voldaan_op is not None:
        return "te laat voldaan" if termijn.te_laat else "op tijd voldaan"
    over = termijn.resterend(nu)
    minuten = int(abs(over).total_seconds() // 60)
    uren, minuten = divmod(minuten, 60)
    tekst = f"{uren} uur en {minuten} minuten"
    return f"nog {tekst}" if over.total_seconds() >= 0 else f"{tekst} verstreken"
