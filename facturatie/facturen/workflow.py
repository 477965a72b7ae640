"""States of invoices and their lines, with the explicit transition tables (DOMAIN.md, "Money")."""

from __future__ import annotations

from django.db import models


class FactuurSoort(models.TextChoices):
    COFINANCIERING = "cofinanciering", "Cofinancieringsfactuur"
    SUBSIDIE = "subsidie", "Subsidie-afrekening"


class FactuurStatus(models.TextChoices):
    CONCEPT = "concept", "Concept (in bespreking)"
    UITGEGEVEN = "uitgegeven", "Uitgegeven"


class RegelStatus(models.TextChoices):
    OPEN = "open", "Akkoord"
    BETWIST = "betwist", "Betwist"
    OPGELOST = "opgelost", "Betwisting opgelost"


#: from-state -> the states it may move to; everything else is refused by the services.
FACTUUR_OVERGANGEN: dict[str, frozenset[str]] = {
    FactuurStatus.CONCEPT: frozenset({FactuurStatus.UITGEGEVEN}),
    FactuurStatus.UITGEGEVEN: frozenset(),  # immutable; a correction is a credit invoice
}

REGEL_OVERGANGEN: dict[str, frozenset[str]] = {
    RegelStatus.OPEN: frozenset({RegelStatus.BETWIST}),
    RegelStatus.BETWIST: frozenset({RegelStatus.OPGELOST}),
    RegelStatus.OPGELOST: frozenset({RegelStatus.BETWIST}),
}


def factuur_overgang_toegestaan(van: str, naar: str) -> bool:
    return naar in FACTUUR_OVERGANGEN.get(van, frozenset())


def regel_overgang_toegestaan(van: str, naar: str) -> bool:
    return naar in REGEL_OVERGANGEN.get(van, frozenset())


class OpstelrunStatus(models.TextChoices):
    """A drafting run started by financien and done by the worker, convenant by convenant."""

    WACHTRIJ = "wachtrij", "In de wachtrij"
    BEZIG = "bezig", "Wordt opgesteld"
    KLAAR = "klaar", "Opgesteld"
    MISLUKT = "mislukt", "Mislukt"


#: A run still to finish; at most one per Gemeente and year (constraint ``een_lopende_opstelrun_per_jaar``).
OPSTELRUN_LOPEND = (OpstelrunStatus.WACHTRIJ, OpstelrunStatus.BEZIG)

OPSTELRUN_OVERGANGEN: dict[str, frozenset[str]] = {
    OpstelrunStatus.WACHTRIJ: frozenset({OpstelrunStatus.BEZIG, OpstelrunStatus.MISLUKT}),
    # bezig -> bezig: a redelivered task after a crashed worker resumes the run (drafting is idempotent).
    OpstelrunStatus.BEZIG: frozenset({OpstelrunStatus.BEZIG, OpstelrunStatus.KLAAR, OpstelrunStatus.MISLUKT}),
    OpstelrunStatus.KLAAR: frozenset(),
    OpstelrunStatus.MISLUKT: frozenset(),
}


def opstelrun_overgang_toegestaan(van: str, naar: str) -> bool:
    return naar in OPSTELRUN_OVERGANGEN.get(van, frozenset())
