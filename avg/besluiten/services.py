"""Deciding a request per participant's data, a supplementary decision when an exception lapses, and producing
the answer's documents (seed 002 §2.6). Carrying the decision out is in :mod:`avg.besluiten.uitvoering`; a
bezwaar against it in :mod:`avg.bezwaren`."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from meldingen.doelen import DOEL_AVG_VERZOEK
from meldpunt.audit.services import logregel_voor_door
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import User

from ..raadpleging.models import Raadpleging
from ..raadpleging.selectors import uitzonderingen_per_organisatie
from ..verzoeken.models import Verzoek
from ..verzoeken.services import status_zetten, vereis_contactpunt, vergrendel
from ..verzoeken.workflow import VerzoekStatus
from .models import AanvullendBesluit, Besluit, Pakket, Uitkomst
from .tasks import maak_antwoordpakket


@transaction.atomic
def verzoek_besluiten(*, verzoek: Verzoek, door: User) -> list[Besluit]:
    """Decide per participant: the categories to which a still applying exception of art. 41 UAVG was
    invoked are refused, the others granted (partial decisions). Every consultation must be answered or its
    term passed. The documents are made by the worker afterwards."""
    verzoek = vergrendel(verzoek)
    vereis_contactpunt(door, verzoek.gemeente_id)
    raadplegingen = list(Raadpleging.objects.filter(verzoek=verzoek).select_related("organisatie"))
    if not raadplegingen:
        raise ApplicationError("Raadpleeg eerst de deelnemers.")
    vandaag = timezone.localdate()
    open_ = [r for r in raadplegingen if r.beantwoord_op is None and r.termijn_op >= vandaag]
    if open_:
        namen = ", ".join(r.organisatie.naam for r in open_)
        raise ApplicationError(f"Wacht op het antwoord van {namen} (of tot de termijn is verstreken).")
    status_zetten(verzoek, VerzoekStatus.BESLOTEN)
    uitzonderingen = uitzonderingen_per_organisatie(verzoek)
    nu = timezone.now()
    besluiten = []
    for r in raadplegingen:
        geweigerd = [c for c in r.categorieen if c in uitzonderingen.get(r.organisatie_id, {})]
        toegewezen = [c for c in r.categorieen if c not in geweigerd]
        uitkomst = Uitkomst.AFGEWEZEN if not toegewezen else Uitkomst.GEDEELTELIJK if geweigerd else Uitkomst.TOEGEWEZEN
        besluiten.append(
            Besluit.objects.create(
                verzoek=verzoek,
                organisatie=r.organisatie,
                uitkomst=uitkomst,
                toegewezen=toegewezen,
                geweigerd=geweigerd,
                besloten_op=nu,
                besloten_door=door,
            )
        )
    verzoek.besloten_op = vandaag
    verzoek.save(update_fields=["status", "besloten_op"])
    pakket_aanvragen(verzoek=verzoek)
    logregel_voor_door(door=door, actie="wijzigen", obj=verzoek, doel=DOEL_AVG_VERZOEK)
    return besluiten


def verzoek_uitkomst(verzoek: Verzoek) -> str:
    """The outcome of the whole request, for the annual counts."""
    uitkomsten = set(Besluit.objects.filter(verzoek=verzoek).values_list("uitkomst", flat=True))
    if not uitkomsten:
        return ""
    if uitkomsten == {Uitkomst.TOEGEWEZEN}:
        return Uitkomst.TOEGEWEZEN
    if uitkomsten == {Uitkomst.AFGEWEZEN}:
        return Uitkomst.AFGEWEZEN
    return Uitkomst.GEDEELTELIJK


def pakket_aanvragen(*, verzoek: Verzoek) -> Pakket:
    """(Re)make the answer's documents in the background (after commit)."""
    pakket, _ = Pakket.objects.update_or_create(
        verzoek=verzoek, defaults={"aangevraagd_op": timezone.now(), "gemaakt_op": None}
    )
    maak_antwoordpakket.delay_on_commit(verzoek.pk)
    return pakket


def vervallen_weigeringen(verzoek: Verzoek) -> dict[int, list[str]]:
    """Besluit id → the refused categories whose exception no longer applies (a supplementary decision is due)."""
    if verzoek.besloten_op is None:
        return {}
    gelden = uitzonderingen_per_organisatie(verzoek)
    uit: dict[int, list[str]] = {}
    for besluit in Besluit.objects.filter(verzoek=verzoek):
        vervallen = [c for c in besluit.geweigerd if c not in gelden.get(besluit.organisatie_id, {})]
        if vervallen:
            uit[besluit.pk] = vervallen
    return uit


@transaction.atomic
def aanvullend_besluiten(*, verzoek: Verzoek, door: User) -> list[AanvullendBesluit]:
    """A supplementary decision (seed 002 §2.6): what was refused only because of an exception that no longer
    applies is granted now. The decision per participant is brought up to date, the letter and — for inzage —
    the package are made again with the data now granted; a granted erasure is carried out by
    :func:`avg.besluiten.uitvoering.aanvulling_uitvoeren` once the package is ready."""
    verzoek = vergrendel(verzoek)
    vereis_contactpunt(door, verzoek.gemeente_id)
    if verzoek.besloten_op is None:
        raise ApplicationError("Een aanvullend besluit kan pas na het besluit.")
    vervallen = vervallen_weigeringen(verzoek)
    if not vervallen:
        raise ApplicationError("Er is geen uitzondering vervallen waarover nog niet aanvullend is besloten.")
    nu = timezone.now()
    aanvullingen = []
    for besluit in Besluit.objects.select_for_update().filter(pk__in=list(vervallen)).order_by("pk"):
        nu_toegewezen = vervallen[besluit.pk]
        eerder = besluit.uitkomst
        besluit.geweigerd = [c for c in besluit.geweigerd if c not in nu_toegewezen]
        besluit.toegewezen = [*besluit.toegewezen, *nu_toegewezen]
        besluit.uitkomst = Uitkomst.GEDEELTELIJK if besluit.geweigerd else Uitkomst.TOEGEWEZEN
        besluit.save(update_fields=["geweigerd", "toegewezen", "uitkomst"])
        aanvullingen.append(
            AanvullendBesluit.objects.create(
                besluit=besluit, toegewezen=nu_toegewezen, eerder_uitkomst=eerder, besloten_op=nu, besloten_door=door
            )
        )
    pakket_aanvragen(verzoek=verzoek)
    logregel_voor_door(door=door, actie="wijzigen", obj=verzoek, doel=DOEL_AVG_VERZOEK)
    return aanvullingen
