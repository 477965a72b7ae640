"""Reads of the caseload, scoped to the user's Uitvoerder first: the queue, the own caseload, one dossier
decrypted for the Uitvoerder (the read is audited), and the team's work queues.

A dossier under restriction or objection is hidden from all of these (DOMAIN.md rule 4).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Case, Count, F, Max, Q, QuerySet, When
from django.http import Http404
from django.urls import reverse

from meldingen.doelen import DOEL_UITVOERING
from meldingen.intake.models import Melding
from meldingen.intake.voorbereiding import referentie_indexen
from meldpunt.audit.services import logregel_create
from meldpunt.core.models import OrganisatieType, Rol, User
from meldpunt.privacy.kluis import Kluis

from .models import BehandelaarWijziging, Dossier, Werkbak
from .workflow import OPEN_STATUSSEN, DossierStatus, MeldingType


def wachtrij_voor_uitvoerder(*, user: User) -> QuerySet[Any]:
    """Unclaimed dossiers of the Uitvoerder's convenants: EO first by eviction date, then minors, then oldest."""
    if user.organisatie.type != OrganisatieType.UITVOERDER:
        return Dossier.objects.none()
    return (
        Dossier.objects.filter(
            convenant__uitvoerder=user.organisatie, status=DossierStatus.NIEUW, afgeschermd_sinds__isnull=True
        )
        .select_related("convenant", "partner")
        .order_by(
            Case(When(type=MeldingType.EO, then=0), default=1),
            F("ontruimingsdatum").asc(nulls_last=True),
            F("heeft_minderjarigen").desc(),
            "aangemaakt_op",
        )
    )


def dossier_list_voor_uitvoerder(*, user: User) -> QuerySet[Any]:
    """The dossiers of the Uitvoerder's convenants the user may open (tenant first); views narrow it down.

    A teamleider sees the whole team's; a hulpverlener only their own caseload and the unclaimed queue
    (to claim from it): a colleague's dossier answers 404 (DOMAIN.md role table, least privilege). A dossier
    under restriction or objection is hidden from everyone (DOMAIN.md rule 4).
    """
    if user.organisatie.type != OrganisatieType.UITVOERDER:
        return Dossier.objects.none()
    qs = Dossier.objects.filter(convenant__uitvoerder=user.organisatie, afgeschermd_sinds__isnull=True)
    if not user.heeft_rol(Rol.TEAMLEIDER):
        qs = qs.filter(Q(behandelaar=user) | Q(behandelaar__isnull=True, status=DossierStatus.NIEUW))
    return qs.select_related("convenant", "partner", "behandelaar", "sleutel")


def mijn_dossiers(*, user: User) -> QuerySet[Any]:
    """The user's own open caseload, oldest claim first, with the number of contact attempts."""
    return (
        dossier_list_voor_uitvoerder(user=user)
        .filter(behandelaar=user, status__in=OPEN_STATUSSEN)
        .annotate(aantal_pogingen=Count("contactpogingen"), laatste_poging=Max("contactpogingen__datum"))
        .order_by("geclaimd_op")
    )


def dossier_get_om_te_claimen(*, user: User, pk: Any) -> Any:
    """A dossier of the Uitvoerder's convenants to claim, whoever has it: a claim of a dossier a colleague
    took meanwhile gets the clear "al opgepakt" message of the claim service, and nothing of its content."""
    if user.organisatie.type != OrganisatieType.UITVOERDER:
        raise Http404
    try:
        return Dossier.objects.get(pk=pk, convenant__uitvoerder=user.organisatie, afgeschermd_sinds__isnull=True)
    except (ObjectDoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def dossier_get_voor_uitvoerder(*, user: User, pk: Any) -> Any:
    try:
        return dossier_list_voor_uitvoerder(user=user).get(pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class Gebeurtenis:
    """One line of a dossier's history: when, what, by whom, and a typed reason (decrypted)."""

    tijdstip: dt.datetime
    tekst: str
    door: User | None = None
    reden: str = ""


def _persoon(gebruiker: User | None) -> str:
    return (gebruiker.get_full_name() or gebruiker.username) if gebruiker else "onbekend"


def _behandelaar_tekst(w: BehandelaarWijziging) -> str:
    if w.naar_id is None:
        return f"Teruggegeven aan de wachtrij (behandelaar was {_persoon(w.van)})"
    if w.van_id is None and w.naar_id == w.door_id:
        return f"Opgepakt door {_persoon(w.naar)}"
    if w.van_id is None:
        return f"Toegewezen aan {_persoon(w.naar)}"
    return f"Toegewezen aan {_persoon(w.naar)} (was {_persoon(w.van)})"


def dossier_geschiedenis(dossier: Dossier, kluis: Kluis) -> list[Gebeurtenis]:
    """Opening, every status change and every change of behandelaar, in time order."""
    regels = [Gebeurtenis(dossier.aangemaakt_op, "Dossier geopend (Nieuw)")]
    for w in dossier.statuswijzigingen.select_related("door"):
        reden = kluis.ontsleutel(w.reden, context=f"meldingen.statuswijziging:{dossier.pk}") if w.reden else ""
        regels.append(Gebeurtenis(w.tijdstip, f"{w.get_van_display()} → {w.get_naar_display()}", w.door, reden))
    for b in dossier.behandelaarwijzigingen.select_related("van", "naar", "door"):
        regels.append(Gebeurtenis(b.tijdstip, _behandelaar_tekst(b), b.door))
    return sorted(regels, key=lambda g: g.tijdstip)


@dataclass(frozen=True)
class DossierWeergave:
    dossier: Any
    meldingen: list[tuple[Melding, dict[str, Any]]]
    contactpogingen: list[tuple[Any, str]]
    geschiedenis: list[Gebeurtenis]


def dossier_weergave(*, dossier: Any, gebruiker: User, herkomst: str) -> DossierWeergave:
    """Decrypt what the Uitvoerder works with (meldingen, notes, reasons) and log the read."""
    kluis = Kluis(dossier.sleutel)
    meldingen = [
        (m, kluis.ontsleutel(m.gegevens, context=m.context))
        for m in dossier.meldingen.select_related("partner").order_by("ontvangen_op")
    ]
    pogingen = [
        (p, kluis.ontsleutel(p.notitie, context=f"meldingen.contactpoging:{p.pk}") if p.notitie else "")
        for p in dossier.contactpogingen.select_related("door").order_by("-datum", "-aangemaakt_op")
    ]
    logregel_create(
        actie="bekijken",
        object_type="meldingen.dossier",
        object_id=str(dossier.pk),
        gebruiker=gebruiker,
        convenant=dossier.convenant,
        herkomst=herkomst,
        doel=DOEL_UITVOERING,
    )
    return DossierWeergave(dossier, meldingen, pogingen, dossier_geschiedenis(dossier, kluis))


def werkbak_filter(werkbak: Any) -> Any:
    """The Q of a work queue's filters (combined with AND)."""
    q = Q()
    if werkbak.type:
        q &= Q(type=werkbak.type)
    if werkbak.alleen_minderjarigen:
        q &= Q(heeft_minderjarigen=True)
    if werkbak.bedrag_vanaf is not None:
        q &= Q(achterstand_bedrag__gte=werkbak.bedrag_vanaf)
    if werkbak.postcode_van is not None:
        q &= Q(postcode_cijfers__gte=werkbak.postcode_van)
    if werkbak.postcode_tot is not None:
        q &= Q(postcode_cijfers__lte=werkbak.postcode_tot)
    if werkbak.alleen_herhaald:
        q &= Q(herhaald=True)
    if werkbak.partner_id:
        q &= Q(partner_id=werkbak.partner_id)
    return q


def werkbakken_met_aantallen(*, user: User) -> list[tuple[Any, int]]:
    """The team's work queues with the number of waiting dossiers each, in one query."""
    werkbakken = list(Werkbak.objects.filter(organisatie=user.organisatie))
    if not werkbakken:
        return []
    aantallen = (
        wachtrij_voor_uitvoerder(user=user)
        .order_by()
        .aggregate(**{f"w{w.pk}": Count("pk", filter=werkbak_filter(w)) for w in werkbakken})
    )
    return [(w, aantallen[f"w{w.pk}"]) for w in werkbakken]


def werkbak_get(*, user: User, pk: Any) -> Any:
    try:
        return Werkbak.objects.get(organisatie=user.organisatie, pk=pk)
    except (Werkbak.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --- the team's overview and the search --------------------------------------------------------------------
#: Dossier numbers look like ``2026-0000123``; anything else is searched as the Partner's referentie.
DOSSIERNUMMER = re.compile(r"^\d{4}-\d{7}$")


def team_dossiers(
    *, user: User, behandelaar_id: int | None = None, zonder_behandelaar: bool = False, status: str = "", type: str = ""
) -> QuerySet[Any]:
    """The open dossiers of the whole team (the teamleider's overview), with what is due next.

    Annotated: ``aantal_pogingen``, ``laatste_poging``, and ``informatie_termijn`` (the art. 14 deadline while
    the letter is neither sent nor excepted). EO first by eviction date, then the nearest art. 14 deadline.
    """
    qs = dossier_list_voor_uitvoerder(user=user).filter(status__in=OPEN_STATUSSEN)
    if status in OPEN_STATUSSEN:
        qs = qs.filter(status=status)
    if type in MeldingType.values:
        qs = qs.filter(type=type)
    if zonder_behandelaar:
        qs = qs.filter(behandelaar__isnull=True)
    elif behandelaar_id is not None:
        qs = qs.filter(behandelaar_id=behandelaar_id)
    open_plicht = Q(informatieplicht__verstuurd_op__isnull=True, informatieplicht__uitzondering="")
    return qs.annotate(
        aantal_pogingen=Count("contactpogingen", distinct=True),
        laatste_poging=Max("contactpogingen__datum"),
        informatie_termijn=Case(When(open_plicht, then=F("informatieplicht__termijn_op")), default=None),
    ).order_by(
        Case(When(type=MeldingType.EO, then=0), default=1),
        F("ontruimingsdatum").asc(nulls_last=True),
        F("informatie_termijn").asc(nulls_last=True),
        "aangemaakt_op",
    )


def dossier_zoeken(*, user: User, zoekterm: str) -> QuerySet[Any]:
    """Dossiers of the user's Uitvoerder by dossier number or by the Partner's referentie, closed ones included.

    The referentie is never stored in the clear: it is compared through its keyed hash per convenant.
    """
    zoekterm = (zoekterm or "").strip()
    if not zoekterm:
        return Dossier.objects.none()
    qs = dossier_list_voor_uitvoerder(user=user)
    if DOSSIERNUMMER.match(zoekterm):
        qs = qs.filter(nummer=zoekterm)
    else:
        convenanten = user.organisatie.convenanten_als_uitvoerder.values_list("pk", flat=True)
        qs = qs.filter(referentie_index__in={i for pk in convenanten for i in referentie_indexen(pk, zoekterm)})
    return qs.order_by("-aangemaakt_op")


@dataclass(frozen=True)
class TeDoen:
    """What is due on a dossier: a task, where to do it, by when, and how it stands."""

    tekst: str
    url: str = ""
    termijn: dt.date | None = None
    #: ``verlopen``, ``binnenkort`` (within a week), ``open`` or ``klaar``.
    stand: str = "open"


def _stand(termijn: dt.date | None, vandaag: dt.date) -> str:
    if termijn is None:
        return "open"
    if termijn < vandaag:
        return "verlopen"
    return "binnenkort" if termijn <= vandaag + dt.timedelta(days=7) else "open"


def dossier_te_doen(*, dossier: Dossier, vandaag: dt.date) -> list[TeDoen]:
    """The dossier's next steps, most urgent first: reaching the tenant, the art. 14 letter, the rapportage."""
    if dossier.status in (DossierStatus.NIEUW, DossierStatus.AFGESLOTEN):
        return []
    taken: list[TeDoen] = []
    bereikt = dossier.contactpogingen.filter(bereikt=True).exists()
    if not bereikt:
        termijn = dossier.ontruimingsdatum if dossier.type == MeldingType.EO else None
        tekst = "Huurder bereiken" + (" vóór de ontruiming" if termijn else "")
        taken.append(TeDoen(tekst, "#contact", termijn, _stand(termijn, vandaag)))
    plicht = getattr(dossier, "informatieplicht", None)
    informatie_url = reverse("informatieplicht:detail", kwargs={"dossier_id": dossier.pk})
    if plicht is not None and plicht.afgehandeld:
        taken.append(TeDoen("Informatieplicht afgehandeld", informatie_url, stand="klaar"))
    elif plicht is not None:
        taken.append(
            TeDoen("Informatiebrief versturen", informatie_url, plicht.termijn_op, _stand(plicht.termijn_op, vandaag))
        )
    rapportage_url = reverse("rapportage:detail", kwargs={"dossier_id": dossier.pk})
    if dossier.rapportage_volledig:
        taken.append(TeDoen("Rapportage volledig", rapportage_url, stand="klaar"))
    else:
        taken.append(TeDoen("Rapportage schrijven", rapportage_url))
    if bereikt and dossier.rapportage_volledig:
        taken.append(TeDoen("Afsluiten: huurder bereikt en rapportage volledig", "#afsluiten"))
    volgorde = {"verlopen": 0, "binnenkort": 1, "open": 2, "klaar": 3}
    return sorted(taken, key=lambda t: (volgorde[t.stand], t.termijn or dt.date.max))
