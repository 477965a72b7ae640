"""The Logboek entries of account changes, where the FG of every convenant of the organisation sees them.

A user belongs to an organisation, not to a convenant; an entry without a convenant is visible only to the
FG of the user's own gemeente. So every change of an account is written once without a convenant and once
for each convenant the account's organisation takes part in (as gemeente, uitvoerder or partner): the FG of
each of those convenants sees who created, changed, re-invited, reset or approved what.
"""

from __future__ import annotations

from django.db.models import Model, Q

from convenants.models import Convenant
from meldpunt.audit.context import huidige_herkomst
from meldpunt.audit.models import HERKOMST_BEHEER_COMMANDO, Doel
from meldpunt.audit.services import logregels_create

from .models import Organisatie, User


def convenanten_van(organisatie: Organisatie) -> list[Convenant]:
    qs = Convenant.objects.filter(
        Q(gemeente_id=organisatie.pk) | Q(uitvoerder_id=organisatie.pk) | Q(deelnames__partner_id=organisatie.pk)
    )
    return list(qs.distinct().order_by("pk"))


def accountwijziging_loggen(*, door: User | None, organisatie: Organisatie, obj: Model, actie: str) -> None:
    """One entry without a convenant and one per convenant of ``organisatie``, in the caller's transaction."""
    herkomst = huidige_herkomst() or (HERKOMST_BEHEER_COMMANDO if door is None else "")
    gemeenschappelijk = {
        "actie": actie,
        "object_type": obj._meta.label_lower,
        "object_id": str(obj.pk),
        "gebruiker": door,
        "herkomst": herkomst,
        "doel": Doel.GEBRUIKERSBEHEER,
    }
    logregels_create(
        regels=[{**gemeenschappelijk, "convenant": convenant} for convenant in [None, *convenanten_van(organisatie)]]
    )
