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
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from meldingen.doelen import DOEL_BEWARING
from meldingen.dossiers.models import Dossier
from meldingen.dossiers.workflow import DossierStatus
from meldingen.toestemming.models import Toestemming, ToestemmingOntvanger
from meldingen.toestemming.services import toestemmingen_beeindigen
from meldpunt.audit.services import logregel_voor_door, logregels_voor_door
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import User

from .models import Bewaarblokkade, VernietigingsRegel, Vernietigingsverklaring
from .vernietiging import dossiers_wissen
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


def _vernietig(
    dossiers: Sequence[Dossier], *, aanleiding: str, reden: str, door: User | None
) -> list[VernietigingsRegel]:
    """Destroy locked, not yet destroyed dossiers and write their report lines and log entries."""
    if not dossiers:
        return []
    categorieen = dossiers_wissen(dossiers=dossiers, reden=reden, door=door)
    vandaag = timezone.localdate()
    verklaringen: dict[int, Vernietigingsverklaring] = {}
    for dossier in dossiers:
        if dossier.convenant_id not in verklaringen:
            verklaringen[dossier.convenant_id] = _verklaring(dossier, vandaag)
    regels = VernietigingsRegel.objects.bulk_create(
        VernietigingsRegel(
            verklaring=verklaringen[dossier.convenant_id],
            dossier=dossier,
            dossiernummer=dossier.nummer,
            uitkomst=RegelUitkomst.VERNIETIGD,
            aanleiding=aanleiding,
            afgesloten_op=dossier.afgesloten_op,
            vernietigen_vanaf=dossier.vernietigen_vanaf,
            tijdstip=dossier.vernietigd_op or timezone.now(),
            categorieen=categorieen[dossier.pk],
        )
        for dossier in dossiers
    )
    logregels_voor_door(door=door, actie="verwijderen", objecten=dossiers, doel=DOEL_BEWARING)
    for dossier in dossiers:
        logger.info("dossier vernietigd dossier_id=%s aanleiding=%s", dossier.pk, aanleiding)
    return regels


@transaction.atomic
def dossier_vernietigen(*, dossier: Dossier, reden: str, door: User | None) -> VernietigingsRegel:
    """Destroy one dossier now (an erasure decision, art. 17 AVG), whatever its term; holds do not apply
    (the decision weighed them). Recorded in the day's destruction report of its convenant."""
    if not reden.strip():
        raise ApplicationError("Geef de reden van de vernietiging.", extra={"reden": ["Vul de reden in."]})
    dossier = Dossier.objects.select_for_update(of=("self",)).select_related("sleutel").get(pk=dossier.pk)
    if dossier.vernietigd_op is not None:
        raise ApplicationError("De persoonsgegevens van dit dossier zijn al vernietigd.")
    return _vernietig([dossier], aanleiding=VernietigingsAanleiding.AVG_BESLUIT, reden=reden.strip()[:200], door=door)[
        0
    ]


def te_vernietigen(vandaag: dt.date) -> QuerySet[Dossier]:
    """Closed dossiers whose last term has passed and that are not destroyed yet (held or not)."""
    return Dossier.objects.filter(
        status=DossierStatus.AFGESLOTEN, vernietigen_vanaf__lte=vandaag, vernietigd_op__isnull=True
    )


def _tegengehouden(dossier: Dossier, gronden: list[str], vandaag: dt.date) -> None:
    """Record (once a day) that active holds keep a due dossier."""
    VernietigingsRegel.objects.get_or_create(
        verklaring=_verklaring(dossier, vandaag),
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


def vernietig_batch(*, dossier_ids: Sequence[Any], vandaag: dt.date) -> int:
    """A few dossiers in one short transaction: skipped are those another worker holds, those no longer due
    (reopened, destroyed meanwhile) and those a hold keeps (recorded). Each dossier is destroyed whole or
    not at all (a failure rolls the whole batch back, to be done by the next run). Returns how many were
    destroyed."""
    with transaction.atomic():
        dossiers = list(
            te_vernietigen(vandaag)
            .select_for_update(of=("self",), skip_locked=True)
            .select_related("sleutel")
            .filter(pk__in=dossier_ids)
            .order_by("pk")
        )
        gronden: dict[Any, set[str]] = {}
        for dossier_id, grond in (
            actieve_blokkaden(vandaag)
            .filter(dossier_id__in=[d.pk for d in dossiers])
            .values_list("dossier_id", "grond")
        ):
            gronden.setdefault(dossier_id, set()).add(grond)
        for dossier in dossiers:
            if dossier.pk in gronden:
                _tegengehouden(dossier, sorted(gronden[dossier.pk]), vandaag)
        vrij = [d for d in dossiers if d.pk not in gronden]
        _vernietig(vrij, aanleiding=VernietigingsAanleiding.BEWAARTERMIJN, reden=REDEN_TERMIJN, door=None)
        return len(vrij)


def vernietig_een(*, dossier_id: Any, vandaag: dt.date) -> bool:
    """One dossier in its own short transaction (see :func:`vernietig_batch`). True when it was destroyed."""
    return vernietig_batch(dossier_ids=[dossier_id], vandaag=vandaag) == 1


def vernietigingsronde(
    *, vandaag: dt.date | None = None, batch: int = 200, per_transactie: int = 50, maximum: int | None = None
) -> int:
    """The sweep: destroy every due dossier that no hold keeps; returns how many were destroyed.

    Reads due ids in batches (keyset by id, so skipped ones are not read again) and destroys them
    ``per_transactie`` at a time, each group in its own short transaction with one statement per table. A
    killed worker loses at most the group it was on (rolled back whole, done by the next run); a destroyed
    dossier is never due again, so nothing is destroyed twice.
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
        for start in range(0, len(ids), per_transactie):
            groep = ids[start : start + per_transactie]
            if maximum is not None:
                groep = groep[: maximum - totaal]
            totaal += vernietig_batch(dossier_ids=groep, vandaag=vandaag)
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
