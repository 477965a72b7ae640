"""Starting a drafting run (on the worker), issuing invoices (gapless numbers in the issuing transaction,
snapshots) and credit invoices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from sequences import get_next_value

from meldpunt.audit.models import Actie
from meldpunt.audit.services import logregel_voor_door
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Organisatie, Rol, User

from .models import Factuur, FactuurRegel, Opstelrun
from .opstellen import DOEL_FACTURATIE, convenanten_voor, opstellen_controleren
from .opstelrun import ONDERBROKEN, is_stilgevallen, opstelrun_afsluiten
from .tasks import opstelrun_verwerken
from .workflow import OPSTELRUN_LOPEND, FactuurStatus, OpstelrunStatus, RegelStatus, factuur_overgang_toegestaan

BETAALTERMIJN_DAGEN = 30

#: Advisory lock class of starting a Gemeente's drafting run (see opstelrun.py).
SLOT_START = 16


def opstelrun_start(*, jaar: int, door: User) -> tuple[Opstelrun, bool]:
    """Queue the drafting of ``jaar`` for ``door``'s Gemeente on the worker: ``(run, True)``.

    A run of the same Gemeente and year that is still queued or running is returned instead, ``(run, False)``;
    one that has stalled (no progress for longer than the broker's visibility timeout) is marked mislukt
    first and a new one is started.
    """
    opstellen_controleren(jaar=jaar, door=door)
    gemeente = door.organisatie
    with transaction.atomic():
        with connection.cursor() as cursor:  # two starts at once: the second sees the first's run
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [SLOT_START, gemeente.pk])
        lopend = (
            Opstelrun.objects.select_for_update()
            .select_related("door")
            .filter(gemeente=gemeente, jaar=jaar, status__in=OPSTELRUN_LOPEND)
            .first()
        )
        if lopend is not None:
            if not is_stilgevallen(lopend):
                return lopend, False
            opstelrun_afsluiten(run=lopend, status=OpstelrunStatus.MISLUKT, foutmelding=ONDERBROKEN)
        run = Opstelrun.objects.create(
            gemeente=gemeente,
            jaar=jaar,
            door=door,
            convenanten_totaal=convenanten_voor(jaar=jaar, gemeente=gemeente).count(),
        )
        logregel_voor_door(door=door, actie=Actie.AANMAKEN, obj=run, doel=DOEL_FACTURATIE)
        opstelrun_verwerken.delay_on_commit(run.pk)
    return run, True


def reeks_voorvoegsel(gemeente: Organisatie) -> str:
    """``DIEMEN`` for the Gemeente with short name ``gemeente-diemen``."""
    return gemeente.slug.removeprefix("gemeente-").upper()


def volgend_nummer(*, gemeente: Organisatie, jaar: int) -> tuple[str, int]:
    """The next number of the Gemeente's series for ``jaar``: a row lock on the series' counter, held until
    the surrounding transaction ends, so numbers follow without gaps or duplicates (django-sequences)."""
    volgnummer = get_next_value(f"facturatie:{gemeente.pk}:{jaar}")
    return f"{reeks_voorvoegsel(gemeente)}-{jaar}-{volgnummer:04d}", volgnummer


def gegevens_van(organisatie: Organisatie) -> dict[str, str]:
    """The snapshot of an organisation's invoice details."""
    return {
        "naam": organisatie.naam,
        "postadres": organisatie.postadres,
        "postcode": organisatie.postcode,
        "plaats": organisatie.plaats,
        "kvk_nummer": organisatie.kvk_nummer,
        "oin": organisatie.oin,
        "iban": organisatie.iban,
        "financieel_contact": organisatie.financieel_contact,
        "financieel_email": organisatie.financieel_email,
    }


def _vereis_financien(door: User, factuur: Factuur) -> None:
    if not door.heeft_rol(Rol.FINANCIEN) or door.organisatie_id != factuur.gemeente_id:
        raise ApplicationError("Alleen financiën van de gemeente geeft facturen uit.")


def _controleer_gegevens(factuur: Factuur) -> None:
    gemeente, ontvanger = factuur.gemeente, factuur.ontvanger
    ontbreekt = []
    if not gemeente.factuurgegevens_compleet or not gemeente.iban:
        ontbreekt.append(f"{gemeente.naam} (adres, KvK-nummer of OIN, IBAN)")
    if not ontvanger.factuurgegevens_compleet:
        ontbreekt.append(f"{ontvanger.naam} (adres, KvK-nummer of OIN)")
    if ontbreekt:
        raise ApplicationError(
            "De factuurgegevens zijn niet compleet: " + "; ".join(ontbreekt) + ". Platformbeheer vult ze aan."
        )


def _afronden(factuur: Factuur, *, door: User, factuurdatum: dt.date) -> Factuur:
    """Number, snapshot and mark issued: the row's last change (the trigger refuses any after it)."""
    factuur.nummer, factuur.volgnummer = volgend_nummer(gemeente=factuur.gemeente, jaar=factuur.jaar)
    factuur.totaal = factuur.regels.aggregate(s=Sum("bedrag"))["s"] or Decimal("0.00")
    factuur.factuurdatum = factuurdatum
    factuur.vervaldatum = factuurdatum + dt.timedelta(days=BETAALTERMIJN_DAGEN)
    factuur.uitgegeven_op = timezone.now()
    factuur.uitgegeven_door = door
    factuur.afzender_gegevens = gegevens_van(factuur.gemeente)
    factuur.ontvanger_gegevens = gegevens_van(factuur.ontvanger)
    factuur.status = FactuurStatus.UITGEGEVEN
    factuur.save()
    return factuur


@transaction.atomic
def factuur_uitgeven(*, factuur: Factuur, door: User, factuurdatum: dt.date | None = None) -> Factuur:
    """Issue a draft: disputed lines stay out (they wait for the next invoice), the rest is numbered and frozen."""
    factuur = Factuur.objects.select_for_update().select_related("gemeente", "ontvanger").get(pk=factuur.pk)
    _vereis_financien(door, factuur)
    if not factuur_overgang_toegestaan(factuur.status, FactuurStatus.UITGEGEVEN):
        raise ApplicationError("Deze factuur is al uitgegeven.")
    _controleer_gegevens(factuur)
    regels = FactuurRegel.objects.select_for_update().filter(factuur=factuur)
    list(regels)  # lock the lines: a dispute saved meanwhile waits for this transaction
    regels.filter(status=RegelStatus.BETWIST).update(factuur=None)
    if not regels.exclude(status=RegelStatus.BETWIST).exists():
        raise ApplicationError("Er staan geen onbetwiste regels op deze factuur; er is niets uit te geven.")
    _afronden(factuur, door=door, factuurdatum=factuurdatum or timezone.localdate())
    logregel_voor_door(door=door, actie=Actie.WIJZIGEN, obj=factuur, doel=DOEL_FACTURATIE)
    return factuur


@transaction.atomic
def creditfactuur_create(
    *, factuur: Factuur, door: User, regel_ids: Iterable[int] | None = None, factuurdatum: dt.date | None = None
) -> Factuur:
    """A credit invoice for ``factuur`` (all lines, or those of ``regel_ids``): negated copies of the lines,
    referring to the original, issued at once with the next number of the same series."""
    origineel = Factuur.objects.select_for_update().select_related("gemeente", "ontvanger").get(pk=factuur.pk)
    _vereis_financien(door, origineel)
    if origineel.status != FactuurStatus.UITGEGEVEN or origineel.is_credit:
        raise ApplicationError("Alleen een uitgegeven factuur kan worden gecrediteerd.")
    regels = origineel.regels.all()
    if regel_ids is not None:
        regels = regels.filter(pk__in=list(regel_ids))
    al_gecrediteerd = set(
        FactuurRegel.objects.filter(factuur__credit_van=origineel).values_list("dossier_id", flat=True)
    )
    te_crediteren = [r for r in regels if r.dossier_id not in al_gecrediteerd]
    if not te_crediteren:
        raise ApplicationError(
            "Kies de regels die u wilt crediteren.", extra={"regels": ["Geen (nog niet gecrediteerde) regels gekozen."]}
        )
    credit = Factuur.objects.create(
        soort=origineel.soort,
        convenant_id=origineel.convenant_id,
        gemeente=origineel.gemeente,
        ontvanger=origineel.ontvanger,
        jaar=origineel.jaar,
        credit_van=origineel,
    )
    FactuurRegel.objects.bulk_create(
        [
            FactuurRegel(
                factuur=credit,
                soort=r.soort,
                convenant_id=r.convenant_id,
                ontvanger_id=r.ontvanger_id,
                dossier_id=r.dossier_id,
                dossiernummer=r.dossiernummer,
                dossiertype=r.dossiertype,
                afgesloten_op=r.afgesloten_op,
                jaar=r.jaar,
                bedrag=-r.bedrag,
                credit=True,
            )
            for r in te_crediteren
        ]
    )
    _afronden(credit, door=door, factuurdatum=factuurdatum or timezone.localdate())
    logregel_voor_door(door=door, actie=Actie.AANMAKEN, obj=credit, doel=DOEL_FACTURATIE)
    return credit
