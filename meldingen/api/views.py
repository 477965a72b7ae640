"""Intake API v1 (../shared/spec/API.md): submit meldingen, read back the own ones with their status.

Every view authenticates itself (API key or verified session, see :mod:`.authentication`) and is
therefore marked ``login_not_required`` in the URL conf. Writes go through
:func:`meldingen.services.melding_create`, reads through the selectors (scoped to the calling
organisation, audited). A POST with ``Idempotency-Key`` is recorded in :class:`IdempotentVerzoek` in the
same transaction as the melding, so a retry answers the first response again.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, NoReturn

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status as http
from rest_framework.exceptions import APIException, NotAuthenticated, NotFound, PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from meldingen.ddas import status_voor_partner
from meldingen.intake.models import Kanaal, Melding
from meldingen.intake.selectors import melding_get_voor_partner, melding_list_voor_partner, partner_weergaven
from meldingen.intake.services import melding_create
from meldingen.intake.validatie import genest, valideer_melding
from meldingen.tokens.models import ApiToken
from meldpunt.audit.context import herkomst_instellen
from meldpunt.audit.services import herkomst_van
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Organisatie

from . import schema  # noqa: F401  (registers the security schemes)
from .authentication import (
    NIET_INGELOGD,
    ApiTokenAuthentication,
    PartnerToegang,
    VerifiedSessionAuthentication,
    organisatie_van,
    sessie_gebruiker,
)
from .models import IdempotentVerzoek
from .parsers import JsonParser, TeGroot
from .serializers import (
    PARTNER_STATUS_CODES,
    FoutSerializer,
    MeldingFilterSerializer,
    MeldingOntvangenSerializer,
    MeldingSerializer,
    NieuweMeldingSerializer,
    fouten_samenvoegen,
    invoer_uit,
    platte_fouten,
)
from .throttling import ApiSleutelThrottle, TeVeelVerzoeken

DOEL = "vroegsignalering huurachterstand"
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_IDEMPOTENCY_KEY = 255
GEEN_OBJECT = "De inhoud van het verzoek moet één JSON-object zijn (een melding)."
GEEN_PARTNER_IN_CONVENANT = "Uw organisatie is geen partner in dit convenant."
VALIDATIEFOUT = {"$ref": "#/components/schemas/ValidatieFout"}


class Conflict(APIException):
    status_code = http.HTTP_409_CONFLICT
    default_detail = "Deze Idempotency-Key is al gebruikt voor een ander verzoek. Gebruik een nieuwe sleutel."
    default_code = "idempotency_conflict"


class OngeldigeIdempotencyKey(APIException):
    status_code = http.HTTP_400_BAD_REQUEST
    default_detail = f"{IDEMPOTENCY_HEADER}: 1 tot {MAX_IDEMPOTENCY_KEY} zichtbare ASCII-tekens."
    default_code = "idempotency_key"


class MeldingPaginering(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = "Deze pagina bestaat niet."
    page_query_description = "Paginanummer (vanaf 1)."
    page_size_query_description = "Aantal meldingen per pagina (standaard 50, ten hoogste 100)."


def _herkomst(request: Request) -> str:
    """``api:<token id> <client address>`` for a machine client, the client address for a session."""
    adres = herkomst_van(request)
    if isinstance(request.auth, ApiToken):
        return f"api:{request.auth.pk} {adres}".strip()
    return adres


def verzoek_hash(data: Any) -> str:
    """SHA-256 of the canonical JSON of the parsed body (sorted keys, no spaces, exact decimals)."""
    canoniek = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str)
    return hashlib.sha256(canoniek.encode("ascii")).hexdigest()


def eerder_verzoek(organisatie: Organisatie, sleutel: str) -> IdempotentVerzoek | None:
    return IdempotentVerzoek.objects.select_related("melding").filter(organisatie=organisatie, sleutel=sleutel).first()


def _vergrendel_idempotency_key(organisatie: Organisatie, sleutel: str) -> None:
    """Serialise requests with the same key of one organisation (released at the end of the transaction)."""
    digest = hashlib.sha256(f"idempotentie\x1f{organisatie.pk}\x1f{sleutel}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)])


class MeldingenApiView(GenericAPIView):
    authentication_classes = [ApiTokenAuthentication, VerifiedSessionAuthentication]
    permission_classes = [PartnerToegang]
    throttle_classes = [ApiSleutelThrottle]
    parser_classes = [JsonParser]
    renderer_classes = [JSONRenderer]
    metadata_class = None  # OPTIONS answers 405: the schema describes the API

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, RequestDataTooBig):  # Django's own limit, hit when DRF reads request.body
            exc = TeGroot(TeGroot.detail_voor_grens())
        return super().handle_exception(exc)

    def throttled(self, request: Request, wait: float | None) -> NoReturn:
        raise TeVeelVerzoeken(wait)

    def permission_denied(self, request: Request, message: str | None = None, code: str | None = None) -> NoReturn:
        if request.authenticators and not request.successful_authenticator:
            raise NotAuthenticated(NIET_INGELOGD)
        raise PermissionDenied(message)

    def weergaven(self, meldingen: Iterable[Melding]) -> list[dict[str, Any]]:
        """The Partner's view of its meldingen (decrypted and audited by the selector)."""
        request = self.request
        items = []
        for w in partner_weergaven(
            meldingen=list(meldingen),
            gebruiker=sessie_gebruiker(request),
            organisatie=organisatie_van(request),
            herkomst=_herkomst(request),
            doel=DOEL,
        ):
            items.append(
                {
                    **w.gegevens,
                    "id": w.melding.pk,
                    "ontvangen_op": w.melding.ontvangen_op,
                    "vervolgmelding": w.melding.vervolgmelding,
                    "status": w.status,
                    "eindresultaat": w.eindresultaat,
                    "afgesloten_op": w.afgesloten_op,
                }
            )
        return MeldingSerializer(items, many=True).data  # type: ignore[return-value]  # a list serializer's data is a list


FOUTEN_ALGEMEEN = {
    401: OpenApiResponse(FoutSerializer, description="Geen, een onbekende of een ingetrokken API-sleutel."),
    403: OpenApiResponse(
        FoutSerializer, description="Geen melder of beheerder van een partnerorganisatie (alleen bij inloggen)."
    ),
    429: OpenApiResponse(FoutSerializer, description="Te veel verzoeken met deze sleutel; zie Retry-After."),
}


class MeldingListCreateView(MeldingenApiView):
    pagination_class = MeldingPaginering

    @extend_schema(
        operation_id="meldingen_list",
        summary="De eigen meldingen",
        description="Alleen de meldingen van uw eigen organisatie, nieuwste eerst, met de signaalstatus en (met "
        "toestemming van de huurder) het eindresultaat.",
        parameters=[
            OpenApiParameter("referentie", OpenApiTypes.STR, description="Exact uw referentie."),
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=PARTNER_STATUS_CODES,
                description="Alleen meldingen met deze signaalstatus.",
            ),
        ],
        responses={
            200: MeldingSerializer(many=True),
            400: OpenApiResponse(VALIDATIEFOUT, description="Ongeldig filter, bijvoorbeeld een onbekende status."),
            404: OpenApiResponse(FoutSerializer, description="Deze pagina bestaat niet."),
            **FOUTEN_ALGEMEEN,
        },
    )
    def get(self, request: Request) -> Response:
        filters = MeldingFilterSerializer(data=request.query_params)
        if not filters.is_valid():
            return Response(platte_fouten(filters.errors), status=http.HTTP_400_BAD_REQUEST)
        meldingen = melding_list_voor_partner(
            organisatie=organisatie_van(request),
            referentie=filters.validated_data.get("referentie", "").strip(),
            status=filters.validated_data.get("status", ""),
        )
        pagina = self.paginate_queryset(meldingen)
        return self.get_paginated_response(self.weergaven(pagina or []))

    @extend_schema(
        operation_id="meldingen_create",
        summary="Een melding indienen",
        request=NieuweMeldingSerializer,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                OpenApiTypes.STR,
                location=OpenApiParameter.HEADER,
                description="Optioneel. Hetzelfde verzoek met dezelfde sleutel (per organisatie) geeft het eerste "
                "antwoord opnieuw en slaat niets nieuws op; dezelfde sleutel met een ander verzoek geeft 409.",
            )
        ],
        responses={
            201: OpenApiResponse(MeldingOntvangenSerializer, description="Nieuwe melding ontvangen."),
            200: OpenApiResponse(
                MeldingOntvangenSerializer,
                description="Precies deze melding (zelfde inhoud) was al ontvangen; er is niets nieuws opgeslagen.",
            ),
            400: OpenApiResponse(VALIDATIEFOUT, description="Ongeldige melding; er is niets opgeslagen."),
            401: FOUTEN_ALGEMEEN[401],
            429: FOUTEN_ALGEMEEN[429],
            403: OpenApiResponse(
                FoutSerializer,
                description="Uw organisatie is geen partner in dit convenant (of: u bent geen melder of beheerder "
                "van een partnerorganisatie).",
            ),
            409: OpenApiResponse(FoutSerializer, description="Deze Idempotency-Key hoorde bij een ander verzoek."),
            413: OpenApiResponse(FoutSerializer, description="Het verzoek is groter dan 2,5 MB."),
        },
        examples=[
            OpenApiExample(
                "VEO",
                request_only=True,
                value={
                    "convenant": "diemen",
                    "type": "VEO",
                    "referentie": "RC-2026-000123",
                    "huurder": {
                        "achternaam": "Jansen",
                        "voornamen": "Pieter",
                        "voorletters": "P.",
                        "geboortedatum": "1980-05-17",
                        "telefoon": "0612345678",
                        "email": "p.jansen@example.nl",
                    },
                    "adres": {
                        "straat": "Ouddiemerlaan",
                        "huisnummer": 104,
                        "toevoeging": "A",
                        "postcode": "1111 AB",
                        "woonplaats": "Diemen",
                    },
                    "huishouden": {"minderjarige_kinderen": 2},
                    "achterstand": {"bedrag": "1300.00", "maanden": 2, "herhaald": False, "maandhuur": "650.00"},
                    "voortraject": {
                        "herinnering_op": "2026-10-01",
                        "contactpoging_op": "2026-10-08",
                        "informatie_doorgifte_op": "2026-10-08",
                    },
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        organisatie = organisatie_van(request)
        sleutel = self._idempotency_key(request)
        data = request.data
        if not isinstance(data, Mapping):
            return Response({"detail": GEEN_OBJECT}, status=http.HTTP_400_BAD_REQUEST)
        hash_ = verzoek_hash(data) if sleutel else ""
        if sleutel:
            eerder = eerder_verzoek(organisatie, sleutel)
            if eerder is not None:
                return self._herhaling(eerder, hash_, data)

        serializer = NieuweMeldingSerializer(data=data)
        geldig = serializer.is_valid()
        waarden = serializer.validated_data if geldig else getattr(serializer, "partieel", {})
        uitkomst = valideer_melding(invoer_uit(waarden), partner=organisatie, vandaag=timezone.localdate())
        if uitkomst.geen_partner:
            raise PermissionDenied(GEEN_PARTNER_IN_CONVENANT)
        if not geldig or not uitkomst.geldig:
            fouten = fouten_samenvoegen(serializer.errors if not geldig else {}, uitkomst.fouten)
            return Response(fouten, status=http.HTTP_400_BAD_REQUEST)

        herkomst = _herkomst(request)
        token = request.auth if isinstance(request.auth, ApiToken) else None
        try:
            with herkomst_instellen(herkomst), transaction.atomic():
                if sleutel:
                    _vergrendel_idempotency_key(organisatie, sleutel)
                    eerder = eerder_verzoek(organisatie, sleutel)
                    if eerder is not None:
                        return self._herhaling(eerder, hash_, data)
                resultaat = melding_create(
                    uitkomst=uitkomst,
                    partner=organisatie,
                    kanaal=Kanaal.API,
                    api_token=token,
                    door=sessie_gebruiker(request),
                    herkomst=herkomst,
                )
                status_code = http.HTTP_201_CREATED if resultaat.nieuw else http.HTTP_200_OK
                if sleutel:
                    IdempotentVerzoek.objects.create(
                        organisatie=organisatie,
                        sleutel=sleutel,
                        verzoek_hash=hash_,
                        melding=resultaat.melding,
                        status_code=status_code,
                    )
        except IntegrityError:
            # Safety net behind the lock: a concurrent request with the same key committed first.
            eerder = eerder_verzoek(organisatie, sleutel) if sleutel else None
            if eerder is None:
                raise
            return self._herhaling(eerder, hash_, data)
        except ApplicationError as exc:
            return Response(genest(exc.field_errors()) or {"detail": exc.message}, status=http.HTTP_400_BAD_REQUEST)
        return self._antwoord(resultaat.melding, uitkomst.invoer.referentie, status_code)

    def _idempotency_key(self, request: Request) -> str:
        waarde = request.headers.get(IDEMPOTENCY_HEADER)
        if waarde is None:
            return ""
        if not 1 <= len(waarde) <= MAX_IDEMPOTENCY_KEY or not all(" " < teken < "\x7f" for teken in waarde):
            raise OngeldigeIdempotencyKey()
        return waarde

    def _herhaling(self, eerder: IdempotentVerzoek, hash_: str, data: Mapping[str, Any]) -> Response:
        """The first response again for the same key and body; 409 for the same key with another body."""
        if eerder.verzoek_hash != hash_:
            raise Conflict()
        referentie = data.get("referentie")
        return self._antwoord(
            eerder.melding, referentie.strip() if isinstance(referentie, str) else "", eerder.status_code
        )

    def _antwoord(self, melding: Melding, referentie: str, status_code: int) -> Response:
        body = MeldingOntvangenSerializer(
            {
                "id": melding.pk,
                "referentie": referentie,
                "status": status_voor_partner(melding.status),
                "ontvangen_op": melding.ontvangen_op,
                "vervolgmelding": melding.vervolgmelding,
            }
        ).data
        locatie = self.request.build_absolute_uri(reverse("api:melding-detail", kwargs={"id": melding.pk}))
        return Response(body, status=status_code, headers={"Location": locatie})


class MeldingDetailView(MeldingenApiView):
    @extend_schema(
        operation_id="meldingen_retrieve",
        summary="Eén eigen melding",
        parameters=[OpenApiParameter("id", OpenApiTypes.UUID, location=OpenApiParameter.PATH)],
        responses={
            200: MeldingSerializer,
            404: OpenApiResponse(
                FoutSerializer, description="Bestaat niet, is vernietigd of is van een andere organisatie."
            ),
            **FOUTEN_ALGEMEEN,
        },
    )
    def get(self, request: Request, id: str) -> Response:
        try:
            uuid.UUID(id)
        except ValueError as exc:
            raise NotFound() from exc
        melding = melding_get_voor_partner(organisatie=organisatie_van(request), pk=id)
        return Response(self.weergaven([melding])[0])
