"""Consent (toestemming) decides who beyond the Uitvoerder sees a dossier (DOMAIN.md rules 2–4).

Registry
    :class:`~meldingen.models.Toestemming`: per dossier, the recipient (the convenant's Gemeente or the
    Partner that submitted), the scope (``status``, or ``rapportage`` which includes status; never
    ``rapportage`` for the Partner), given on, how, and evidence (a note and/or a signed form, both
    encrypted under the dossier's key), who recorded it, and its end (withdrawal or retention).

Object permissions
    The consent services are the only code that grants or revokes django-guardian object permissions
    on dossiers. After every change :func:`_rechten_bijwerken` recomputes, for the recipient
    organisation's group, exactly the permissions its valid consents imply and assigns or removes the
    difference (``DossierGroepRecht``, a direct-foreign-key permission model), in the same transaction
    as the change and its audit entry. Two consents for the same recipient (first ``status``, later
    ``rapportage``) therefore add up, and withdrawing one leaves what the other still grants.

    ========================  ================================================
    valid consent             permissions of the recipient's group on the dossier
    ========================  ================================================
    Gemeente, ``status``      ``dossier_status_inzien``
    Gemeente, ``rapportage``  ``dossier_status_inzien``, ``dossier_rapportage_inzien``
    Partner, ``status``       ``dossier_status_inzien`` (the eindresultaat and closure as feedback)
    ========================  ================================================

Override
    A restriction or objection (``Dossier.afgeschermd_sinds``, :mod:`meldingen.afscherming`) hides
    the dossier whatever is granted: every selector below excludes it, and no service changes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Permission
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import assign_perm, get_group_perms, remove_perm

from meldpunt.audit.services import logregel_create, logregel_voor_door
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Organisatie, Rol, User
from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.services import versleuteld_bestand_create, versleuteld_bestand_lezen

from .models import (
    Dossier,
    DossierGroepRecht,
    Toestemming,
    ToestemmingEinde,
    ToestemmingOntvanger,
    ToestemmingScope,
    ToestemmingWijze,
)
from .services import _vereis_uitvoerder, _vergrendeld
from .workflow import DossierStatus

DOEL = "uitvoering vroegsignalering"
DOEL_GEMEENTE = "inzage gemeente met toestemming van de huurder"

STATUS_INZIEN = "dossier_status_inzien"
RAPPORTAGE_INZIEN = "dossier_rapportage_inzien"
RECHTEN_PER_SCOPE: dict[str, frozenset[str]] = {
    ToestemmingScope.STATUS: frozenset({STATUS_INZIEN}),
    ToestemmingScope.RAPPORTAGE: frozenset({STATUS_INZIEN, RAPPORTAGE_INZIEN}),
}
ALLE_RECHTEN = frozenset({STATUS_INZIEN, RAPPORTAGE_INZIEN})

FORMULIER_SOORT = "toestemmingsformulier"
FORMULIER_MAX_BYTES = 5 * 1024 * 1024
#: magic bytes -> (MIME type, extension) of the accepted signed-form files
FORMULIER_TYPES: dict[bytes, tuple[str, str]] = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
}
MAX_NOTITIE = 2000


# --- permissions: the only place that grants or revokes ------------------------------------------


def _rechten_bijwerken(dossier: Dossier, organisatie: Organisatie) -> None:
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


# --- services --------------------------------------------------------------------------------------


def _ontvanger_organisatie(dossier: Dossier, ontvanger_soort: str) -> Organisatie:
    if ontvanger_soort == ToestemmingOntvanger.GEMEENTE:
        return dossier.convenant.gemeente
    return dossier.partner


def _vereis_behandelaar(door: User, dossier: Dossier) -> None:
    _vereis_uitvoerder(door, dossier, Rol.HULPVERLENER, Rol.TEAMLEIDER)
    if dossier.behandelaar_id != door.pk and not door.heeft_rol(Rol.TEAMLEIDER):
        raise ApplicationError("Alleen de behandelaar of een teamleider legt toestemming vast of trekt haar in.")


def _formulier_type(inhoud: bytes) -> tuple[str, str] | None:
    for magie, soort in FORMULIER_TYPES.items():
        if inhoud.startswith(magie):
            return soort
    return None


@transaction.atomic
def toestemming_create(
    *,
    dossier: Dossier,
    door: User,
    ontvanger_soort: str,
    scope: str,
    gegeven_op: dt.date,
    wijze: str,
    bewijs: str = "",
    formulier: bytes | None = None,
) -> Toestemming:
    """Record the tenant's consent and grant the recipient's group the permissions of its scope."""
    dossier = _vergrendeld(dossier)
    _vereis_behandelaar(door, dossier)
    if dossier.vernietigd_op is not None:
        raise ApplicationError("De gegevens van dit dossier zijn vernietigd.")
    if dossier.status == DossierStatus.NIEUW:
        raise ApplicationError("Pak het dossier eerst op: toestemming volgt uit het contact met de huurder.")
    fouten: dict[str, list[str]] = {}
    if ontvanger_soort not in ToestemmingOntvanger.values:
        fouten["ontvanger_soort"] = ["Kies aan wie de huurder toestemming geeft."]
    if scope not in ToestemmingScope.values:
        fouten["scope"] = ["Kies waarvoor de huurder toestemming geeft."]
    elif ontvanger_soort == ToestemmingOntvanger.PARTNER and scope == ToestemmingScope.RAPPORTAGE:
        fouten["scope"] = ["De rapportage wordt nooit met de woningcorporatie gedeeld; kies 'status en resultaat'."]
    if wijze not in ToestemmingWijze.values:
        fouten["wijze"] = ["Kies hoe de toestemming is gegeven."]
    if not isinstance(gegeven_op, dt.date):
        fouten["gegeven_op"] = ["Vul een geldige datum in."]
    elif gegeven_op > timezone.localdate():
        fouten["gegeven_op"] = ["De datum ligt in de toekomst."]
    elif gegeven_op < timezone.localtime(dossier.aangemaakt_op).date():
        fouten["gegeven_op"] = ["De datum ligt vóór de melding: toestemming kan niet eerder zijn gegeven."]
    bewijs = (bewijs or "").strip()
    if len(bewijs) > MAX_NOTITIE:
        fouten["bewijs"] = [f"Ten hoogste {MAX_NOTITIE} tekens."]
    formulier_type = None
    if formulier is not None:
        if len(formulier) > FORMULIER_MAX_BYTES:
            fouten["formulier"] = ["Het bestand is groter dan 5 MB."]
        elif not formulier:
            fouten["formulier"] = ["Het bestand is leeg."]
        else:
            formulier_type = _formulier_type(formulier)
            if formulier_type is None:
                fouten["formulier"] = ["Upload het ondertekende formulier als PDF, PNG of JPEG."]
    if not bewijs and formulier is None and "formulier" not in fouten:
        fouten["bewijs"] = ["Beschrijf hoe de toestemming is gegeven, of upload het ondertekende formulier."]
    if not fouten:
        ontvanger = _ontvanger_organisatie(dossier, ontvanger_soort)
        if Toestemming.objects.filter(
            dossier=dossier, ontvanger=ontvanger, scope=scope, beeindigd_op__isnull=True
        ).exists():
            fouten["scope"] = ["Voor deze ontvanger en dit doel is al een geldige toestemming vastgelegd."]
    if fouten:
        raise ApplicationError("De toestemming is niet vastgelegd. Controleer de gemarkeerde velden.", extra=fouten)

    toestemming = Toestemming(
        dossier=dossier,
        ontvanger_soort=ontvanger_soort,
        ontvanger=ontvanger,
        scope=scope,
        gegeven_op=gegeven_op,
        wijze=wijze,
        vastgelegd_door=door,
    )
    kluis = Kluis(dossier.sleutel)
    if bewijs:
        toestemming.bewijs = kluis.versleutel(bewijs, context=toestemming.bewijs_context)
    if formulier is not None and formulier_type is not None:
        mime, extensie = formulier_type
        toestemming.formulier = versleuteld_bestand_create(
            sleutel=dossier.sleutel,
            soort=FORMULIER_SOORT,
            naam=f"toestemming-{dossier.nummer}.{extensie}",
            mime=mime,
            inhoud=formulier,
        )
    toestemming.save(force_insert=True)
    _rechten_bijwerken(dossier, ontvanger)
    logregel_voor_door(door=door, actie="aanmaken", obj=toestemming, doel=DOEL)
    return toestemming


@transaction.atomic
def toestemming_intrekken(*, toestemming: Toestemming, door: User, ingetrokken_op: dt.date) -> Toestemming:
    """The tenant withdraws consent: access ends at once (the permissions go in this transaction)."""
    dossier = _vergrendeld(toestemming.dossier)
    _vereis_behandelaar(door, dossier)
    toestemming = Toestemming.objects.select_for_update().get(pk=toestemming.pk)
    if toestemming.beeindigd_op is not None:
        raise ApplicationError("Deze toestemming is al beëindigd.")
    fouten: dict[str, list[str]] = {}
    if not isinstance(ingetrokken_op, dt.date):
        fouten["ingetrokken_op"] = ["Vul een geldige datum in."]
    elif ingetrokken_op > timezone.localdate():
        fouten["ingetrokken_op"] = ["De datum ligt in de toekomst."]
    elif ingetrokken_op < toestemming.gegeven_op:
        fouten["ingetrokken_op"] = ["De datum ligt vóór de datum waarop de toestemming is gegeven."]
    if fouten:
        raise ApplicationError("De intrekking is niet vastgelegd.", extra=fouten)
    toestemming.beeindigd_op = ingetrokken_op
    toestemming.einde = ToestemmingEinde.INGETROKKEN
    toestemming.beeindigd_door = door
    toestemming.beeindiging_vastgelegd_op = timezone.now()
    toestemming.save(update_fields=["beeindigd_op", "einde", "beeindigd_door", "beeindiging_vastgelegd_op"])
    _rechten_bijwerken(dossier, toestemming.ontvanger)
    logregel_voor_door(door=door, actie="wijzigen", obj=toestemming, doel=DOEL)
    return toestemming


@transaction.atomic
def toestemmingen_beeindigen(*, dossier: Dossier, door: User | None = None) -> int:
    """End every valid consent of ``dossier`` with its retention (before its data is destroyed).

    Restriction does not stop this: ending consent only takes access away. Returns the number ended.
    """
    dossier = Dossier.objects.select_for_update(of=("self",)).select_related("convenant").get(pk=dossier.pk)
    geldig = list(Toestemming.objects.select_for_update().filter(dossier=dossier, beeindigd_op__isnull=True))
    nu = timezone.now()
    for toestemming in geldig:
        toestemming.beeindigd_op = timezone.localdate()
        toestemming.einde = ToestemmingEinde.BEWAARTERMIJN
        toestemming.beeindigd_door = door
        toestemming.beeindiging_vastgelegd_op = nu
        toestemming.save(update_fields=["beeindigd_op", "einde", "beeindigd_door", "beeindiging_vastgelegd_op"])
        logregel_voor_door(door=door, actie="wijzigen", obj=toestemming, doel=DOEL)
    for organisatie_id in {t.ontvanger_id for t in geldig}:
        _rechten_bijwerken(dossier, Organisatie.objects.get(pk=organisatie_id))
    return len(geldig)


# --- reads ---------------------------------------------------------------------------------------


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
            doel=DOEL,
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
        doel=DOEL,
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
