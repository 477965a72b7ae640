"""The OpenAPI schema (drf-spectacular): security schemes and finishing touches.

``nabewerken`` is listed in ``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``: it adds the 400 body
(``ValidatieFout``) as a component and marks the request objects closed (``additionalProperties:
false``), since unknown fields are refused at every level.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .authentication import ApiTokenAuthentication, VerifiedSessionAuthentication
from .serializers import VALIDATIEFOUT_SCHEMA

#: Request components (from the *InvoerSerializer / NieuweMeldingSerializer classes) that refuse extra fields.
GESLOTEN_OBJECTEN = (
    "NieuweMelding",
    "HuurderInvoer",
    "AdresInvoer",
    "HuishoudenInvoer",
    "AchterstandInvoer",
    "VoortrajectInvoer",
    "EoInvoer",
)


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'API-sleutel van de partnerorganisatie met het voorvoegsel "Token": '
            "`Authorization: Token <sleutel>`. Een onbekende of ingetrokken sleutel krijgt 401.",
        }


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = VerifiedSessionAuthentication
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "De sessie van een gebruiker die met tweede factor is ingelogd (melder of beheerder "
            "van een partnerorganisatie); schrijvende verzoeken vragen ook de CSRF-header.",
        }


def nabewerken(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ValidatieFout"] = VALIDATIEFOUT_SCHEMA
    for naam in GESLOTEN_OBJECTEN:
        if naam in schemas:
            schemas[naam]["additionalProperties"] = False
    return result
