"""The registration e-mail to the FG address of each convenant concerned: the breach number and a link, no
personal data of the people affected."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Datalek

logger = logging.getLogger(__name__)


def link(datalek: Datalek) -> str:
    return settings.MELDPUNT_BASE_URL.rstrip("/") + reverse("datalekken:detail", kwargs={"pk": datalek.pk})


def fg_adressen(datalek: Datalek) -> list[str]:
    return sorted({c.fg_email for c in datalek.convenanten.all() if c.fg_email})


def registratie_mailen(*, datalek_id: int) -> int:
    """Send the registration e-mail unless sent already; returns the number of addresses mailed."""
    with transaction.atomic():
        datalek = (
            Datalek.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("melder_organisatie")
            .filter(pk=datalek_id, fg_gemaild_op__isnull=True)
            .first()
        )
        if datalek is None:
            return 0
        adressen = fg_adressen(datalek)
        tekst = render_to_string(
            "datalekken/register/registratie.txt",
            {"datalek": datalek, "link": link(datalek), "convenanten": list(datalek.convenanten.all())},
        )
        send_mail(subject=f"Datalek gemeld: {datalek.nummer}", message=tekst, from_email=None, recipient_list=adressen)
        datalek.fg_gemaild_op = timezone.now()
        datalek.save(update_fields=["fg_gemaild_op"])
        logger.info("datalek registratie gemaild datalek_id=%s adressen=%s", datalek.pk, len(adressen))
        return len(adressen)
