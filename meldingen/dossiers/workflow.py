"""Dossier states and the explicit transition table (DOMAIN.md, "Dossier lifecycle")."""

from __future__ import annotations

from django.db import models


class DossierStatus(models.TextChoices):
    NIEUW = "nieuw", "Nieuw (in de wachtrij)"
    GECLAIMD = "geclaimd", "Geclaimd"
    IN_CONTACT = "in_contact", "In contact"
    AFGESLOTEN = "afgesloten", "Afgesloten"


#: from-state -> the states it may move to. Everything else is refused by the services.
OVERGANGEN: dict[str, frozenset[str]] = {
    DossierStatus.NIEUW: frozenset({DossierStatus.GECLAIMD, DossierStatus.AFGESLOTEN}),
    DossierStatus.GECLAIMD: frozenset({DossierStatus.IN_CONTACT, DossierStatus.AFGESLOTEN, DossierStatus.NIEUW}),
    DossierStatus.IN_CONTACT: frozenset({DossierStatus.AFGESLOTEN}),
    DossierStatus.AFGESLOTEN: frozenset({DossierStatus.GECLAIMD}),  # a teamleider's reopen, with reason
}

OPEN_STATUSSEN = (DossierStatus.NIEUW, DossierStatus.GECLAIMD, DossierStatus.IN_CONTACT)


def overgang_toegestaan(van: str, naar: str) -> bool:
    return naar in OVERGANGEN.get(van, frozenset())


class MeldingType(models.TextChoices):
    VEO = "VEO", "VEO (Vroeg Eropaf)"
    EO = "EO", "EO (Eropaf, na vonnis)"
