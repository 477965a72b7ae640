"""The Uitvoerder's daily digest of new meldingen: counts only, never personal data.

Driven by a frequent beat sweep (``stuur_dagoverzichten``, hourly): from 07:00 local time each
Uitvoerder organisation gets one digest per day. The ``Dagoverzicht`` row is the "sent" flag, written
in the same transaction as the sending, so a missed tick sends later and a repeated tick never twice.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from convenants.selectors import actief_filter
from meldingen.intake.models import Melding
from meldpunt.core.models import Organisatie, OrganisatieType, Rol, User

from .models import Dagoverzicht, Dossier
from .workflow import DossierStatus

logger = logging.getLogger(__name__)

VERZENDUUR = 7


def dagoverzicht_versturen(*, organisatie: Organisatie, nu: dt.datetime | None = None) -> Dagoverzicht | None:
    """Send today's digest to the organisation's hulpverleners and teamleiders, once. None if not due."""
    nu = nu or timezone.now()
    lokaal = timezone.localtime(nu)
    if lokaal.hour < VERZENDUUR:
        return None
    with transaction.atomic():
        overzicht, _ = Dagoverzicht.objects.select_for_update().get_or_create(
            organisatie=organisatie, datum=lokaal.date()
        )
        if overzicht.verstuurd_op is not None:
            return None
        convenanten = organisatie.convenanten_als_uitvoerder.filter(actief_filter(lokaal.date())).order_by("naam")
        sinds = nu - dt.timedelta(days=1)
        per_convenant = []
        for convenant in convenanten:
            aantallen = Melding.objects.filter(convenant=convenant).aggregate(
                nieuw=Count("pk", filter=Q(ontvangen_op__gte=sinds)),
                vervolg=Count("pk", filter=Q(ontvangen_op__gte=sinds, vervolgmelding=True)),
            )
            wachtrij = Dossier.objects.filter(convenant=convenant, status=DossierStatus.NIEUW).aggregate(
                totaal=Count("pk"),
                eo=Count("pk", filter=Q(type="EO")),
                minderjarigen=Count("pk", filter=Q(heeft_minderjarigen=True)),
            )
            per_convenant.append(
                {"convenant": convenant, **aantallen, **{f"wachtrij_{k}": v for k, v in wachtrij.items()}}
            )
        ontvangers = list(
            User.objects.filter(organisatie=organisatie, is_active=True)
            .filter(Q(rollen__contains=[Rol.HULPVERLENER]) | Q(rollen__contains=[Rol.TEAMLEIDER]))
            .exclude(email="")
            .values_list("email", flat=True)
        )
        overzicht.aantal_nieuw = sum(r["nieuw"] for r in per_convenant)
        overzicht.aantal_in_wachtrij = sum(r["wachtrij_totaal"] for r in per_convenant)
        if ontvangers:
            tekst = render_to_string(
                "meldingen/dossiers/dagoverzicht.txt",
                {"organisatie": organisatie, "datum": lokaal.date(), "per_convenant": per_convenant},
            )
            for ontvanger in ontvangers:
                send_mail(
                    subject=f"Dagoverzicht meldingen {lokaal.date():%d-%m-%Y}",
                    message=tekst,
                    from_email=None,
                    recipient_list=[ontvanger],
                )
        overzicht.verstuurd_op = nu
        overzicht.save()
        logger.info("dagoverzicht verstuurd organisatie_id=%s ontvangers=%s", organisatie.pk, len(ontvangers))
        return overzicht


def dagoverzichten_versturen(*, nu: dt.datetime | None = None) -> int:
    verstuurd = 0
    for organisatie in Organisatie.objects.filter(type=OrganisatieType.UITVOERDER, actief=True):
        if dagoverzicht_versturen(organisatie=organisatie, nu=nu) is not None:
            verstuurd += 1
    return verstuurd


# The task keeps the name it was scheduled under (django-celery-beat rows, queued messages).
@shared_task(name="meldingen.notificaties.stuur_dagoverzichten", acks_late=True)
def stuur_dagoverzichten() -> int:
    """Beat sweep (hourly): send every digest that is due and not yet sent."""
    return dagoverzichten_versturen()
