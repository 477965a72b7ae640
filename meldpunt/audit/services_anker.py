"""Writing the daily checkpoint of the Logboek (:mod:`meldpunt.audit.ankers`) and mailing it to every FG."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from meldpunt.core.models import Rol, User

from .ankers import huidige_kop, laatste_anker_datum, onderteken, opslag, publieke_sleutel
from .models import Actie
from .services import logregel_create

logger = logging.getLogger(__name__)


def anker_zetten() -> int:
    """Sign the chain's head, keep it in the second store, mail it to every FG; returns its id."""
    anker = huidige_kop()
    tekst = onderteken(anker)
    opslag().bewaar(f"{anker.id:012d}-{anker.tijdstip.replace(':', '')}.jws", tekst)
    ontvangers = list(
        User.objects.filter(is_active=True, rollen__contains=[Rol.FG]).exclude(email="").values_list("email", flat=True)
    )
    if ontvangers:
        context = {"anker": anker, "tekst": tekst, "sleutel": publieke_sleutel()}
        send_mail(
            subject=f"Controlepunt logboek {anker.tijdstip[:10]}",
            message=render_to_string("audit/email/anker.txt", context),
            from_email=None,
            recipient_list=ontvangers,
        )
    # The checkpoint itself in the log, after it was taken (so the next checkpoint covers this entry).
    logregel_create(actie=Actie.AANMAKEN, object_type="audit.anker", object_id=str(anker.id), doel="logboekcontrole")
    logger.info("logboek anker gezet regel_id=%s ontvangers=%s", anker.id, len(ontvangers))
    return anker.id


def anker_zetten_als_nodig() -> int | None:
    """Set today's checkpoint unless the store already has one of today (UTC)."""
    if laatste_anker_datum() == timezone.now().date():
        return None
    return anker_zetten()
