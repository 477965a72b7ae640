"""Who may do what with a breach (docs/datalekken.md, "Toegang").

The reporter sees and completes their own report; the FG of a convenant concerned sees and handles it, and
only the FG decides on and records notification to the AP and to the people affected (seed 001 §7.3: the
processor never notifies). Nobody else sees a breach: the selectors answer 404.
"""

from __future__ import annotations

from django.db.models import Q

from meldpunt.core.models import OrganisatieType, Rol, User

from .models import Datalek

#: Every role of a convenant's organisations reports a breach (platformbeheer has no convenant).
MELDERS = tuple(r for r in Rol.values if r != Rol.PLATFORMBEHEER)


def zichtbaar_filter(user: User) -> Q:
    """The breaches ``user`` may see: their own reports, and as FG every breach of their Gemeente's convenants."""
    filter_ = Q(melder_id=user.pk)
    if user.heeft_rol(Rol.FG) and user.organisatie.type == OrganisatieType.GEMEENTE:
        filter_ |= Q(convenanten__gemeente_id=user.organisatie_id)
    return filter_


def is_fg_van(user: User, datalek: Datalek) -> bool:
    return (
        user.heeft_rol(Rol.FG)
        and user.organisatie.type == OrganisatieType.GEMEENTE
        and any(c.gemeente_id == user.organisatie_id for c in datalek.convenanten.all())
    )


def mag_aanvullen(user: User, datalek: Datalek) -> bool:
    return datalek.melder_id == user.pk or is_fg_van(user, datalek)


def mag_dossiers_koppelen(user: User, datalek: Datalek) -> bool:
    """The FG, or a reporter of the Uitvoerder (who knows the dossiers); a Partner's reporter never sees them."""
    if is_fg_van(user, datalek):
        return True
    return datalek.melder_id == user.pk and user.organisatie.type == OrganisatieType.UITVOERDER
