"""Deciding a request per participant's data, producing the answer's documents, and bezwaar (seed 002 §2.6,
§2.9). Carrying the decision out is in :mod:`avg.besluiten.uitvoering`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from meldingen.bewaring.services import bewaarblokkade_instellen, bewaarblokkaden_voor_bron_opheffen
from meldingen.bewaring.workflow import BlokkadeGrond
from meldingen.doelen import DOEL_AVG_VERZOEK
from meldpunt.audit.services import logregel_voor_door
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import User

from ..raadpleging.models import Raadpleging
from ..raadpleging.selectors import uitzonderingen_per_organisatie
from ..verzoeken.models import Verzoek, VerzoekDossier
from ..verzoeken.services import BRON_BEZWAAR, status_zetten, vereis_contactpunt, vergrendel
from ..verzoeken.workflow import VerzoekStatus
from .models import Besluit, Bezwaar, BezwaarUitkomst, Pakket, Uitkomst, bezwaartermijn_einde
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


@transaction.atomic
def bezwaar_registreren(*, verzoek: Verzoek, door: User, ontvangen_op: dt.date | None) -> Bezwaar:
    """Register a bezwaar against the decision; the request's dossiers are kept beyond their retention term
    until it is decided (holds with grond ``bezwaar``, bron ``avg_bezwaar``, bron_id the bezwaar's pk)."""
    verzoek = vergrendel(verzoek)
    vereis_contactpunt(door, verzoek.gemeente_id)
    if verzoek.besloten_op is None:
        raise ApplicationError("Bezwaar kan pas tegen een besluit.")
    if not isinstance(ontvangen_op, dt.date):
        raise ApplicationError("Vul de datum van ontvangst in.", extra={"ontvangen_op": ["Vul de datum in."]})
    if ontvangen_op > timezone.localdate() or ontvangen_op < verzoek.besloten_op:
        raise ApplicationError(
            "De datum klopt niet.", extra={"ontvangen_op": ["Tussen de datum van het besluit en vandaag."]}
        )
    if Bezwaar.objects.filter(verzoek=verzoek, beslist_op__isnull=True).exists():
        raise ApplicationError("Er loopt al een bezwaar tegen dit besluit.")
    bezwaar = Bezwaar.objects.create(
        verzoek=verzoek,
        ontvangen_op=ontvangen_op,
        binnen_termijn=ontvangen_op <= bezwaartermijn_einde(verzoek.besloten_op),
        geregistreerd_door=door,
        geregistreerd_op=timezone.now(),
    )
    logregel_voor_door(door=door, actie="aanmaken", obj=bezwaar, doel=DOEL_AVG_VERZOEK)
    for koppeling in VerzoekDossier.objects.filter(verzoek=verzoek, dossier__vernietigd_op__isnull=True):
        bewaarblokkade_instellen(
            dossier=koppeling.dossier,
            grond=BlokkadeGrond.BEZWAAR,
            door=door,
            reden=f"Bezwaar tegen besluit op AVG-verzoek {verzoek.nummer}",
            bron=BRON_BEZWAAR,
            bron_id=str(bezwaar.pk),
        )
    return bezwaar


@transaction.atomic
def bezwaar_beslissen(*, bezwaar: Bezwaar, door: User, uitkomst: str, beslist_op: dt.date | None) -> Bezwaar:
    """The decision on the bezwaar; the holds it set are lifted."""
    bezwaar = Bezwaar.objects.select_for_update().select_related("verzoek").get(pk=bezwaar.pk)
    vereis_contactpunt(door, bezwaar.verzoek.gemeente_id)
    if bezwaar.beslist_op is not None:
        raise ApplicationError("Op dit bezwaar is al beslist.")
    fouten: dict[str, list[str]] = {}
    if uitkomst not in BezwaarUitkomst.values:
        fouten["uitkomst"] = ["Kies de uitkomst."]
    if not isinstance(beslist_op, dt.date):
        fouten["beslist_op"] = ["Vul de datum in."]
    elif beslist_op > timezone.localdate() or beslist_op < bezwaar.ontvangen_op:
        fouten["beslist_op"] = ["Tussen de ontvangst van het bezwaar en vandaag."]
    if fouten:
        raise ApplicationError("De beslissing is niet vastgelegd.", extra=fouten)
    bezwaar.uitkomst = uitkomst
    bezwaar.beslist_op = beslist_op
    bezwaar.beslist_door = door
    bezwaar.save(update_fields=["uitkomst", "beslist_op", "beslist_door"])
    bewaarblokkaden_voor_bron_opheffen(bron=BRON_BEZWAAR, bron_id=str(bezwaar.pk), door=door)
    logregel_voor_door(door=door, actie="wijzigen", obj=bezwaar, doel=DOEL_AVG_VERZOEK)
    return bezwaar
