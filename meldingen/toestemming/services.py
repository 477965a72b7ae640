"""Writes of consent (toestemming): recording, withdrawing, and ending it with retention (DOMAIN.md rules 2–4).

Registry
    :class:`~meldingen.toestemming.models.Toestemming`: per dossier, the recipient (the convenant's
    Gemeente or the Partner that submitted), the scope (``status``, or ``rapportage`` which includes
    status; never ``rapportage`` for the Partner), given on, how, and evidence (a note and/or a signed
    form, both encrypted under the dossier's key), who recorded it, and its end (withdrawal or retention).

Every change recomputes the recipient's object permissions (:mod:`meldingen.toestemming.rechten`) in the
same transaction as the change and its audit entry.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from meldingen.doelen import DOEL_UITVOERING
from meldingen.dossiers.guards import vereis_behandelaar, vergrendeld
from meldingen.dossiers.models import Dossier
from meldingen.dossiers.workflow import DossierStatus
from meldpunt.audit.services import logregel_voor_door
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Organisatie, User
from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.services import versleuteld_bestand_create

from .models import Toestemming, ToestemmingEinde, ToestemmingOntvanger, ToestemmingScope, ToestemmingWijze
from .rechten import rechten_bijwerken

FORMULIER_SOORT = "toestemmingsformulier"
FORMULIER_MAX_BYTES = 5 * 1024 * 1024
#: magic bytes -> (MIME type, extension) of the accepted signed-form files
FORMULIER_TYPES: dict[bytes, tuple[str, str]] = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
}
MAX_NOTITIE = 2000


def _ontvanger_organisatie(dossier: Dossier, ontvanger_soort: str) -> Organisatie:
    if ontvanger_soort == ToestemmingOntvanger.GEMEENTE:
        return dossier.convenant.gemeente
    return dossier.partner


def _vereis_behandelaar(door: User, dossier: Dossier) -> None:
    vereis_behandelaar(
        door, dossier, bericht="Alleen de behandelaar of een teamleider legt toestemming vast of trekt haar in."
    )


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
    dossier = vergrendeld(dossier)
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
    rechten_bijwerken(dossier, ontvanger)
    logregel_voor_door(door=door, actie="aanmaken", obj=toestemming, doel=DOEL_UITVOERING)
    return toestemming


@transaction.atomic
def toestemming_intrekken(*, toestemming: Toestemming, door: User, ingetrokken_op: dt.date) -> Toestemming:
    """The tenant withdraws consent: access ends at once (the permissions go in this transaction)."""
    dossier = vergrendeld(toestemming.dossier)
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
    rechten_bijwerken(dossier, toestemming.ontvanger)
    logregel_voor_door(door=door, actie="wijzigen", obj=toestemming, doel=DOEL_UITVOERING)
    return toestemming


@transaction.atomic
def toestemmingen_beeindigen(*, dossier: Dossier, door: User | None = None, ontvanger_soort: str = "") -> int:
    """End every valid consent of ``dossier`` (only those of ``ontvanger_soort`` when given) with its
    retention: at that party's term, and before the dossier's data is destroyed.

    Restriction does not stop this: ending consent only takes access away. Returns the number ended.
    """
    dossier = Dossier.objects.select_for_update(of=("self",)).select_related("convenant").get(pk=dossier.pk)
    geldig_qs = Toestemming.objects.select_for_update().filter(dossier=dossier, beeindigd_op__isnull=True)
    if ontvanger_soort:
        geldig_qs = geldig_qs.filter(ontvanger_soort=ontvanger_soort)
    geldig = list(geldig_qs)
    nu = timezone.now()
    for toestemming in geldig:
        toestemming.beeindigd_op = timezone.localdate()
        toestemming.einde = ToestemmingEinde.BEWAARTERMIJN
        toestemming.beeindigd_door = door
        toestemming.beeindiging_vastgelegd_op = nu
        toestemming.save(update_fields=["beeindigd_op", "einde", "beeindigd_door", "beeindiging_vastgelegd_op"])
        logregel_voor_door(door=door, actie="wijzigen", obj=toestemming, doel=DOEL_UITVOERING)
    for organisatie_id in {t.ontvanger_id for t in geldig}:
        rechten_bijwerken(dossier, Organisatie.objects.get(pk=organisatie_id))
    return len(geldig)


@transaction.atomic
def toestemmingen_intrekken_op_verzoek(*, dossier: Dossier, door: User, ingetrokken_op: dt.date) -> int:
    """The tenant withdraws consent through an AVG request (art. 7 lid 3 AVG): the contactpunt of the
    convenant's Gemeente ends every valid consent of the dossier; access ends at once. Returns how many."""
    dossier = vergrendeld(dossier)
    if door.organisatie_id != dossier.convenant.gemeente_id or not door.heeft_rol("contactpunt"):
        raise ApplicationError("Alleen het contactpunt van de gemeente van dit convenant trekt zo toestemming in.")
    geldig = list(Toestemming.objects.select_for_update().filter(dossier=dossier, beeindigd_op__isnull=True))
    for toestemming in geldig:
        toestemming.beeindigd_op = max(ingetrokken_op, toestemming.gegeven_op)
        toestemming.einde = ToestemmingEinde.INGETROKKEN
        toestemming.beeindigd_door = door
        toestemming.beeindiging_vastgelegd_op = timezone.now()
        toestemming.save(update_fields=["beeindigd_op", "einde", "beeindigd_door", "beeindiging_vastgelegd_op"])
        logregel_voor_door(door=door, actie="wijzigen", obj=toestemming, doel=DOEL_UITVOERING)
    for ontvanger_id in {t.ontvanger_id for t in geldig}:
        rechten_bijwerken(dossier, Organisatie.objects.get(pk=ontvanger_id))
    return len(geldig)
