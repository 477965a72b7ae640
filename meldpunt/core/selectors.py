"""Reads for organisations and users, always scoped to what the asking user may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import BEHEERROL_PER_TYPE, AccountWijziging, Organisatie, Rol, User


def organisatie_list(*, user: User) -> QuerySet[Organisatie]:
    if user.heeft_rol(Rol.PLATFORMBEHEER):
        return Organisatie.objects.all()
    return Organisatie.objects.filter(pk=user.organisatie_id)


def organisatie_get(*, user: User, pk: int) -> Organisatie:
    return get_object_or_404(organisatie_list(user=user), pk=pk)


def gebruiker_list(*, user: User, organisatie: Organisatie | None = None) -> QuerySet[User]:
    """Platformbeheer sees every user; an organisation's beheerder the users of its own organisation only."""
    if user.heeft_rol(Rol.PLATFORMBEHEER):
        qs = User.objects.all()
    elif user.heeft_rol(BEHEERROL_PER_TYPE[user.organisatie.type]):
        qs = User.objects.filter(organisatie_id=user.organisatie_id)
    else:
        qs = User.objects.none()
    if organisatie is not None:
        qs = qs.filter(organisatie=organisatie)
    return qs.select_related("organisatie").order_by("organisatie__naam", "username")


def gebruiker_get(*, user: User, pk: int) -> User:
    return get_object_or_404(gebruiker_list(user=user), pk=pk)


def accountwijziging_list(*, user: User) -> QuerySet[AccountWijziging]:
    """Platformbeheer: the requests it made; a beheerder: the requests about its organisation's users."""
    qs = AccountWijziging.objects.select_related("gebruiker__organisatie", "aangevraagd_door", "beoordeeld_door")
    if user.heeft_rol(Rol.PLATFORMBEHEER):
        return qs.all()
    if user.heeft_rol(BEHEERROL_PER_TYPE[user.organisatie.type]):
        return qs.filter(gebruiker__organisatie_id=user.organisatie_id)
    return qs.none()


def accountwijziging_get(*, user: User, pk: int) -> AccountWijziging:
    return get_object_or_404(accountwijziging_list(user=user), pk=pk)


def beheerders_van(organisatie: Organisatie) -> QuerySet[User]:
    """The active administrators of ``organisatie`` (the role its type manages users with)."""
    return User.objects.filter(
        organisatie=organisatie, is_active=True, rollen__contains=[BEHEERROL_PER_TYPE[organisatie.type]]
    ).order_by("pk")
