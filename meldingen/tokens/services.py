"""API keys of Partner organisations (API.md "Authentication"): create, revoke, record use.

A key is ``secrets.token_urlsafe(32)`` (43 characters, 256 bits). It is returned once, by
:func:`api_token_create`, and never stored: the database holds its SHA-256 (``sleutel_hash``) and its
first eight characters (``prefix``) so people can tell their keys apart. Only a Partner organisation's
partner_beheer (or a management command) creates and revokes keys; both are written to the log.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone

from meldpunt.audit.context import huidige_herkomst
from meldpunt.audit.models import HERKOMST_BEHEER_COMMANDO, Actie, Doel
from meldpunt.audit.services import logregel_create
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Organisatie, OrganisatieType, Rol, User

from .models import ApiToken
from .selectors import sleutel_hash

PREFIX_LENGTE = 8
#: ``laatst_gebruikt_op`` is written at most once per this interval (no write on every request).
GEBRUIK_INTERVAL = dt.timedelta(minutes=1)


def _mag_beheren(door: User | None, organisatie: Organisatie) -> bool:
    """A management command (``door`` None) may; otherwise only the organisation's own partner_beheer."""
    if door is None:
        return True
    return door.is_active and door.heeft_rol(Rol.PARTNER_BEHEER) and door.organisatie_id == organisatie.pk


def _log(*, token: ApiToken, actie: str, door: User | None) -> None:
    logregel_create(
        actie=actie,
        object_type="meldingen.apitoken",
        object_id=str(token.pk),
        gebruiker=door,
        organisatie=token.organisatie,
        herkomst=huidige_herkomst() or (HERKOMST_BEHEER_COMMANDO if door is None else ""),
        doel=Doel.BEVEILIGING,
    )


@transaction.atomic
def api_token_create(*, organisatie: Organisatie, naam: str, door: User | None = None) -> tuple[ApiToken, str]:
    """Create a key for ``organisatie``; returns the token and the key itself (the only time it exists)."""
    naam = (naam or "").strip()
    fouten: dict[str, list[str]] = {}
    if not naam:
        fouten["naam"] = ["Geef de sleutel een omschrijving, bijvoorbeeld de naam van het systeem dat haar gebruikt."]
    elif len(naam) > 100:
        fouten["naam"] = ["Ten hoogste 100 tekens."]
    if fouten:
        raise ApplicationError("De API-sleutel is niet aangemaakt.", extra=fouten)
    if organisatie.type != OrganisatieType.PARTNER:
        raise ApplicationError("Alleen een partnerorganisatie (corporatie) kan API-sleutels hebben.")
    if not organisatie.actief:
        raise ApplicationError("De organisatie is niet actief.")
    if not _mag_beheren(door, organisatie):
        raise ApplicationError("U mag geen API-sleutels van deze organisatie beheren.")
    sleutel = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisatie=organisatie,
        naam=naam,
        prefix=sleutel[:PREFIX_LENGTE],
        sleutel_hash=sleutel_hash(sleutel),
        aangemaakt_door=door,
    )
    _log(token=token, actie=Actie.AANMAKEN, door=door)
    return token, sleutel


@transaction.atomic
def api_token_intrekken(*, token: ApiToken, door: User | None) -> ApiToken:
    """Revoke a key at once; requests with it get 401 from then on. Revoking cannot be undone."""
    token = ApiToken.objects.select_for_update().select_related("organisatie").get(pk=token.pk)
    if not _mag_beheren(door, token.organisatie):
        raise ApplicationError("U mag geen API-sleutels van deze organisatie beheren.")
    if token.ingetrokken_op is not None:
        raise ApplicationError("Deze API-sleutel is al ingetrokken.")
    token.ingetrokken_op = timezone.now()
    token.save(update_fields=["ingetrokken_op"])
    _log(token=token, actie=Actie.WIJZIGEN, door=door)
    return token


def api_token_gebruikt(token: ApiToken) -> None:
    """Record that ``token`` was used (at most once per :data:`GEBRUIK_INTERVAL`)."""
    nu = timezone.now()
    if token.laatst_gebruikt_op is not None and nu - token.laatst_gebruikt_op < GEBRUIK_INTERVAL:
        return
    ApiToken.objects.filter(pk=token.pk).update(laatst_gebruikt_op=nu)
    token.laatst_gebruikt_op = nu
