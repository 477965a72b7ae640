"""Reads of API keys: looking a key up (the API's authentication) and the partner_beheer's list."""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet
from django.http import Http404

from meldpunt.core.models import OrganisatieType, Rol, User

from .models import ApiToken

#: Longer values in an Authorization header are not looked up at all.
MAX_SLEUTEL_LENGTE = 100


def sleutel_hash(sleutel: str) -> str:
    return hashlib.sha256(sleutel.encode("utf-8")).hexdigest()


def api_token_voor_sleutel(sleutel: str) -> ApiToken | None:
    """The active token of an active Partner organisation that ``sleutel`` belongs to, else None."""
    if not sleutel or len(sleutel) > MAX_SLEUTEL_LENGTE:
        return None
    token = (
        ApiToken.objects.select_related("organisatie")
        .filter(sleutel_hash=sleutel_hash(sleutel), ingetrokken_op__isnull=True)
        .first()
    )
    if token is None or token.organisatie.type != OrganisatieType.PARTNER or not token.organisatie.actief:
        return None
    return token


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """The keys of the user's own organisation, for its partner_beheer; nothing for anyone else."""
    if not user.heeft_rol(Rol.PARTNER_BEHEER) or user.organisatie.type != OrganisatieType.PARTNER:
        return ApiToken.objects.none()
    return (
        ApiToken.objects.filter(organisatie_id=user.organisatie_id)
        .select_related("aangemaakt_door")
        .order_by("-aangemaakt_op", "-pk")
    )


def api_token_get(*, user: User, pk: int) -> ApiToken:
    try:
        return api_token_list(user=user).get(pk=pk)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
