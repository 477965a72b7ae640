"""The checks every write on a dossier starts with, shared by the capabilities that change dossiers.

* :func:`vergrendeld` locks the dossier's row for the transaction and refuses a dossier under restriction
  or objection (DOMAIN.md rule 4: it cannot be changed until the restriction is lifted).
* :func:`vereis_uitvoerder` admits only staff of the dossier's Uitvoerder with one of the given roles.
* :func:`vereis_behandelaar` admits the dossier's own behandelaar, or a teamleider of its Uitvoerder.

Each raises :class:`~meldpunt.core.exceptions.ApplicationError` with a Dutch message.
"""

from __future__ import annotations

from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol, User

from .models import Dossier


def vergrendeld(dossier: Dossier) -> Dossier:
    """Lock ``dossier`` for a change; a dossier under restriction or objection cannot be changed."""
    dossier = Dossier.objects.select_for_update(of=("self",)).select_related("convenant", "sleutel").get(pk=dossier.pk)
    if dossier.vernietigd_op is not None:
        raise ApplicationError("De persoonsgegevens van dit dossier zijn vernietigd; het kan niet worden gewijzigd.")
    if dossier.afgeschermd_sinds is not None:
        raise ApplicationError("Dit dossier is afgeschermd (beperking of bezwaar) en kan niet worden gewijzigd.")
    return dossier


def vereis_uitvoerder(door: User, dossier: Dossier, *rollen: str) -> None:
    """``door`` works for the dossier's Uitvoerder and holds one of ``rollen``."""
    if door.organisatie_id != dossier.convenant.uitvoerder_id or not door.heeft_rol(*rollen):
        raise ApplicationError("U mag dit dossier niet bewerken.")


def vereis_behandelaar(door: User, dossier: Dossier, *, bericht: str) -> None:
    """``door`` is the dossier's behandelaar or a teamleider of its Uitvoerder; else ``bericht``."""
    vereis_uitvoerder(door, dossier, Rol.HULPVERLENER, Rol.TEAMLEIDER)
    if dossier.behandelaar_id != door.pk and not door.heeft_rol(Rol.TEAMLEIDER):
        raise ApplicationError(bericht)
