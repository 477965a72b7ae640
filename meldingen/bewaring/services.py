"""Every write of retention: holds, ending each party's access at its term, and destroying personal data.

Public entry points (other modules call these):

* :func:`bewaarblokkade_instellen`, :func:`bewaarblokkade_opheffen`, :func:`bewaarblokkaden_voor_bron_opheffen`
  — the AVG and datalek modules hold and release dossiers with these (``door=None``: the system).
* :func:`dossier_vernietigen` — immediate destruction of one dossier (an erasure decision), by the same
  code path as the sweep.
* :func:`toegang_beeindigen` and :func:`vernietigingsronde` — the sweeps run by Celery beat.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from meldingen.doelen import DOEL_BEWARING
from meldingen.dossiers.models import Dossier
from meldingen.dossiers.workflow import DossierStatus
from meldingen.toestemming.models import Toestemming, ToestemmingOntvanger
from meldingen.toestemming.services import toestemmingen_beeindigen
from meldpunt.audit.services import logregel_voor_door
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import User

from .models import Bewaarblokkade, VernietigingsRegel, Vernietigingsverklaring
from .vernietiging import dossier_wissen
from .workflow import BlokkadeGrond, RegelUitkomst, VernietigingsAanleiding

logger = logging.getLogger(__name__)

MAX_REDEN = 200
REDEN_TERMIJN = "bewaartermijn verstreken"


def actieve_blokkaden(vandaag: dt.date) -> QuerySet[Bewaarblokkade]:
    return Bewaarblokkade.objects.filter(Q(tot__isnull=True) | Q(tot__gte=vandaag), opgeheven_op__isnull=True)


# --- holds -------------------------------------------------------------------------------------------------
@transaction.atomic
def bewaarblokkade_instellen(
    *,
    dossier: Dossier,
    grond: str,
    door: User | None,
    reden: str = "",
    tot: dt.date | None = None,
    bron: str = "",
    bron_id: str = "",
) -> Bewaarblokkade:
    """Keep ``dossier`` beyond its term for a legal ground, until ``tot`` (inclusive) or until lifted."""
    dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    fouten: dict[str, list[str]] = {}
    if grond not in BlokkadeGrond.values:
        fouten["grond"] = ["Kies de grond van de blokkade."]
    if len(reden) > MAX_REDEN:
        fouten["reden"] = [f"Ten hoogste {MAX_REDEN} tekens."]
    if tot is not None and tot < timezone.localdate():
        fouten["tot"] = ["De einddatum ligt in het verleden."]
    if fouten:
        raise ApplicationError("De blokkade is niet ingesteld.", extra=fouten)
    if dossier.vernietigd_op is not None:
        raise ApplicationError("De persoonsgegevens van dit dossier zijn al vernietigd.")
    blokkade = Bewaarblokkade.objects.create(
        dossier=dossier,
        grond=grond,
        reden=reden.strip(),
        tot=tot,
        bron=bron,
        bron_id=str(bron_id),
        ingesteld_op=timezone.now(),
        ingesteld_door=door,
    )
    logregel_voor_door(door=door, actie="aanmaken", obj=blokkade, doel=DOEL_BEWARING)
    return blokkade


@transaction.atomic
def bewaarblokkade_opheffen(*, blokkade: Bewaarblokkade, door: User | None) -> None:
    """Lift a hold: from now on the dossier is destroyed at the next sweep if its term has passed."""
    blokkade = Bewaarblokkade.objects.select_for_update().get(pk=blokkade.pk)
    if blokkade.opgeheven_op is not None:
        raise ApplicationError("Deze blokkade is al opgeheven.")
    blokkade.opgeheven_op = timezone.now()
    blokkade.opgeheven_door = door
    blokkade.save(update_fields=["opgeheven_op", "opgeheven_door"])
    logregel_voor_door(door=door, actie="wijzigen", obj=blokkade, doel=DOEL_BEWARING)


@transaction.atomic
def bewaarblokkaden_voor_bron_opheffen(*, bron: str, bron_id: str, door: User | None) -> int:
    """Lift every active hold set by one source (an AVG request, a breach); returns how many."""
    if not bron:
        raise ApplicationError("Geef de bron van de blokkades.")
    blokkaden = list(
        Bewaarblokkade.objects.select_for_update().filter(bron=bron, bron_id=str(bron_id), opgeheven_op__isnull=True)
    )
    for blokkade in blokkaden:
        bewaarblokkade_opheffen(blokkade=blokkade, door=door)
    return len(blokkaden)


# --- destruction -------------------------------------------------------------------------------------------
def _verklaring(dossier: Dossier, datum: dt.date) -> Vernietigingsverklaring:
    verklaring, _ = Vernietigingsverklaring.objects.get_or_create(convenant_id=dossier.convenant_id, datum=datum)
    return verklaring


def _vernietig(dossier: Dossier, *, aanleiding: str, reden: str, door: User | None) -> VernietigingsRegel:
    """Destroy a locked, not yet destroyed dossier and write its report line and log entry."""
    categorieen = dossier_wissen(dossier=dossier, reden=reden, door=door)
    regel = VernietigingsRegel.objects.create(
        verklaring=_verklaring(dossier, timezone.localdate()),
        dossier=dossier,
        dossiernummer=dossier.nummer,
        uitkomst=RegelUitkomst.VERNIETIGD,
        aanleiding=aanleiding,
        afgesloten_op=dossier.afgesloten_op,
        vernietigen_vanaf=dossier.vernietigen_vanaf,
        tijdstip=dossier.vernietigd_op or timezone.now(),
        categorieen=categorieen,
    )
    logregel_voor_door(door=door, actie="verwijderen", obj=dossier, doel=DOEL_BEWARING)
    logger.info("dossier vernietigd dossier_id=%s aanleiding=%s", dossier.pk, aanleiding)
    return regel


@transaction.atomic
def dossier_vernietigen(*, dossier: Dossier, reden: str, door: User | None) -> VernietigingsRegel:
    """Destroy one dossier now (an erasure decision, art. 17 AVG), whatever its term; holds do not apply
    (the decision weighed them). Recorded in the day's destruction report of its convenant."""
    if not reden.strip():
        raise ApplicationError("Geef de reden van de vernietiging.", extra={"reden": ["Vul de reden in."]})
    dossier = Dossier.objects.select_for_update(of=("self",)).select_related("sleutel").get(pk=dossier.pk)
    if dossier.vernietigd_op is not None:
        raise ApplicationError("De persoonsgegevens van dit dossier zijn al vernietigd.")
    return _vernietig(dossier, aanleiding=VernietigingsAanleiding.AVG_BESLUIT, reden=reden.strip()[:200], door=door)


def te_vernietigen(vandaag: dt.date) -> QuerySet[Dossier]:
    """Closed dossiers whose last term has passed and that are not destroyed yet (held or not)."""
    return Dossier.objects.filter(
        status=DossierStatus.AFGESLOTEN, vernietigen_vanaf__lte=vandaag, vernietigd_op__isnull=True
    )


def _tegengehouden(dossier_id: Any, vandaag: dt.date) -> bool:
    """Record (once a day) that active holds keep a due dossier; False when none does."""
    gronden = sorted(set(actieve_blokkaden(vandaag).filter(dossier_id=dossier_id).values_list("grond", flat=True)))
    if not gronden:
        return False
    dossier = Dossier.objects.get(pk=dossier_id)
    verklaring = _verklaring(dossier, vandaag)
    VernietigingsRegel.objects.get_or_create(
        verklaring=verklaring,
        dossier=dossier,
        uitkomst=RegelUitkomst.TEGENGEHOUDEN,
        defaults={
            "dossiernummer": dossier.nummer,
            "afgesloten_op": dossier.afgesloten_op,
            "vernietigen_vanaf": dossier.vernietigen_vanaf,
            "tijdstip": timezone.now(),
            "gronden": gronden,
        },
    )
    return True


def vernietig_een(*, dossier_id: Any, vandaag: dt.date) -> bool:
    """One dossier in its own short transaction: skipped when another worker holds it, when it is no longer
    due (reopened, destroyed meanwhile) or when a hold keeps it. True when it was destroyed."""
    with transaction.atomic():
        dossier = (
            te_vernietigen(vandaag)
            .select_for_update(of=("self",), skip_locked=True)
            .select_related("sleutel")
            .filter(pk=dossier_id)
            .first()
        )
        if dossier is None:
            return False
        if _tegengehouden(dossier.pk, vandaag):
            return False
        _vernietig(dossier, aanleiding=VernietigingsAanleiding.BEWAARTERMIJN, reden=REDEN_TERMIJN, door=None)
        return True


def vernietigingsronde(*, vandaag: dt.date | None = None, batch: int = 200, maximum: int | None = None) -> int:
    """The sweep: destroy every due dossier that no hold keeps; returns how many were destroyed.

    Reads due ids in batches (keyset by id, so skipped ones are not read again) and destroys each in its
    own transaction. A killed worker loses at most the dossier it was on (rolled back, done by the next
    run); a destroyed dossier is never due again, so nothing is destroyed twice.
    """
    vandaag = vandaag or timezone.localdate()
    totaal = 0
    laatste = None
    while maximum is None or totaal < maximum:
        qs = te_vernietigen(vandaag).order_by("pk")
        if laatste is not None:
            qs = qs.filter(pk__gt=laatste)
        ids = list(qs.values_list("pk", flat=True)[:batch])
        if not ids:
            break
        for dossier_id in ids:
            totaal += vernietig_een(dossier_id=dossier_id, vandaag=vandaag)
            if maximum is not None and totaal >= maximum:
                break
        laatste = ids[-1]
    return totaal


# --- access ending at each party's own term ------------------------------------------------------------
def toegang_beeindigen(*, vandaag: dt.date | None = None, batch: int = 200) -> int:
    """End the consents (and so the object permissions) of the Gemeente and the Partner on dossiers whose
    term for that party has passed; returns the number of consents ended. Selectors exclude such
    dossiers by the dates already, so a late sweep never lets anyone in."""
    vandaag = vandaag or timezone.localdate()
    totaal = 0
    for soort, veld in (
        (ToestemmingOntvanger.GEMEENTE, "toegang_gemeente_tot"),
        (ToestemmingOntvanger.PARTNER, "toegang_partner_tot"),
    ):
        geldig = Toestemming.objects.filter(dossier=OuterRef("pk"), ontvanger_soort=soort, beeindigd_op__isnull=True)
        while True:
            ids = list(
                Dossier.objects.filter(Exists(geldig), **{f"{veld}__lte": vandaag})
                .order_by("pk")
                .values_list("pk", flat=True)[:batch]
            )
            if not ids:
                break
            for dossier_id in ids:
                totaal += toestemmingen_beeindigen(dossier=Dossier(pk=dossier_id), door=None, ontvanger_soort=soort)
    return totaal
