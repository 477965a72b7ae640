"""Four eyes on account changes by platformbeheer (docs/security.md, "Operator").

Platformbeheer runs the platform but must not be able to take over an account of a Partner, Uitvoerder or
Gemeente: a new e-mail address (where the invitation and the password link go), a reset of the second
factor or a new role would let it log in as someone with access to personal data. Such a change is stored
as an :class:`AccountWijziging` request; it takes effect only when a beheerder of the account's own
organisation approves it. Every request mails the organisation's beheerders, and every step is in the
Logboek of each convenant the organisation takes part in.

Transitions (:data:`OVERGANGEN`): aangevraagd -> goedgekeurd | afgewezen; nothing after that.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldpunt.audit.models import Actie

from .accountlog import accountwijziging_loggen
from .exceptions import ApplicationError
from .models import (
    BEHEERROL_PER_TYPE,
    ROLLEN_PER_TYPE,
    AccountWijziging,
    AccountWijzigingSoort,
    AccountWijzigingStatus,
    Organisatie,
    Rol,
    User,
)
from .selectors import beheerders_van

OVERGANGEN: dict[str, frozenset[str]] = {
    AccountWijzigingStatus.AANGEVRAAGD: frozenset(
        {AccountWijzigingStatus.GOEDGEKEURD, AccountWijzigingStatus.AFGEWEZEN}
    ),
    AccountWijzigingStatus.GOEDGEKEURD: frozenset(),
    AccountWijzigingStatus.AFGEWEZEN: frozenset(),
}


def beheert_organisatie(door: User, organisatie: Organisatie) -> bool:
    """``door`` holds the user-management role of ``organisatie``'s type and belongs to it."""
    return door.organisatie_id == organisatie.pk and door.heeft_rol(BEHEERROL_PER_TYPE[organisatie.type])


@transaction.atomic
def accountwijziging_aanvragen(
    *,
    gebruiker: User,
    door: User,
    soort: str,
    nieuwe_email: str = "",
    nieuwe_rollen: Iterable[str] = (),
) -> AccountWijziging:
    """Store platformbeheer's request to change ``gebruiker``; mail the organisation's beheerders."""
    if not door.heeft_rol(Rol.PLATFORMBEHEER):
        raise ApplicationError("Alleen platformbeheer vraagt een accountwijziging aan.")
    organisatie = gebruiker.organisatie
    rollen = list(dict.fromkeys(nieuwe_rollen))
    if soort not in AccountWijzigingSoort.values:
        raise ApplicationError("Onbekende soort wijziging.")
    if soort == AccountWijzigingSoort.EMAIL:
        try:
            validate_email(nieuwe_email)
        except ValidationError as exc:
            raise ApplicationError(
                "Vul een geldig e-mailadres in.", extra={"email": ["Vul een geldig e-mailadres in."]}
            ) from exc
    if soort == AccountWijzigingSoort.ROLLEN and (
        not rollen or any(rol not in ROLLEN_PER_TYPE[organisatie.type] for rol in rollen)
    ):
        raise ApplicationError(
            "Deze rollen passen niet bij de organisatie.", extra={"rollen": ["Rol niet toegestaan."]}
        )
    if not beheerders_van(organisatie).exclude(pk=door.pk).exists():
        raise ApplicationError(
            "Deze organisatie heeft geen actieve beheerder die de wijziging kan goedkeuren.",
            extra={
                "email" if soort == AccountWijzigingSoort.EMAIL else "rollen": [
                    "Er is geen beheerder van de organisatie om de wijziging goed te keuren."
                ]
            },
        )
    AccountWijziging.objects.filter(gebruiker=gebruiker, soort=soort, status=AccountWijzigingStatus.AANGEVRAAGD).update(
        status=AccountWijzigingStatus.AFGEWEZEN, beoordeeld_op=timezone.now()
    )
    wijziging = AccountWijziging.objects.create(
        gebruiker=gebruiker,
        soort=soort,
        nieuwe_email=nieuwe_email.strip().lower() if soort == AccountWijzigingSoort.EMAIL else "",
        nieuwe_rollen=rollen if soort == AccountWijzigingSoort.ROLLEN else [],
        aangevraagd_door=door,
    )
    accountwijziging_loggen(door=door, organisatie=organisatie, obj=wijziging, actie=Actie.AANMAKEN)
    from .tasks import meld_accountwijziging

    meld_accountwijziging.delay_on_commit(wijziging.pk)
    return wijziging


def _beoordelen(*, wijziging: AccountWijziging, door: User, status: str) -> AccountWijziging:
    wijziging = (
        AccountWijziging.objects.select_for_update().select_related("gebruiker__organisatie").get(pk=wijziging.pk)
    )
    gebruiker = wijziging.gebruiker
    if not beheert_organisatie(door, gebruiker.organisatie) or door.pk == wijziging.aangevraagd_door_id:
        raise ApplicationError("Alleen een beheerder van de organisatie beoordeelt deze wijziging.")
    if status not in OVERGANGEN[wijziging.status]:
        raise ApplicationError("Deze wijziging is al beoordeeld.")
    wijziging.status = status
    wijziging.beoordeeld_door = door
    wijziging.beoordeeld_op = timezone.now()
    wijziging.save(update_fields=["status", "beoordeeld_door", "beoordeeld_op"])
    accountwijziging_loggen(door=door, organisatie=gebruiker.organisatie, obj=wijziging, actie=Actie.WIJZIGEN)
    return wijziging


@transaction.atomic
def accountwijziging_goedkeuren(*, wijziging: AccountWijziging, door: User) -> AccountWijziging:
    """A beheerder of the account's organisation approves: the change takes effect now."""
    wijziging = _beoordelen(wijziging=wijziging, door=door, status=AccountWijzigingStatus.GOEDGEKEURD)
    gebruiker = User.objects.select_for_update().get(pk=wijziging.gebruiker_id)
    if wijziging.soort == AccountWijzigingSoort.EMAIL:
        gebruiker.email = wijziging.nieuwe_email
        gebruiker.save(update_fields=["email"])
    elif wijziging.soort == AccountWijzigingSoort.ROLLEN:
        gebruiker.rollen = list(wijziging.nieuwe_rollen)
        gebruiker.save(update_fields=["rollen"])
    else:
        TOTPDevice.objects.filter(user=gebruiker).delete()
    accountwijziging_loggen(door=door, organisatie=wijziging.gebruiker.organisatie, obj=gebruiker, actie=Actie.WIJZIGEN)
    return wijziging


@transaction.atomic
def accountwijziging_afwijzen(*, wijziging: AccountWijziging, door: User) -> AccountWijziging:
    return _beoordelen(wijziging=wijziging, door=door, status=AccountWijzigingStatus.AFGEWEZEN)
