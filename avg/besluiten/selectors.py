"""Reads of decisions, packages and the annual counts."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from ..bezwaren.models import Bezwaar
from ..verzoeken.models import Verzoek
from .models import AanvullendBesluit, Besluit, Pakket, Uitvoering
from .services import verzoek_uitkomst


def besluiten_van(verzoek: Verzoek) -> list[Besluit]:
    return list(Besluit.objects.filter(verzoek=verzoek).select_related("organisatie"))


def aanvullingen_van(verzoek: Verzoek) -> list[AanvullendBesluit]:
    return list(
        AanvullendBesluit.objects.filter(besluit__verzoek=verzoek).select_related(
            "besluit__organisatie", "besloten_door"
        )
    )


def uitvoeringen_van(verzoek: Verzoek) -> list[Uitvoering]:
    return list(
        Uitvoering.objects.filter(verzoek=verzoek).select_related("dossier").order_by("dossier__nummer", "soort")
    )


def pakket_van(verzoek: Verzoek) -> Pakket | None:
    return Pakket.objects.filter(verzoek=verzoek).first()


def jaarcijfers(*, gemeente_id: int, jaar: int) -> list[tuple[str, str, int]]:
    """(soort, uitkomst, aantal) of the requests received in ``jaar`` (for the annual privacy report); the
    outcome is "lopend" while undecided. Bezwaren are counted as kind "bezwaar tegen besluit"."""
    teller: Counter[tuple[str, str]] = Counter()
    for verzoek in Verzoek.objects.filter(gemeente_id=gemeente_id, ontvangen_op__year=jaar):
        uitkomst = verzoek_uitkomst(verzoek) or "lopend"
        for soort in verzoek.soorten:
            teller[(soort, uitkomst)] += 1
    for bezwaar in Bezwaar.objects.filter(verzoek__gemeente_id=gemeente_id, ontvangen_op__year=jaar):
        teller[("bezwaar_tegen_besluit", bezwaar.uitkomst or "lopend")] += 1
    return sorted((s, u, n) for (s, u), n in teller.items())


def huidig_jaar() -> int:
    return dt.date.today().year
