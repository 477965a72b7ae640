"""Reads of the information duty (art. 14 AVG), scoped to the user's Uitvoerder."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404

from meldingen.dossiers.models import Dossier
from meldpunt.core.models import OrganisatieType, User
from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.models import VersleuteldBestand

from .models import Informatieplicht

BRIEF_SOORT = "informatiebrief"


def dossier_voor_informatieplicht(*, user: User, dossier_id: Any) -> Dossier:
    """A dossier of the user's Uitvoerder (404 for another organisation's or a missing dossier)."""
    if user.organisatie.type != OrganisatieType.UITVOERDER:
        raise Http404
    try:
        return (
            Dossier.objects.filter(convenant__uitvoerder=user.organisatie, afgeschermd_sinds__isnull=True)
            .select_related("convenant__gemeente", "convenant__uitvoerder", "partner", "behandelaar", "sleutel")
            .get(pk=dossier_id)
        )
    except (Dossier.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def informatieplicht_van(dossier: Dossier) -> Informatieplicht | None:
    return Informatieplicht.objects.filter(dossier=dossier).select_related("vastgelegd_door").first()


def toelichting_lezen(informatieplicht: Informatieplicht) -> str:
    """The decrypted motivation of an exception (callers audit the read)."""
    if not informatieplicht.toelichting:
        return ""
    dossier = informatieplicht.dossier
    return Kluis(dossier.sleutel).ontsleutel(informatieplicht.toelichting, context=informatieplicht.toelichting_context)


def laatste_informatiebrief(dossier: Dossier) -> VersleuteldBestand | None:
    return (
        VersleuteldBestand.objects.filter(sleutel_id=dossier.sleutel_id, soort=BRIEF_SOORT)
        .order_by("-aangemaakt_op")
        .first()
    )
