"""Drafting: per convenant × Partner × year a cofinancieringsfactuur, per convenant × year a subsidie-afrekening.

One line per dossier closed in the year with resultaat bereikt (a reached contact attempt and a complete
rapportage: plain columns, never an encrypted one), at the rates of that year's convenant version. Drafting
again adds only dossiers not yet on a line of that kind, so it changes nothing when nothing is new; a line
whose dispute was resolved after its invoice was issued moves to the next draft.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from convenants.models import Convenant
from meldingen.dossiers.models import Contactpoging, Dossier
from meldingen.dossiers.workflow import DossierStatus, MeldingType
from meldingen.rapportage.models import Rapportage
from meldpunt.audit.models import Actie
from meldpunt.audit.services import logregel_voor_door
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Organisatie, Rol, User

from .models import Factuur, FactuurRegel, Opstelronde
from .workflow import FactuurSoort, FactuurStatus, RegelStatus

DOEL_FACTURATIE = "facturatie"


@dataclass
class Opstelverslag:
    """What a drafting run did: the drafts it touched and how many lines it added."""

    facturen: list[Factuur] = field(default_factory=list)
    nieuwe_regels: int = 0


def jaargrenzen(jaar: int) -> tuple[dt.datetime, dt.datetime]:
    """The start of ``jaar`` and of the next year, in the project's local time zone."""
    tz = timezone.get_current_timezone()
    return dt.datetime(jaar, 1, 1, tzinfo=tz), dt.datetime(jaar + 1, 1, 1, tzinfo=tz)


def bereikte_dossiers(convenant: Convenant, jaar: int) -> QuerySet[Dossier]:
    """Dossiers of ``convenant`` closed in ``jaar`` with resultaat bereikt (the anonymous record only)."""
    van, tot = jaargrenzen(jaar)
    return Dossier.objects.filter(
        Exists(Contactpoging.objects.filter(dossier=OuterRef("pk"), bereikt=True)),
        Exists(Rapportage.objects.filter(dossier=OuterRef("pk"), volledig=True)),
        convenant=convenant,
        status=DossierStatus.AFGESLOTEN,
        afgesloten_op__gte=van,
        afgesloten_op__lt=tot,
    )


def _nog_niet_gefactureerd(qs: QuerySet[Dossier], soort: str) -> QuerySet[Dossier]:
    return qs.exclude(Exists(FactuurRegel.objects.filter(dossier=OuterRef("pk"), soort=soort, credit=False)))


def _concept(*, soort: str, convenant: Convenant, ontvanger_id: int, jaar: int) -> Factuur:
    factuur = Factuur.objects.filter(
        soort=soort,
        convenant=convenant,
        ontvanger_id=ontvanger_id,
        jaar=jaar,
        status=FactuurStatus.CONCEPT,
        credit_van__isnull=True,
    ).first()
    if factuur is None:
        factuur = Factuur.objects.create(
            soort=soort, convenant=convenant, gemeente_id=convenant.gemeente_id, ontvanger_id=ontvanger_id, jaar=jaar
        )
    return factuur


def _opstellen_voor_convenant(convenant: Convenant, jaar: int, verslag: Opstelverslag, door: User | None) -> None:
    parameters = convenant.parameters_voor(jaar)
    if parameters is None:
        return
    # One drafting at a time per convenant: a second run waits, then finds the dossiers already on lines.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [15, convenant.pk])
    tz = timezone.get_current_timezone()
    bereikt = bereikte_dossiers(convenant, jaar)
    soorten = (
        (FactuurSoort.COFINANCIERING, bereikt.filter(type=MeldingType.VEO), parameters.tarief_cofinanciering),
        (FactuurSoort.SUBSIDIE, bereikt, parameters.tarief_interventie),
    )
    for soort, qs, tarief in soorten:
        per_ontvanger: dict[int, list[dict[str, Any]]] = {}
        for rij in _nog_niet_gefactureerd(qs, soort).values("id", "nummer", "type", "afgesloten_op", "partner_id"):
            ontvanger_id = rij["partner_id"] if soort == FactuurSoort.COFINANCIERING else convenant.uitvoerder_id
            per_ontvanger.setdefault(ontvanger_id, []).append(dict(rij))
        wachtend = FactuurRegel.objects.filter(
            factuur__isnull=True, soort=soort, convenant=convenant, status=RegelStatus.OPGELOST, jaar__lte=jaar
        )
        for ontvanger_id in wachtend.values_list("ontvanger_id", flat=True).distinct():
            per_ontvanger.setdefault(ontvanger_id, [])
        for ontvanger_id, rijen in sorted(per_ontvanger.items()):
            factuur = _concept(soort=soort, convenant=convenant, ontvanger_id=ontvanger_id, jaar=jaar)
            FactuurRegel.objects.bulk_create(
                [
                    FactuurRegel(
                        factuur=factuur,
                        soort=soort,
                        convenant=convenant,
                        ontvanger_id=ontvanger_id,
                        dossier_id=rij["id"],
                        dossiernummer=str(rij["nummer"]),
                        dossiertype=str(rij["type"]),
                        afgesloten_op=rij["afgesloten_op"].astimezone(tz).date(),
                        jaar=jaar,
                        bedrag=Decimal(tarief),
                    )
                    for rij in rijen
                ],
                batch_size=5000,
            )
            wachtend.filter(ontvanger_id=ontvanger_id).update(factuur=factuur)
            verslag.nieuwe_regels += len(rijen)
            verslag.facturen.append(factuur)
            logregel_voor_door(door=door, actie=Actie.AANMAKEN, obj=factuur, doel=DOEL_FACTURATIE)


def opstellen_controleren(*, jaar: int, door: User | None) -> None:
    """Refuse a drafting by anyone but financien, or of a year that has not ended yet."""
    if door is not None and not door.heeft_rol(Rol.FINANCIEN):
        raise ApplicationError("Alleen financiën stelt facturen op.")
    vandaag = timezone.localdate()
    if not 2000 <= jaar < vandaag.year:
        raise ApplicationError(
            "Facturen worden opgesteld over een afgelopen jaar.",
            extra={"jaar": [f"Kies een jaar vóór {vandaag.year}."]},
        )


def convenanten_voor(*, jaar: int, gemeente: Organisatie | None) -> QuerySet[Convenant]:
    """The convenants of ``gemeente`` (or of every Gemeente) that ran in ``jaar``, in a fixed order."""
    convenanten = Convenant.objects.filter(startdatum__lt=dt.date(jaar + 1, 1, 1)).filter(
        Q(einddatum__isnull=True) | Q(einddatum__gte=dt.date(jaar, 1, 1))
    )
    if gemeente is not None:
        convenanten = convenanten.filter(gemeente=gemeente)
    return convenanten.order_by("naam", "pk")


def convenant_opstellen(*, convenant: Convenant, jaar: int, door: User | None, verslag: Opstelverslag) -> None:
    """Draft ``jaar`` for one convenant in one transaction: all its lines, or (on an error) none."""
    with transaction.atomic():
        _opstellen_voor_convenant(convenant, jaar, verslag, door)


def facturen_opstellen(*, jaar: int, door: User | None, gemeente: Organisatie | None = None) -> Opstelverslag:
    """Draft ``jaar`` for the convenants of ``gemeente`` (financien), or of every Gemeente (beat job)."""
    opstellen_controleren(jaar=jaar, door=door)
    if door is not None:
        gemeente = door.organisatie
    verslag = Opstelverslag()
    for convenant in convenanten_voor(jaar=jaar, gemeente=gemeente):
        convenant_opstellen(convenant=convenant, jaar=jaar, door=door, verslag=verslag)
    return verslag


def jaarronde_uitvoeren(*, vandaag: dt.date, maand: int, dag: int) -> Opstelronde | None:
    """The beat job's sweep: from ``dag``-``maand`` on, draft the previous year once (a missed tick drafts
    at the next one; a second tick finds the round recorded)."""
    if vandaag < dt.date(vandaag.year, maand, dag):
        return None
    jaar = vandaag.year - 1
    if Opstelronde.objects.filter(jaar=jaar).exists():
        return None
    facturen_opstellen(jaar=jaar, door=None)
    ronde, _ = Opstelronde.objects.get_or_create(jaar=jaar, defaults={"uitgevoerd_op": timezone.now()})
    return ronde
