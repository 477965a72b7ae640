"""Reads of the rapportage: its decrypted content and stored PDFs. Every read is logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from meldingen.doelen import DOEL_GEMEENTE, DOEL_UITVOERING
from meldingen.dossiers.models import Dossier
from meldpunt.audit.context import huidige_herkomst
from meldpunt.audit.services import logregel_create
from meldpunt.core.models import User
from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.services import versleuteld_bestand_lezen

from .inhoud import rapportage_leeg
from .models import Rapportage


def rapportage_loggen(
    rapportage: Rapportage,
    dossier: Dossier,
    *,
    actie: str,
    door: User | None,
    herkomst: str = "",
    doel: str = DOEL_UITVOERING,
) -> None:
    """The audit entry of a read or change of ``rapportage`` (in the caller's transaction)."""
    logregel_create(
        actie=actie,
        object_type="meldingen.rapportage",
        object_id=str(rapportage.pk),
        gebruiker=door,
        convenant=dossier.convenant,
        herkomst=herkomst or huidige_herkomst(),
        doel=doel,
    )


def rapportage_inhoud(rapportage: Rapportage | None) -> dict[str, Any]:
    """The decrypted content (an empty one without a rapportage). Callers checked access and audit."""
    if rapportage is None or rapportage.inhoud is None:
        return rapportage_leeg()
    return Kluis(rapportage.dossier.sleutel).ontsleutel(bytes(rapportage.inhoud), context=rapportage.inhoud_context)


def rapportage_weergave(*, dossier: Dossier, gebruiker: User) -> tuple[Rapportage | None, dict[str, Any]]:
    """The dossier's rapportage and its decrypted content for the Uitvoerder; the read is logged."""
    rapportage = Rapportage.objects.filter(dossier=dossier).select_related("dossier__sleutel").first()
    inhoud = rapportage_inhoud(rapportage)
    if rapportage is not None and rapportage.inhoud is not None:
        rapportage_loggen(rapportage, dossier, actie="bekijken", door=gebruiker)
    return rapportage, inhoud


def rapportage_pdf_lezen(*, dossier: Dossier, gebruiker: User, redactie: str = "volledig") -> tuple[str, bytes] | None:
    """The stored PDF (name, bytes), or None; the export is logged.

    ``volledig`` for the Uitvoerder; ``zonder_notities`` for the Gemeente (callers checked its consent).
    """
    veld = {"volledig": "pdf", "zonder_notities": "pdf_gemeente"}[redactie]
    rapportage = (
        Rapportage.objects.filter(dossier=dossier, **{f"{veld}__isnull": False})
        .select_related(f"{veld}__sleutel")
        .first()
    )
    bestand = getattr(rapportage, veld) if rapportage is not None else None
    if rapportage is None or bestand is None:
        return None
    naam, data = versleuteld_bestand_lezen(bestand)
    doel = DOEL_UITVOERING if redactie == "volledig" else DOEL_GEMEENTE
    rapportage_loggen(rapportage, dossier, actie="exporteren", door=gebruiker, doel=doel)
    return naam, data


def resultaat_bereikt(dossier: Dossier) -> bool:
    """Resultaat "bereikt" (money sense): a reached contact attempt AND a complete rapportage. Derived."""
    volledig = Rapportage.objects.filter(dossier=dossier, volledig=True).exists()
    return volledig and dossier.contactpogingen.filter(bereikt=True).exists()


#: After this long a requested PDF counts as failed: the page stops waiting and offers to try again.
PDF_WACHTTIJD = dt.timedelta(minutes=10)


def pdf_bezig(rapportage: Rapportage | None) -> bool:
    """Whether the worker is making a PDF that was asked for (and not too long ago)."""
    if rapportage is None or rapportage.pdf_aangevraagd_op is None:
        return False
    if rapportage.pdf_gemaakt_op is not None and rapportage.pdf_gemaakt_op >= rapportage.pdf_aangevraagd_op:
        return False
    return timezone.now() - rapportage.pdf_aangevraagd_op < PDF_WACHTTIJD
