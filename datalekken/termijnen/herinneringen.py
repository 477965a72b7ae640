"""The reminder sweep of the breach deadlines (a frequent Celery beat task over the database).

For each open breach and each running clock, the latest threshold reached — 12 hours left, 2 hours left,
passed — is mailed to the FG addresses of the convenants and to the reporter, once: a :class:`Herinnering` row
per breach, clock and threshold is written in the same transaction as the sending, under the breach's lock (a
unique constraint backs it). A sweep that comes late sends only the latest threshold and marks the earlier
ones as done, so a missed beat still reminds once and a repeated beat never twice. The sweep also sends a
registration e-mail whose task never ran.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ..register.klokken import ap_termijn, verwerker_termijn
from ..register.meldingmail import fg_adressen, link, registratie_mailen
from ..register.models import Datalek, Herinnering
from ..register.workflow import DatalekStatus, Drempel, Klok
from .klok import Termijn

logger = logging.getLogger(__name__)

#: Thresholds in the order they are reached.
VOLGORDE = [Drempel.TWAALF_UUR, Drempel.TWEE_UUR, Drempel.VERLOPEN]
#: A registration e-mail not sent this long after registering is sent by the sweep.
REGISTRATIE_NA = dt.timedelta(minutes=2)


def _ontvangers(datalek: Datalek) -> list[str]:
    adressen = set(fg_adressen(datalek))
    if datalek.melder.is_active and datalek.melder.email:
        adressen.add(datalek.melder.email)
    return sorted(adressen)


def _herinner(*, datalek_id: int, nu: dt.datetime) -> int:
    with transaction.atomic():
        datalek = (
            Datalek.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("melder", "melder_organisatie")
            .filter(pk=datalek_id, status=DatalekStatus.OPEN)
            .first()
        )
        if datalek is None:
            return 0
        verstuurd = set(Herinnering.objects.filter(datalek=datalek).values_list("klok", "drempel"))
        klokken: list[tuple[str, Termijn | None]] = [
            (Klok.VERWERKER, verwerker_termijn(datalek)),
            (Klok.AP, ap_termijn(datalek)),
        ]
        aantal = 0
        for klok, termijn in klokken:
            if termijn is None:
                continue
            drempel = termijn.drempel(nu)
            if drempel is None or (klok, drempel) in verstuurd:
                continue
            ontvangers = _ontvangers(datalek)
            tekst = render_to_string(
                "datalekken/termijnen/herinnering.txt",
                {
                    "datalek": datalek,
                    "klok": Klok(klok).label,
                    "uren": termijn.uren,
                    "uiterlijk": termijn.uiterlijk,
                    "verlopen": drempel == Drempel.VERLOPEN,
                    "link": link(datalek),
                },
            )
            onderwerp = (
                f"Datalek {datalek.nummer}: termijn van {termijn.uren} uur verstreken"
                if drempel == Drempel.VERLOPEN
                else f"Datalek {datalek.nummer}: {Drempel(drempel).label.lower()} (termijn van {termijn.uren} uur)"
            )
            send_mail(subject=onderwerp, message=tekst, from_email=None, recipient_list=ontvangers)
            tot = VOLGORDE.index(Drempel(drempel))
            Herinnering.objects.bulk_create(
                [
                    Herinnering(datalek=datalek, klok=klok, drempel=d, verstuurd_op=nu)
                    for d in VOLGORDE[: tot + 1]
                    if (klok, d) not in verstuurd
                ]
            )
            logger.info("datalek herinnering datalek_id=%s klok=%s drempel=%s", datalek.pk, klok, drempel)
            aantal += 1
        return aantal


def datalek_herinneringen(*, nu: dt.datetime | None = None) -> int:
    """Send every reminder due and not sent yet; returns the number of reminder e-mails."""
    nu = nu or timezone.now()
    for datalek_id in Datalek.objects.filter(fg_gemaild_op__isnull=True, gemeld_op__lt=nu - REGISTRATIE_NA).values_list(
        "pk", flat=True
    ):
        registratie_mailen(datalek_id=datalek_id)
    open_ids = Datalek.objects.filter(status=DatalekStatus.OPEN).order_by("pk").values_list("pk", flat=True)
    return sum(_herinner(datalek_id=pk, nu=nu) for pk in open_ids)


@shared_task(name="datalekken.stuur_datalek_herinneringen", acks_late=True)
def stuur_datalek_herinneringen() -> int:
    """Beat sweep (every 5 minutes): the breach reminders that are due and not yet sent."""
    return datalek_herinneringen()
