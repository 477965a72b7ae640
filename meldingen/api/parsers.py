"""Reading the request body: JSON only, bounded in size, exact decimals, Dutch messages."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

GEEN_JSON = "De inhoud van het verzoek is geen geldige JSON."
GEEN_UTF8 = "De inhoud van het verzoek is geen geldige UTF-8."


class TeGroot(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "Het verzoek is te groot."
    default_code = "te_groot"

    @staticmethod
    def detail_voor_grens() -> str:
        return f"Het verzoek is te groot (ten hoogste {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024} kB)."


def _geen_constante(naam: str) -> Any:
    raise ValueError(naam)  # NaN, Infinity and -Infinity are not JSON


class JsonParser(JSONParser):
    """``application/json`` into Python values; numbers with a fraction become :class:`Decimal`.

    The body is read up to ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes; a larger body answers 413 (DRF
    normally reads ``request.body``, where Django's own check applies: the view maps that to 413 too).
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        grens = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        ruw = stream.read(grens + 1) if grens is not None else stream.read()
        if grens is not None and len(ruw) > grens:
            raise TeGroot(TeGroot.detail_voor_grens())
        codering = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            tekst = ruw.decode(codering)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(GEEN_UTF8) from exc
        try:
            return json.loads(tekst, parse_float=Decimal, parse_constant=_geen_constante)
        except (ValueError, RecursionError) as exc:
            raise ParseError(GEEN_JSON) from exc
