"""Rate limit of the intake API: per API key (or per logged-in user), answered with a Dutch 429.

Every request counts, whatever its method: ``MELDPUNT_API_VERZOEKEN`` per ``MELDPUNT_API_VENSTER``
seconds (DRF's sliding window in the Redis cache). Past it the API answers ``429`` with
``{"detail": "<Dutch message>"}`` (the error shape of API.md) and ``Retry-After``.
"""

from __future__ import annotations

import math

from django.conf import settings
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from meldingen.tokens.models import ApiToken


class TeVeelVerzoeken(Throttled):
    def __init__(self, wacht: float | None) -> None:
        seconden = max(1, math.ceil(wacht or 1))
        super().__init__(
            wait=wacht,
            detail=f"Te veel verzoeken met deze sleutel. Probeer het over {seconden} seconden opnieuw.",
        )


class ApiSleutelThrottle(SimpleRateThrottle):
    scope = "api_sleutel"

    def get_rate(self) -> str:
        return f"{settings.MELDPUNT_API_VERZOEKEN}/{settings.MELDPUNT_API_VENSTER}s"

    def parse_rate(self, rate: str | None) -> tuple[int | None, int | None]:
        if rate is None:
            return None, None
        aantal, venster = rate.split("/")
        return int(aantal), int(venster.removesuffix("s"))

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"sleutel-{request.auth.pk}-{request.auth.sleutel_hash[:16]}"
        elif request.user and request.user.is_authenticated:
            ident = f"gebruiker-{request.user.pk}"
        else:
            return None  # not authenticated: answered 401 before anything is done
        return self.cache_format % {"scope": self.scope, "ident": ident}
