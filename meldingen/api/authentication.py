"""Who calls the intake API: a Partner's machine client (API key) or a logged-in Partner user.

* :class:`ApiTokenAuthentication` — ``Authorization: Token <key>``. An unknown or revoked key, a key of
  an organisation that is no (active) Partner, or a malformed header answers 401 with
  ``WWW-Authenticate: Token``. ``request.user`` stays anonymous; ``request.auth`` is the
  :class:`~meldingen.models.ApiToken`.
* :class:`VerifiedSessionAuthentication` — the browser session, only when the login was completed with
  the second factor (django-otp ``is_verified``); CSRF is enforced as in DRF's SessionAuthentication.
  A session that passed the password step only counts as not logged in.
* :class:`PartnerToegang` — the permission: a token, or a session user with role melder or
  partner_beheer in a Partner organisation.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from meldingen.tokens.models import ApiToken
from meldingen.tokens.selectors import api_token_voor_sleutel
from meldingen.tokens.services import api_token_gebruikt
from meldpunt.core.models import Organisatie, OrganisatieType, Rol

ONGELDIGE_SLEUTEL = "Ongeldige of ingetrokken API-sleutel."
NIET_INGELOGD = "Geef een API-sleutel mee: Authorization: Token <sleutel>."
GEEN_PARTNER = "Alleen melders van een partnerorganisatie kunnen de meldingen-API gebruiken."


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        delen = get_authorization_header(request).split()
        if not delen or delen[0].lower() != self.keyword.lower().encode():
            return None
        if len(delen) != 2:
            raise exceptions.AuthenticationFailed(ONGELDIGE_SLEUTEL)
        try:
            sleutel = delen[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(ONGELDIGE_SLEUTEL) from exc
        token = api_token_voor_sleutel(sleutel)
        if token is None:
            raise exceptions.AuthenticationFailed(ONGELDIGE_SLEUTEL)
        api_token_gebruikt(token)
        return AnonymousUser(), token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class VerifiedSessionAuthentication(SessionAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        user = getattr(request._request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        is_verified = getattr(user, "is_verified", None)
        if not callable(is_verified) or not is_verified():
            return None
        self.enforce_csrf(request)
        return user, None


def organisatie_van(request: Request) -> Organisatie:
    """The calling Partner organisation (after :class:`PartnerToegang` allowed the request)."""
    if isinstance(request.auth, ApiToken):
        return request.auth.organisatie
    return request.user.organisatie  # type: ignore[union-attr]  # authenticated by PartnerToegang


def sessie_gebruiker(request: Request) -> Any:
    """The logged-in user for a session request; None for a machine client."""
    return None if isinstance(request.auth, ApiToken) else request.user


class PartnerToegang(BasePermission):
    message = GEEN_PARTNER

    def has_permission(self, request: Request, view: Any) -> bool:
        if isinstance(request.auth, ApiToken):
            return True
        user = request.user
        if not user or not user.is_authenticated:
            # DRF answers 401 (NotAuthenticated) when no authenticator succeeded.
            return False
        return bool(
            # As in the screens: only the melder reads and submits meldingen; partner_beheer manages users
            # and keys but sees no meldingen (DOMAIN.md role table, least privilege).
            user.heeft_rol(Rol.MELDER) and user.organisatie.type == OrganisatieType.PARTNER and user.organisatie.actief
        )
