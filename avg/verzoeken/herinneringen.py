"""The reminder sweep of request deadlines: the contactpunt of the Gemeente gets an e-mail (request numbers
only) seven days before the deadline in force and once after it passed. "Sent" flags are set in the same
transaction as the sending, under a row lock: a missed tick reminds at the next, a repeated tick never twice.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Case, F, Q, QuerySet, When
from django.urls import reverse
from django.utils import timezone

from meldpunt.core.models import Rol, User

from .models import Verzoek
from .workflow import VerzoekStatus

logger = logging.getLogger(__name__)

HERINNERING_DAGEN_VOOR = 7


def contactpunt_adressen(gemeente_id: int) -> list[str]:
    return list(
        User.objects.filter(organisatie_id=gemeente_id, is_active=True, rollen__contains=[Rol.CONTACTPUNT])
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _verschuldigd(vandaag: dt.date) -> QuerySet[Verzoek]:
    qs = Verzoek.objects.filter(status=VerzoekStatus.IN_BEHANDELING, besloten_op__isnull=True).annotate(
        # the extended deadline is in force once the requester was sent the extension letter
        uiterste=Case(When(verlenging_bericht_op__isnull=False, then=F("verlengd_tot")), default=F("termijn_op"))
    )
    voor = Q(
        herinnering_voor_termijn_op__isnull=True,
        uiterste__gte=vandaag,
        uiterste__lte=vandaag + dt.timedelta(days=HERINNERING_DAGEN_VOOR),
    )
    na = Q(herinnering_na_termijn_op__isnull=True, uiterste__lt=vandaag)
    return qs.filter(voor | na)


def verzoek_herinneringen(*, nu: dt.datetime | None = None) -> int:
    """Send every deadline reminder due and not sent yet; one e-mail per Gemeente per sweep. Returns how many."""
    nu = nu or timezone.now()
    vandaag = timezone.localtime(nu).date()
    totaal = 0
    for gemeente_id in sorted(set(_verschuldigd(vandaag).values_list("gemeente_id", flat=True))):
        with transaction.atomic():
            verzoeken = list(
                _verschuldigd(vandaag)
                .filter(gemeente_id=gemeente_id)
                .select_for_update(of=("self",))
                .order_by("nummer")
            )
            ontvangers = contactpunt_adressen(gemeente_id)
            if not verzoeken or not ontvangers:
                continue
            basis = settings.MELDPUNT_BASE_URL.rstrip("/")
            regels = []
            for v in verzoeken:
                uiterste = v.uiterste_datum
                assert uiterste is not None
                soort = "verstreken" if uiterste < vandaag else "verloopt"
                url = basis + reverse("verzoeken:detail", kwargs={"pk": v.pk})
                regels.append(f"- {v.nummer}: termijn {soort} op {uiterste:%d-%m-%Y}\n  {url}")
                if uiterste < vandaag:
                    v.herinnering_na_termijn_op = nu
                    # a sweep that starts after the deadline sends only this one
                    v.herinnering_voor_termijn_op = v.herinnering_voor_termijn_op or nu
                else:
                    v.herinnering_voor_termijn_op = nu
                v.save(update_fields=["herinnering_voor_termijn_op", "herinnering_na_termijn_op"])
            tekst = "Termijnen van AVG-verzoeken:\n\n" + "\n".join(regels) + "\n"
            send_mail(subject="AVG-verzoeken: termijn", message=tekst, from_email=None, recipient_list=ontvangers)
            logger.info("avg herinnering gemeente_id=%s verzoeken=%s", gemeente_id, len(verzoeken))
            totaal += len(verzoeken)
    return totaal
