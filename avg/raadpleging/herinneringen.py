"""Reminder sweeps of consultations: once when a term has passed without answer (to the participant, copy to
the contactpunt), and every three months for an exception that was invoked and still applies (to the
participant: does it still apply?). "Sent" flags under a row lock, set in the sending transaction."""

from __future__ import annotations

import datetime as dt
import logging

from dateutil.relativedelta import relativedelta
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from ..verzoeken.herinneringen import contactpunt_adressen
from .models import Antwoord, Raadpleging
from .selectors import deelnemer_adressen
from .services import HERBEOORDELING_MAANDEN

logger = logging.getLogger(__name__)


def raadpleging_herinneringen(*, nu: dt.datetime | None = None) -> int:
    nu = nu or timezone.now()
    vandaag = timezone.localtime(nu).date()
    verzonden = 0
    ids = list(
        Raadpleging.objects.filter(beantwoord_op__isnull=True, herinnering_op__isnull=True, termijn_op__lt=vandaag)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            r = (
                Raadpleging.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("verzoek")
                .filter(pk=pk, beantwoord_op__isnull=True, herinnering_op__isnull=True)
                .first()
            )
            if r is None:
                continue
            adressen = deelnemer_adressen(r.organisatie_id) + contactpunt_adressen(r.verzoek.gemeente_id)
            if adressen:
                tekst = (
                    f"De termijn van de raadpleging over AVG-verzoek {r.verzoek.nummer} is op "
                    f"{r.termijn_op:%d-%m-%Y} verstreken zonder antwoord.\n"
                )
                send_mail("AVG-verzoek: raadpleging verlopen", tekst, None, adressen)
            r.herinnering_op = nu
            r.save(update_fields=["herinnering_op"])
            logger.info("avg raadpleging herinnering raadpleging_id=%s", r.pk)
            verzonden += 1
    return verzonden


def herbeoordeling_herinneringen(*, nu: dt.datetime | None = None) -> int:
    """Every three months per invoked exception: the participant checks whether it still applies."""
    nu = nu or timezone.now()
    vandaag = timezone.localtime(nu).date()
    verzonden = 0
    ids = list(
        Antwoord.objects.filter(vervallen_op__isnull=True, herbeoordeling_op__lte=vandaag)
        .exclude(uitzondering="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            a = (
                Antwoord.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("raadpleging__verzoek")
                .filter(pk=pk, vervallen_op__isnull=True, herbeoordeling_op__lte=vandaag)
                .first()
            )
            if a is None or a.herbeoordeling_op is None:
                continue
            adressen = deelnemer_adressen(a.raadpleging.organisatie_id)
            if adressen:
                tekst = (
                    f"Bij AVG-verzoek {a.raadpleging.verzoek.nummer} beriep uw organisatie zich op een uitzondering "
                    f"(art. 41 lid 1 sub {a.uitzondering} UAVG). Geldt die nog? Zo niet, meld dat in het Centraal "
                    "Meldpunt: het contactpunt neemt dan een aanvullend besluit.\n"
                )
                send_mail("AVG-verzoek: geldt de uitzondering nog?", tekst, None, adressen)
            a.herbeoordeling_herinnerd_op = nu
            volgende = a.herbeoordeling_op
            while volgende <= vandaag:
                volgende = volgende + relativedelta(months=HERBEOORDELING_MAANDEN)
            a.herbeoordeling_op = volgende
            a.save(update_fields=["herbeoordeling_herinnerd_op", "herbeoordeling_op"])
            logger.info("avg herbeoordeling antwoord_id=%s", a.pk)
            verzonden += 1
    return verzonden
