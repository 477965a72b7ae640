"""The breach's progress logbook: who did what, when (a note encrypted under the breach's key)."""

from __future__ import annotations

from django.utils import timezone

from meldpunt.core.models import User
from meldpunt.privacy.kluis import Kluis

from .models import Datalek, Voortgang


def voortgang_schrijven(*, datalek: Datalek, door: User | None, gebeurtenis: str, notitie: str = "") -> Voortgang:
    """Append one entry to the progress logbook (the note encrypted under the breach's key)."""
    voortgang = Voortgang(datalek=datalek, door=door, tijdstip=timezone.now(), gebeurtenis=gebeurtenis)
    if notitie:
        voortgang.notitie = Kluis(datalek.sleutel).versleutel(notitie, context=voortgang.notitie_context)
    voortgang.save()
    return voortgang
