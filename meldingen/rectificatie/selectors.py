"""Reads for a rectification: the tenant's current data of a dossier (its latest melding), and what was
corrected."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from meldingen.doelen import DOEL_AVG_VERZOEK
from meldingen.dossiers.models import Dossier
from meldingen.intake.models import Melding
from meldingen.intake.services import melding_gegevens
from meldpunt.audit.services import logregel_voor_door
from meldpunt.core.models import User

from .models import Rectificatie
from .services import RECTIFICEERBAAR


def huidige_gegevens(*, dossier: Dossier, gebruiker: User) -> dict[str, Any]:
    """Path → value of the correctable fields in the dossier's latest melding; the read is logged. The caller
    checked access (the contactpunt handling a request for this dossier)."""
    melding = (
        Melding.objects.filter(dossier=dossier).select_related("dossier__sleutel").order_by("-ontvangen_op").first()
    )
    if melding is None or dossier.vernietigd_op is not None:
        return {}
    gegevens = melding_gegevens(melding)
    logregel_voor_door(door=gebruiker, actie="bekijken", obj=dossier, doel=DOEL_AVG_VERZOEK)
    uit = {}
    for pad in RECTIFICEERBAAR:
        groep, veld = pad.split(".")
        uit[pad] = gegevens[groep][veld]  # type: ignore[index]
    return uit


def rectificaties_voor(*, bron: str, bron_id: str) -> QuerySet[Rectificatie]:
    return Rectificatie.objects.filter(bron=bron, bron_id=bron_id).select_related("dossier", "gecorrigeerd_door")
