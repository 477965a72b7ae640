"""Throttle failed logins per client address (in addition to django-axes' lock per account and address).

django-axes locks the combination of account and client address after 5 failures, so someone who knows
a username cannot lock its owner out from elsewhere. What stops one address from trying many accounts
(password spraying) is this limit: at most ``MELDPUNT_INLOG_MISLUKT_PER_ADRES`` failed attempts
(passwords and second-factor codes, any username, existing or not) from one address within the axes
cool-off time; past it every login step from that address answers 429. The limit is high because an
office reaches us from one shared address. The count is read from axes' own records (``AccessAttempt``),
so lifting a user's lockout and axes' expiry apply to it too.
"""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone


def adres_geremd(request: HttpRequest) -> bool:
    """True when this client address has used up its failed attempts of the cool-off window."""
    adres = get_client_ip_address(request)
    if not adres:
        return False
    mislukt = AccessAttempt.objects.filter(
        ip_address=adres, attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME
    ).aggregate(totaal=Sum("failures_since_start"))["totaal"]
    return (mislukt or 0) >= settings.MELDPUNT_INLOG_MISLUKT_PER_ADRES
