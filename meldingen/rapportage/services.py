"""Writes of the rapportage: saving a draft (completeness derived on every save) and asking for a PDF."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from meldingen.dossiers.guards import vereis_behandelaar, vereis_uitvoerder, vergrendeld
from meldingen.dossiers.models import Dossier
from meldingen.dossiers.workflow import DossierStatus
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol, User
from meldpunt.privacy.kluis import Kluis

from .inhoud import rapportage_valideren, rapportage_volledigheid
from .models import Rapportage
from .selectors import rapportage_loggen
from .tasks import maak_rapportage_pdf


def _vereis_schrijfrecht(door: User, dossier: Dossier) -> None:
    vereis_behandelaar(door, dossier, bericht="Alleen de behandelaar of een teamleider schrijft de rapportage.")


def mag_rapportage_schrijven(*, dossier: Dossier, gebruiker: User) -> bool:
    """For the page: whether the form is editable for ``gebruiker`` (the service checks again)."""
    try:
        _vereis_schrijfrecht(gebruiker, dossier)
    except ApplicationError:
        return False
    return dossier.status != DossierStatus.AFGESLOTEN


@transaction.atomic
def rapportage_opslaan(*, dossier: Dossier, door: User, inhoud: dict[str, Any]) -> Rapportage:
    """Save the rapportage (a draft may be incomplete) while the dossier is open; derive ``volledig``."""
    dossier = vergrendeld(dossier)
    _vereis_schrijfrecht(door, dossier)
    if dossier.status == DossierStatus.AFGESLOTEN:
        raise ApplicationError("Het dossier is afgesloten: de rapportage kan niet meer worden gewijzigd.")
    schoon, fouten = rapportage_valideren(inhoud)
    if fouten:
        raise ApplicationError("De rapportage is niet opgeslagen. Controleer de gemarkeerde velden.", extra=fouten)
    volledig, _ = rapportage_volledigheid(schoon)
    rapportage, _ = Rapportage.objects.select_for_update().get_or_create(dossier=dossier)
    rapportage.inhoud = Kluis(dossier.sleutel).versleutel(schoon, context=rapportage.inhoud_context)
    rapportage.volledig = volledig
    rapportage.bijgewerkt_door = door
    rapportage.save()
    rapportage_loggen(rapportage, dossier, actie="wijzigen", door=door)
    return rapportage


@transaction.atomic
def rapportage_pdf_aanvragen(*, dossier: Dossier, door: User) -> Rapportage:
    """Ask for a (new) PDF of the saved rapportage; made by the worker after this transaction commits."""
    dossier = vergrendeld(dossier)
    vereis_uitvoerder(door, dossier, Rol.HULPVERLENER, Rol.TEAMLEIDER)
    rapportage = Rapportage.objects.filter(dossier=dossier, inhoud__isnull=False).first()
    if rapportage is None:
        raise ApplicationError("Sla de rapportage eerst op; daarna kunt u er een PDF van maken.")
    # update(): asking for a PDF is no change of the content (bijgewerkt_op stays).
    Rapportage.objects.filter(pk=rapportage.pk).update(pdf_aangevraagd_op=timezone.now())
    maak_rapportage_pdf.delay_on_commit(str(dossier.pk))
    rapportage_loggen(rapportage, dossier, actie="exporteren", door=door)
    return rapportage
