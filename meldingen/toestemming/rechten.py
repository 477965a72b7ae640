"""The object permissions that consent grants: the only code that grants or revokes them on dossiers.

After every change of a consent, :func:`rechten_bijwerken` recomputes, for the recipient organisation's
group, exactly the permissions its valid consents imply and assigns or removes the difference
(``DossierGroepRecht``, a direct-foreign-key permission model), in the same transaction as the change
and its audit entry. Two consents for the same recipient (first ``status``, later ``rapportage``)
therefore add up, and withdrawing one leaves what the other still grants.

    ========================  ================================================
    valid consent             permissions of the recipient's group on the dossier
    ========================  ================================================
    Gemeente, ``status``      ``dossier_status_inzien``
    Gemeente, ``rapportage``  ``dossier_status_inzien``, ``dossier_rapportage_inzien``
    Partner, ``status``       ``dossier_status_inzien`` (the eindresultaat and closure as feedback)
    ========================  ================================================
"""

from __future__ import annotations

from guardian.shortcuts import assign_perm, get_group_perms, remove_perm

from meldingen.dossiers.models import Dossier
from meldpunt.core.models import Organisatie

from .models import Toestemming, ToestemmingScope

STATUS_INZIEN = "dossier_status_inzien"
RAPPORTAGE_INZIEN = "dossier_rapportage_inzien"
RECHTEN_PER_SCOPE: dict[str, frozenset[str]] = {
    ToestemmingScope.STATUS: frozenset({STATUS_INZIEN}),
    ToestemmingScope.RAPPORTAGE: frozenset({STATUS_INZIEN, RAPPORTAGE_INZIEN}),
}
ALLE_RECHTEN = frozenset({STATUS_INZIEN, RAPPORTAGE_INZIEN})


def rechten_bijwerken(dossier: Dossier, organisatie: Organisatie) -> None:
    """Make the group's object permissions on ``dossier`` exactly what its valid consents imply.

    Called by the consent services inside their transaction, after the consent rows changed.
    """
    gewenst: set[str] = set()
    for scope in Toestemming.objects.filter(
        dossier=dossier, ontvanger=organisatie, beeindigd_op__isnull=True
    ).values_list("scope", flat=True):
        gewenst |= RECHTEN_PER_SCOPE[scope]
    groep = organisatie.groep
    huidig = set(get_group_perms(groep, dossier).values_list("codename", flat=True)) & ALLE_RECHTEN
    for codename in sorted(gewenst - huidig):
        assign_perm(f"meldingen.{codename}", groep, dossier)
    for codename in sorted(huidig - gewenst):
        remove_perm(f"meldingen.{codename}", groep, dossier)
