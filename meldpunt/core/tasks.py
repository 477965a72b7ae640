"""Celery tasks of the core. Thin: they receive ids, load data themselves and call services."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

logger = logging.getLogger(__name__)

HEARTBEAT_CACHE_KEY = "beat:laatste_hartslag"


@shared_task(acks_late=True)
def heartbeat() -> None:
    """Scheduled by beat every minute; the status page shows when it last ran."""
    cache.set(HEARTBEAT_CACHE_KEY, timezone.now().isoformat(), timeout=None)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def stuur_uitnodiging(gebruiker_id: int) -> None:
    """E-mail a user the link to choose a password. Does nothing once the user has a password."""
    from .models import User

    gebruiker = User.objects.filter(pk=gebruiker_id, is_active=True).first()
    if gebruiker is None or gebruiker.has_usable_password():
        return
    pad = reverse(
        "core:account_activeren",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(gebruiker.pk)),
            "token": default_token_generator.make_token(gebruiker),
        },
    )
    context = {
        "gebruiker": gebruiker,
        "link": settings.MELDPUNT_BASE_URL.rstrip("/") + pad,
        "geldig_dagen": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    send_mail(
        subject="Uitnodiging Centraal Meldpunt",
        message=render_to_string("core/email/uitnodiging.txt", context),
        from_email=None,
        recipient_list=[gebruiker.email],
    )
    logger.info("uitnodiging verstuurd gebruiker_id=%s", gebruiker.pk)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def meld_accountwijziging(wijziging_id: int) -> None:
    """Mail the beheerders of the account's organisation that platformbeheer asks to change an account."""
    from .models import AccountWijziging, AccountWijzigingStatus
    from .selectors import beheerders_van

    wijziging = (
        AccountWijziging.objects.filter(pk=wijziging_id, status=AccountWijzigingStatus.AANGEVRAAGD)
        .select_related("gebruiker__organisatie")
        .first()
    )
    if wijziging is None:
        return
    ontvangers = [b.email for b in beheerders_van(wijziging.gebruiker.organisatie) if b.email]
    if not ontvangers:
        return
    context = {
        "wijziging": wijziging,
        "link": settings.MELDPUNT_BASE_URL.rstrip("/") + reverse("core:accountwijziging_list"),
    }
    send_mail(
        subject="Platformbeheer vraagt uw goedkeuring voor een accountwijziging",
        message=render_to_string("core/email/accountwijziging.txt", context),
        from_email=None,
        recipient_list=ontvangers,
    )
    logger.info("accountwijziging gemeld wijziging_id=%s", wijziging.pk)
