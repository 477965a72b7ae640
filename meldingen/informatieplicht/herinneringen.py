"""The reminder sweep of the information duty (art. 14 AVG).

Driven by a frequent beat sweep over the database (``stuur_informatieplicht_herinneringen``,
docs/adr/0004-celery.md): seven days before ``termijn_op`` and once after it has passed, the behandelaar
gets an e-mail with dossier numbers only. The "sent" flags on :class:`Informatieplicht` are set in the
same transaction as the sending, under a row lock: a missed tick reminds at the next one, a repeated
tick never twice. Closed dossiers and dossiers whose duty is done get no reminders.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from meldingen.dossiers.workflow import OPEN_STATUSSEN
from meldpunt.core.models import Rol, User

from .models import Informatieplicht

logger = logging.getLogger(__name__)

#: The first reminder goes out this many days before ``termijn_op``.
HERINNERING_DAGEN_VOOR = 7


VOOR = "voor"
NA = "na"


def _verschuldigd(vandaag: dt.date) -> QuerySet[Informatieplicht]:
    """Duties not done, of open dossiers, with a reminder due today and not sent yet."""
    voor = Q(
        herinnering_voor_termijn_op__isnull=True,
        termijn_op__gte=vandaag,
        termijn_op__lte=vandaag + dt.timedelta(days=HERINNERING_DAGEN_VOOR),
    )
    na = Q(herinnering_na_termijn_op__isnull=True, termijn_op__lt=vandaag)
    return Informatieplicht.objects.filter(
        voor | na,
        verstuurd_op__isnull=True,
        uitzondering="",
        dossier__status__in=OPEN_STATUSSEN,
        dossier__vernietigd_op__isnull=True,
        dossier__behandelaar__isnull=False,
        dossier__afgeschermd_sinds__isnull=True,  # hidden and frozen while restricted (DOMAIN.md rule 4)
    )


def _ontvangers(behandelaar: User) -> list[str]:
    """The behandelaar; when they cannot receive mail (inactive, no address), the teamleiders of their team."""
    if behandelaar.is_active and behandelaar.email:
        return [behandelaar.email]
    return list(
        User.objects.filter(
            organisatie_id=behandelaar.organisatie_id, is_active=True, rollen__contains=[Rol.TEAMLEIDER]
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _herinner_behandelaar(*, behandelaar_id: int, nu: dt.datetime, vandaag: dt.date) -> int:
    """One e-mail listing every reminder due for this behandelaar; flags set in the same transaction."""
    with transaction.atomic():
        plichten = list(
            _verschuldigd(vandaag)
            .filter(dossier__behandelaar_id=behandelaar_id)
            .select_for_update(of=("self",))
            .select_related("dossier")
            .order_by("termijn_op", "dossier__nummer")
        )
        if not plichten:
            return 0
        behandelaar = User.objects.get(pk=behandelaar_id)
        ontvangers = _ontvangers(behandelaar)
        if not ontvangers:
            logger.warning("informatieplicht: geen ontvanger voor herinnering behandelaar_id=%s", behandelaar_id)
            return 0
        per_soort: dict[str, list[Informatieplicht]] = defaultdict(list)
        for plicht in plichten:
            per_soort[NA if plicht.termijn_op < vandaag else VOOR].append(plicht)
        basis = settings.MELDPUNT_BASE_URL.rstrip("/")
        regels = {
            soort: [
                {
                    "nummer": p.dossier.nummer,
                    "termijn_op": p.termijn_op,
                    "url": basis + reverse("informatieplicht:detail", kwargs={"dossier_id": p.dossier_id}),
                }
                for p in lijst
            ]
            for soort, lijst in per_soort.items()
        }
        tekst = render_to_string(
            "meldingen/informatieplicht/herinnering.txt",
            {"voor": regels.get(VOOR, []), "na": regels.get(NA, []), "dagen": HERINNERING_DAGEN_VOOR},
        )
        onderwerp = "Informatieplicht: termijn " + ("verstreken" if per_soort.get(NA) else "verloopt binnenkort")
        send_mail(subject=onderwerp, message=tekst, from_email=None, recipient_list=ontvangers)
        for plicht in per_soort.get(VOOR, []):
            plicht.herinnering_voor_termijn_op = nu
            plicht.save(update_fields=["herinnering_voor_termijn_op"])
        for plicht in per_soort.get(NA, []):
            plicht.herinnering_na_termijn_op = nu
            plicht.save(update_fields=["herinnering_na_termijn_op"])
        logger.info(
            "informatieplicht herinnering behandelaar_id=%s voor=%s na=%s",
            behandelaar_id,
            len(per_soort.get(VOOR, [])),
            len(per_soort.get(NA, [])),
        )
        return len(plichten)


def informatieplicht_herinneringen(*, nu: dt.datetime | None = None) -> int:
    """Send every reminder that is due and not sent yet; returns the number of reminders (dossier × kind).

    Before the deadline (from seven days before ``termijn_op`` up to and including that day) the "voor"
    reminder; once ``termijn_op`` has passed, the "na" reminder (a sweep that starts only after the
    deadline sends only that one). One e-mail per behandelaar per sweep, with dossier numbers only.
    """
    nu = nu or timezone.now()
    vandaag = timezone.localtime(nu).date()
    behandelaars = sorted(set(_verschuldigd(vandaag).values_list("dossier__behandelaar_id", flat=True)))
    return sum(_herinner_behandelaar(behandelaar_id=b, nu=nu, vandaag=vandaag) for b in behandelaars)


# The task keeps the name it was scheduled under (django-celery-beat rows, queued messages).
@shared_task(name="meldingen.informatieplicht.stuur_informatieplicht_herinneringen", acks_late=True)
def stuur_informatieplicht_herinneringen() -> int:
    """Beat sweep (every 15 minutes): send the art. 14 reminders that are due and not yet sent."""
    return informatieplicht_herinneringen()
