"""The worker's part of financien's *Jaar opstellen*: draft convenant by convenant, with progress.

``opstelrun_start`` (services.py) records an :class:`Opstelrun` and queues it; the task
``facturatie.opstelrun_verwerken`` calls :func:`opstelrun_uitvoeren`. Each convenant is drafted in one
transaction together with the run's progress, so a convenant is either drafted and counted, or (on an error)
neither; the run then ends as mislukt with a Dutch message, and what earlier convenants drafted stays.

A run without progress for longer than the broker's visibility timeout (a crashed worker, a lost task) counts
as stalled: the next start of the same year and the hourly sweep mark it mislukt. Drafting again is
idempotent, so starting again drafts exactly what is missing.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from meldpunt.audit.models import Actie, Resultaat
from meldpunt.audit.services import logregel_voor_door
from meldpunt.core.exceptions import ApplicationError

from .models import Opstelrun
from .opstellen import DOEL_FACTURATIE, Opstelverslag, convenant_opstellen, convenanten_voor, opstellen_controleren
from .workflow import OPSTELRUN_LOPEND, OpstelrunStatus, opstelrun_overgang_toegestaan

logger = logging.getLogger(__name__)

#: Advisory lock class of one run's execution (15: drafting a convenant, 16: starting a Gemeente's run).
SLOT_UITVOERING = 17

ONDERBROKEN = (
    "Het opstellen is onderbroken en niet afgemaakt. Wat al is opgesteld, blijft staan: "
    "start het opnieuw om de rest op te stellen."
)


def stilstand() -> dt.timedelta:
    """How long a queued or running run may go without progress: the broker's visibility timeout."""
    opties = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    return dt.timedelta(seconds=int(opties.get("visibility_timeout", 20 * 60)))


def is_stilgevallen(run: Opstelrun, *, nu: dt.datetime | None = None) -> bool:
    nu = nu or timezone.now()
    return run.lopend and (run.voortgang_op or run.aangemaakt_op) < nu - stilstand()


def opstelrun_afsluiten(*, run: Opstelrun, status: str, foutmelding: str = "") -> Opstelrun:
    """End a run (locked by the caller) as klaar or mislukt; a failure is written to the Logboek."""
    if not opstelrun_overgang_toegestaan(run.status, status):
        raise ApplicationError(f"Een opstelrun die {run.get_status_display().lower()} is, kan niet meer wijzigen.")
    nu = timezone.now()
    run.status, run.foutmelding, run.klaar_op, run.voortgang_op = status, foutmelding[:500], nu, nu
    run.save(update_fields=["status", "foutmelding", "klaar_op", "voortgang_op"])
    if status == OpstelrunStatus.MISLUKT:
        logregel_voor_door(door=run.door, actie=Actie.WIJZIGEN, obj=run, doel=DOEL_FACTURATIE, resultaat=Resultaat.FOUT)
    return run


def opstelruns_stilgevallen(*, nu: dt.datetime | None = None) -> int:
    """For the hourly sweep: mark every stalled run mislukt, so that it blocks no new start."""
    nu = nu or timezone.now()
    grens = nu - stilstand()
    aantal = 0
    with transaction.atomic():
        stil = Opstelrun.objects.select_for_update(skip_locked=True).filter(
            Q(voortgang_op__lt=grens) | Q(voortgang_op__isnull=True, aangemaakt_op__lt=grens),
            status__in=OPSTELRUN_LOPEND,
        )
        for run in stil.select_related("door"):
            opstelrun_afsluiten(run=run, status=OpstelrunStatus.MISLUKT, foutmelding=ONDERBROKEN)
            logger.warning("opstelrun stilgevallen opstelrun_id=%s", run.pk)
            aantal += 1
    return aantal


def _beginnen(run_id: int) -> Opstelrun | None:
    """Mark the run bezig and count its convenants; ``None`` when there is nothing (more) to do."""
    with transaction.atomic():
        run = Opstelrun.objects.select_for_update().select_related("door", "gemeente").filter(pk=run_id).first()
        if run is None or not run.lopend:
            return None
        nu = timezone.now()
        run.status = OpstelrunStatus.BEZIG
        run.gestart_op = run.gestart_op or nu
        run.voortgang_op = nu
        # A redelivered run starts counting again; drafting again adds only what is still missing.
        run.convenanten_klaar = 0
        run.convenanten_totaal = convenanten_voor(jaar=run.jaar, gemeente=run.gemeente).count()
        run.save(update_fields=["status", "gestart_op", "voortgang_op", "convenanten_klaar", "convenanten_totaal"])
    return run


def _mislukt(run_id: int, foutmelding: str) -> None:
    with transaction.atomic():
        run = Opstelrun.objects.select_for_update().select_related("door").filter(pk=run_id).first()
        if run is not None and run.lopend:
            opstelrun_afsluiten(run=run, status=OpstelrunStatus.MISLUKT, foutmelding=foutmelding)


def _verwerken(run: Opstelrun) -> None:
    try:
        opstellen_controleren(jaar=run.jaar, door=run.door)
    except ApplicationError as exc:
        _mislukt(run.pk, exc.message)
        return
    for convenant in convenanten_voor(jaar=run.jaar, gemeente=run.gemeente):
        verslag = Opstelverslag()
        try:
            with transaction.atomic():
                convenant_opstellen(convenant=convenant, jaar=run.jaar, door=run.door, verslag=verslag)
                bijgewerkt = Opstelrun.objects.filter(pk=run.pk, status=OpstelrunStatus.BEZIG).update(
                    convenanten_klaar=F("convenanten_klaar") + 1,
                    nieuwe_regels=F("nieuwe_regels") + verslag.nieuwe_regels,
                    voortgang_op=timezone.now(),
                )
                if bijgewerkt:
                    run.facturen.add(*verslag.facturen)
        except ApplicationError as exc:
            _mislukt(run.pk, f"Convenant {convenant.naam}: {exc.message}")
            return
        except Exception:
            logger.exception("opstelrun mislukt opstelrun_id=%s convenant_id=%s", run.pk, convenant.pk)
            _mislukt(
                run.pk,
                f"Het opstellen van convenant {convenant.naam} is mislukt door een technische fout; voor dit "
                "convenant is niets opgeslagen. Wat eerder is opgesteld, blijft staan. Probeer het later opnieuw "
                "of neem contact op met platformbeheer.",
            )
            return
        if not bijgewerkt:  # marked mislukt (stalled) meanwhile: what was drafted stays, the run stops
            return
    with transaction.atomic():
        run = Opstelrun.objects.select_for_update().select_related("door").get(pk=run.pk)
        if run.status == OpstelrunStatus.BEZIG:
            opstelrun_afsluiten(run=run, status=OpstelrunStatus.KLAAR)


def opstelrun_uitvoeren(*, run_id: int) -> Opstelrun | None:
    """Do a queued run. Idempotent: a finished run is left alone, a run another worker is doing is left to
    it (session advisory lock, released when the worker's connection ends), a redelivered run resumes."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [SLOT_UITVOERING, run_id])
        if not cursor.fetchone()[0]:
            return None
    try:
        run = _beginnen(run_id)
        if run is None:
            return Opstelrun.objects.filter(pk=run_id).first()
        _verwerken(run)
        run.refresh_from_db()
        return run
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [SLOT_UITVOERING, run_id])
