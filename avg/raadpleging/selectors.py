"""Reads of consultations: a participant sees only its own; the contactpunt and FG those of their requests."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from meldpunt.core.models import Rol, User
from meldpunt.privacy.kluis import Kluis

from ..verzoeken.models import Verzoek
from .models import Antwoord, Raadpleging

#: Who answers a consultation for its organisation.
DEELNEMER_ROLLEN = (Rol.PARTNER_BEHEER, Rol.TEAMLEIDER, Rol.GEMEENTE_MEDEWERKER)


def deelnemer_adressen(organisatie_id: int) -> list[str]:
    return list(
        User.objects.filter(organisatie_id=organisatie_id, is_active=True, rollen__overlap=list(DEELNEMER_ROLLEN))
        .exclude(email="")
        .values_list("email", flat=True)
    )


def raadplegingen_voor_deelnemer(*, user: User) -> QuerySet[Raadpleging]:
    """The consultations of the user's own organisation (nothing of the request beyond its number and term)."""
    if user.organisatie_id is None or not user.heeft_rol(*DEELNEMER_ROLLEN):
        return Raadpleging.objects.none()
    return (
        Raadpleging.objects.filter(organisatie_id=user.organisatie_id)
        .select_related("verzoek", "organisatie")
        .order_by("beantwoord_op", "termijn_op")
    )


def raadpleging_voor_deelnemer_get(*, user: User, pk: Any) -> Raadpleging:
    try:
        return raadplegingen_voor_deelnemer(user=user).get(pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def antwoord_voor_deelnemer_get(*, raadpleging: Raadpleging, pk: Any) -> Antwoord:
    """An answer of a consultation already scoped to the user's organisation."""
    try:
        return Antwoord.objects.get(raadpleging=raadpleging, pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def raadplegingen_van_verzoek(verzoek: Verzoek) -> list[Raadpleging]:
    return list(
        Raadpleging.objects.filter(verzoek=verzoek).select_related("organisatie").prefetch_related("antwoorden")
    )


def te_laat(raadpleging: Raadpleging) -> bool:
    return raadpleging.beantwoord_op is None and raadpleging.termijn_op < timezone.localdate()


def motivering(antwoord: Antwoord, verzoek: Verzoek) -> str:
    if not antwoord.motivering or verzoek.sleutel.vernietigd:
        return ""
    tekst: str = Kluis(verzoek.sleutel).ontsleutel(bytes(antwoord.motivering), context=antwoord.motivering_context)
    return tekst


def uitzonderingen_per_organisatie(verzoek: Verzoek) -> dict[int, dict[str, Antwoord]]:
    """Organisation id → category → answer, for the exceptions that still apply."""
    uit: dict[int, dict[str, Antwoord]] = {}
    for antwoord in Antwoord.objects.filter(raadpleging__verzoek=verzoek).select_related("raadpleging"):
        if antwoord.uitzondering_geldt:
            uit.setdefault(antwoord.raadpleging.organisatie_id, {})[antwoord.categorie] = antwoord
    return uit
