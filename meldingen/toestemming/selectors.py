"""Reads of consent: the Uitvoerder's view of a dossier's consents, and the dossiers on which an organisation's
group holds a permission (the Gemeente's list, the Partner's feedback).

Override: a restriction or objection (``Dossier.afgeschermd_sinds``, :mod:`meldingen.afscherming`) hides the
dossier whatever is granted; every selector that shows dossiers excludes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Permission
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import QuerySet, Subquery
from django.http import Http404

from meldingen.doelen import DOEL_UITVOERING
from meldingen.dossiers.models import Dossier
from meldpunt.audit.services import logregel_create
from meldpunt.core.models import Organisatie, User
from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.services import versleuteld_bestand_lezen

from .models import DossierGroepRecht, Toestemming
from .rechten import STATUS_INZIEN


@dataclass(frozen=True)
class ToestemmingWeergave:
    toestemming: Toestemming
    bewijs: str


def toestemmingen_weergave(*, dossier: Dossier, gebruiker: User) -> list[ToestemmingWeergave]:
    """The consents of a dossier for the Uitvoerder (the caller has scoped the dossier), notes decrypted."""
    kluis = Kluis(dossier.sleutel)
    uit = [
        ToestemmingWeergave(t, kluis.ontsleutel(t.bewijs, context=t.bewijs_context) if t.bewijs else "")
        for t in dossier.toestemmingen.select_related("ontvanger", "vastgelegd_door", "beeindigd_door")
    ]
    if uit:
        logregel_create(
            actie="bekijken",
            object_type="meldingen.dossier",
            object_id=str(dossier.pk),
            gebruiker=gebruiker,
            convenant=dossier.convenant,
            doel=DOEL_UITVOERING,
        )
    return uit


def toestemming_get_voor_uitvoerder(*, user: User, pk: Any) -> Toestemming:
    """A consent of a dossier of the user's Uitvoerder (not hidden by a restriction), else 404."""
    try:
        return Toestemming.objects.select_related("dossier__convenant", "dossier__sleutel", "ontvanger").get(
            pk=pk,
            dossier__convenant__uitvoerder=user.organisatie,
            dossier__afgeschermd_sinds__isnull=True,
        )
    except (ObjectDoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def toestemming_formulier_lezen(*, toestemming: Toestemming, gebruiker: User) -> tuple[str, bytes] | None:
    if toestemming.formulier is None:
        return None
    naam, inhoud = versleuteld_bestand_lezen(toestemming.formulier)
    logregel_create(
        actie="bekijken",
        object_type="meldingen.toestemming",
        object_id=str(toestemming.pk),
        gebruiker=gebruiker,
        convenant=toestemming.dossier.convenant,
        doel=DOEL_UITVOERING,
    )
    return naam, inhoud


def dossiers_met_toestemming(*, organisatie: Organisatie, codename: str = STATUS_INZIEN) -> QuerySet[Dossier]:
    """Dossiers on which the organisation's group holds ``codename``: one semi-join on ``DossierGroepRecht``.

    Filter the result further rather than nesting it (``pk__in=….values("pk")``), so that the query keeps a
    single ``id IN (SELECT content_object_id …)``. The permission is a scalar subquery, not a join: PostgreSQL
    then estimates the granted rows from the (group, permission) statistics instead of guessing a handful, and
    sorts and pages the granted dossiers before it joins anything else to them.
    """
    permission = (
        Permission.objects.filter(
            content_type__app_label=Dossier._meta.app_label,
            content_type__model=Dossier._meta.model_name,
            codename=codename,
        )
        .order_by()
        .values("pk")
    )
    return Dossier.objects.filter(
        pk__in=DossierGroepRecht.objects.filter(
            group_id=organisatie.groep_id, permission_id=Subquery(permission)
        ).values("content_object_id")
    )


def partner_terugkoppeling_dossiers(*, partner: Organisatie, dossier_ids: list[Any]) -> set[Any]:
    """Of ``dossier_ids``, those whose tenant consented to feedback to ``partner`` (one query)."""
    if not dossier_ids:
        return set()
    return set(
        DossierGroepRecht.objects.filter(
            group_id=partner.groep_id,
            permission__codename=STATUS_INZIEN,
            permission__content_type__app_label="meldingen",
            content_object_id__in=dossier_ids,
            content_object__afgeschermd_sinds__isnull=True,
        ).values_list("content_object_id", flat=True)
    )
