"""The information duty of art. 14 AVG: the letter to the tenant, recording it, and the reminder sweep.

Claiming a dossier starts the joint processing and the clock (``services._start_informatieplicht``:
``termijn_op`` = claim date + the convenant's ``informatieplicht_maanden``). The Uitvoerder then either
sends the information letter (generated here from the convenant's own data, stored encrypted under the
dossier's key) and records the date, or records one of the exceptions of art. 14(5) with a motivation
(encrypted under the dossier's key).

Reminders are driven by a frequent beat sweep over the database (``stuur_informatieplicht_herinneringen``,
docs/adr/0004-celery.md): seven days before ``termijn_op`` and once after it has passed, the behandelaar
gets an e-mail with dossier numbers only. The "sent" flags on :class:`Informatieplicht` are set in the
same transaction as the sending, under a row lock: a missed tick reminds at the next one, a repeated
tick never twice. Closed dossiers and dossiers whose duty is done get no reminders.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from convenants.models import ConvenantParameters
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import OrganisatieType, Rol, User
from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.models import VersleuteldBestand

from .models import Dossier, Informatieplicht, InformatieplichtUitzondering
from .workflow import OPEN_STATUSSEN

logger = logging.getLogger(__name__)

DOEL = "informatieplicht art. 14 AVG"
BRIEF_SOORT = "informatiebrief"
#: The first reminder goes out this many days before ``termijn_op``.
HERINNERING_DAGEN_VOOR = 7
MAX_TOELICHTING = 5000


def _toelichting_context(dossier: Dossier) -> str:
    return f"meldingen.informatieplicht:{dossier.pk}:toelichting"


# --- reads ---------------------------------------------------------------------------------------
def dossier_voor_informatieplicht(*, user: User, dossier_id: Any) -> Dossier:
    """A dossier of the user's Uitvoerder (404 for another organisation's or a missing dossier)."""
    from django.core.exceptions import ValidationError

    if user.organisatie.type != OrganisatieType.UITVOERDER:
        raise Http404
    try:
        return (
            Dossier.objects.filter(convenant__uitvoerder=user.organisatie, afgeschermd_sinds__isnull=True)
            .select_related("convenant__gemeente", "convenant__uitvoerder", "partner", "behandelaar", "sleutel")
            .get(pk=dossier_id)
        )
    except (Dossier.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def informatieplicht_van(dossier: Dossier) -> Informatieplicht | None:
    return Informatieplicht.objects.filter(dossier=dossier).select_related("vastgelegd_door").first()


def toelichting_lezen(informatieplicht: Informatieplicht) -> str:
    """The decrypted motivation of an exception (callers audit the read)."""
    if not informatieplicht.toelichting:
        return ""
    dossier = informatieplicht.dossier
    return Kluis(dossier.sleutel).ontsleutel(informatieplicht.toelichting, context=_toelichting_context(dossier))


def laatste_informatiebrief(dossier: Dossier) -> VersleuteldBestand | None:
    return (
        VersleuteldBestand.objects.filter(sleutel_id=dossier.sleutel_id, soort=BRIEF_SOORT)
        .order_by("-aangemaakt_op")
        .first()
    )


# --- the letter ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Bewaartermijnen:
    uitvoerder_maanden: int
    gemeente_maanden: int


def _bewaartermijnen(dossier: Dossier, jaar: int) -> Bewaartermijnen:
    parameters = dossier.convenant.parameters_voor(jaar) or ConvenantParameters()
    return Bewaartermijnen(parameters.bewaartermijn_uitvoerder_maanden, parameters.bewaartermijn_gemeente_maanden)


def informatiebrief_context(*, dossier: Dossier, datum: dt.date | None = None) -> dict[str, Any]:
    """Everything the letter says, from the convenant's data and the dossier's first melding."""
    datum = datum or timezone.localdate()
    melding = dossier.meldingen.order_by("ontvangen_op", "pk").first()
    if melding is None or melding.gegevens is None:
        raise ApplicationError("Dit dossier bevat geen gegevens van de huurder.")
    gegevens = Kluis(dossier.sleutel).ontsleutel(melding.gegevens, context=melding.context)
    huurder = gegevens.get("huurder", {})
    adres = gegevens.get("adres", {})
    convenant = dossier.convenant
    return {
        "datum": datum,
        "dossier": dossier,
        "convenant": convenant,
        "gemeente": convenant.gemeente,
        "partner": dossier.partner,
        "uitvoerder": convenant.uitvoerder,
        "bewaartermijnen": _bewaartermijnen(dossier, datum.year),
        "huurder_naam": " ".join(
            d for d in (huurder.get("voornamen") or huurder.get("voorletters"), huurder.get("achternaam")) if d
        ),
        "adres_regel": " ".join(
            str(d) for d in (adres.get("straat", ""), adres.get("huisnummer", ""), adres.get("toevoeging", "")) if d
        ),
        "postcode_plaats": " ".join(d for d in (adres.get("postcode", ""), adres.get("woonplaats", "")) if d),
        "is_eo": dossier.type == "EO",
        "uitzonderingen": [c for c in InformatieplichtUitzondering if c.value],
    }


def informatiebrief_html(*, dossier: Dossier, datum: dt.date | None = None) -> str:
    return render_to_string(
        "meldingen/informatieplicht/brief.html", informatiebrief_context(dossier=dossier, datum=datum)
    )


def informatiebrief_pdf(html: str) -> bytes:
    """Render the letter's HTML with WeasyPrint (imported lazily: it is heavy and needs system libraries)."""
    from weasyprint import CSS, HTML

    css = render_to_string("meldingen/informatieplicht/brief.css")
    return HTML(string=html).write_pdf(stylesheets=[CSS(string=css)])


# --- writes --------------------------------------------------------------------------------------
def _vergrendeld(dossier: Dossier) -> tuple[Dossier, Informatieplicht]:
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("convenant__gemeente", "convenant__uitvoerder", "partner", "sleutel")
        .get(pk=dossier.pk)
    )
    if dossier.afgeschermd_sinds is not None:
        raise ApplicationError("Dit dossier is afgeschermd (beperking of bezwaar) en kan niet worden gewijzigd.")
    plicht = Informatieplicht.objects.select_for_update().filter(dossier=dossier).first()
    if plicht is None:
        raise ApplicationError("De informatieplicht begint pas als het dossier is opgepakt.")
    return dossier, plicht


def _vereis_behandelaar_of_teamleider(door: User, dossier: Dossier) -> None:
    if (
        door.organisatie_id != dossier.convenant.uitvoerder_id
        or not door.heeft_rol(Rol.HULPVERLENER, Rol.TEAMLEIDER)
        or (dossier.behandelaar_id != door.pk and not door.heeft_rol(Rol.TEAMLEIDER))
    ):
        raise ApplicationError("Alleen de behandelaar of een teamleider legt de informatieplicht vast.")
    if dossier.vernietigd_op is not None or dossier.sleutel.vernietigd:
        raise ApplicationError("De gegevens van dit dossier zijn vernietigd.")


@transaction.atomic
def informatiebrief_maken(*, dossier: Dossier, door: User) -> VersleuteldBestand:
    """Generate the letter as PDF and store it encrypted under the dossier's key (a new version each time)."""
    from meldpunt.audit.services import logregel_voor_door
    from meldpunt.privacy.services import versleuteld_bestand_create

    dossier, _ = _vergrendeld(dossier)
    _vereis_behandelaar_of_teamleider(door, dossier)
    pdf = informatiebrief_pdf(informatiebrief_html(dossier=dossier))
    bestand = versleuteld_bestand_create(
        sleutel=dossier.sleutel,
        soort=BRIEF_SOORT,
        naam=f"informatiebrief-{dossier.nummer}.pdf",
        mime="application/pdf",
        inhoud=pdf,
    )
    logregel_voor_door(door=door, actie="aanmaken", obj=dossier, doel=DOEL)
    return bestand


@transaction.atomic
def informatieplicht_verstuurd(*, dossier: Dossier, door: User, verstuurd_op: dt.date) -> Informatieplicht:
    """Record the date the letter was sent: not in the future and not before the dossier was claimed."""
    from meldpunt.audit.services import logregel_voor_door

    dossier, plicht = _vergrendeld(dossier)
    _vereis_behandelaar_of_teamleider(door, dossier)
    if plicht.verstuurd_op is not None:
        raise ApplicationError(f"De verzending is al vastgelegd ({plicht.verstuurd_op:%d-%m-%Y}).")
    if verstuurd_op > timezone.localdate():
        raise ApplicationError(
            "De informatieplicht is niet vastgelegd.", extra={"verstuurd_op": ["De datum ligt in de toekomst."]}
        )
    if verstuurd_op < plicht.gestart_op:
        raise ApplicationError(
            "De informatieplicht is niet vastgelegd.",
            extra={"verstuurd_op": [f"De datum ligt vóór het oppakken ({plicht.gestart_op:%d-%m-%Y})."]},
        )
    plicht.verstuurd_op = verstuurd_op
    plicht.vastgelegd_door = door
    plicht.save(update_fields=["verstuurd_op", "vastgelegd_door"])
    logregel_voor_door(door=door, actie="wijzigen", obj=dossier, doel=DOEL)
    return plicht


@transaction.atomic
def informatieplicht_uitzondering(
    *, dossier: Dossier, door: User, uitzondering: str, toelichting: str
) -> Informatieplicht:
    """Record an exception of art. 14(5) with its motivation (encrypted under the dossier's key)."""
    from meldpunt.audit.services import logregel_voor_door

    dossier, plicht = _vergrendeld(dossier)
    _vereis_behandelaar_of_teamleider(door, dossier)
    if plicht.verstuurd_op is not None:
        raise ApplicationError("De informatiebrief is al verstuurd; een uitzondering is niet meer nodig.")
    fouten: dict[str, list[str]] = {}
    if not uitzondering or uitzondering not in InformatieplichtUitzondering.values:
        fouten["uitzondering"] = ["Kies een uitzondering."]
    toelichting = (toelichting or "").strip()
    if not toelichting:
        fouten["toelichting"] = ["Motiveer waarom de uitzondering van toepassing is."]
    elif len(toelichting) > MAX_TOELICHTING:
        fouten["toelichting"] = [f"Ten hoogste {MAX_TOELICHTING} tekens."]
    if fouten:
        raise ApplicationError("De uitzondering is niet vastgelegd.", extra=fouten)
    plicht.uitzondering = uitzondering
    plicht.toelichting = Kluis(dossier.sleutel).versleutel(toelichting, context=_toelichting_context(dossier))
    plicht.vastgelegd_door = door
    plicht.save(update_fields=["uitzondering", "toelichting", "vastgelegd_door"])
    logregel_voor_door(door=door, actie="wijzigen", obj=dossier, doel=DOEL)
    return plicht


# --- the reminder sweep --------------------------------------------------------------------------
VOOR = "voor"
NA = "na"


def _verschuldigd(vandaag: dt.date) -> QuerySet[Informatieplicht]:
    """Duties not done, of open dossiers, with a reminder due today and not sent yet."""
    voor = Q(
        herinnering_voor_termijn_op__isnull=True,
        termijn_op__gte=vandaag,
        termijn_op__lte=vandaag + dt.timedelta(days=HERINNERING_DAGEN_VOOR),
    )
    na = Q(herinnering_na_termijn_op__isnull=True, termijn_op__lt=vandaag)
    return Informatieplicht.objects.filter(
        voor | na,
        verstuurd_op__isnull=True,
        uitzondering="",
        dossier__status__in=OPEN_STATUSSEN,
        dossier__vernietigd_op__isnull=True,
        dossier__behandelaar__isnull=False,
        dossier__afgeschermd_sinds__isnull=True,  # hidden and frozen while restricted (DOMAIN.md rule 4)
    )


def _ontvangers(behandelaar: User) -> list[str]:
    """The behandelaar; when they cannot receive mail (inactive, no address), the teamleiders of their team."""
    if behandelaar.is_active and behandelaar.email:
        return [behandelaar.email]
    return list(
        User.objects.filter(
            organisatie_id=behandelaar.organisatie_id, is_active=True, rollen__contains=[Rol.TEAMLEIDER]
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _herinner_behandelaar(*, behandelaar_id: int, nu: dt.datetime, vandaag: dt.date) -> int:
    """One e-mail listing every reminder due for this behandelaar; flags set in the same transaction."""
    with transaction.atomic():
        plichten = list(
            _verschuldigd(vandaag)
            .filter(dossier__behandelaar_id=behandelaar_id)
            .select_for_update(of=("self",))
            .select_related("dossier")
            .order_by("termijn_op", "dossier__nummer")
        )
        if not plichten:
            return 0
        behandelaar = User.objects.get(pk=behandelaar_id)
        ontvangers = _ontvangers(behandelaar)
        if not ontvangers:
            logger.warning("informatieplicht: geen ontvanger voor herinnering behandelaar_id=%s", behandelaar_id)
            return 0
        per_soort: dict[str, list[Informatieplicht]] = defaultdict(list)
        for plicht in plichten:
            per_soort[NA if plicht.termijn_op < vandaag else VOOR].append(plicht)
        basis = settings.MELDPUNT_BASE_URL.rstrip("/")
        regels = {
            soort: [
                {
                    "nummer": p.dossier.nummer,
                    "termijn_op": p.termijn_op,
                    "url": basis + reverse("informatieplicht:detail", kwargs={"dossier_id": p.dossier_id}),
                }
                for p in lijst
            ]
            for soort, lijst in per_soort.items()
        }
        tekst = render_to_string(
            "meldingen/informatieplicht/herinnering.txt",
            {"voor": regels.get(VOOR, []), "na": regels.get(NA, []), "dagen": HERINNERING_DAGEN_VOOR},
        )
        onderwerp = "Informatieplicht: termijn " + ("verstreken" if per_soort.get(NA) else "verloopt binnenkort")
        send_mail(subject=onderwerp, message=tekst, from_email=None, recipient_list=ontvangers)
        for plicht in per_soort.get(VOOR, []):
            plicht.herinnering_voor_termijn_op = nu
            plicht.save(update_fields=["herinnering_voor_termijn_op"])
        for plicht in per_soort.get(NA, []):
            plicht.herinnering_na_termijn_op = nu
            plicht.save(update_fields=["herinnering_na_termijn_op"])
        logger.info(
            "informatieplicht herinnering behandelaar_id=%s voor=%s na=%s",
            behandelaar_id,
            len(per_soort.get(VOOR, [])),
            len(per_soort.get(NA, [])),
        )
        return len(plichten)


def informatieplicht_herinneringen(*, nu: dt.datetime | None = None) -> int:
    """Send every reminder that is due and not sent yet; returns the number of reminders (dossier × kind).

    Before the deadline (from seven days before ``termijn_op`` up to and including that day) the "voor"
    reminder; once ``termijn_op`` has passed, the "na" reminder (a sweep that starts only after the
    deadline sends only that one). One e-mail per behandelaar per sweep, with dossier numbers only.
    """
    nu = nu or timezone.now()
    vandaag = timezone.localtime(nu).date()
    behandelaars = sorted(set(_verschuldigd(vandaag).values_list("dossier__behandelaar_id", flat=True)))
    return sum(_herinner_behandelaar(behandelaar_id=b, nu=nu, vandaag=vandaag) for b in behandelaars)


@shared_task(acks_late=True)
def stuur_informatieplicht_herinneringen() -> int:
    """Beat sweep (every 15 minutes): send the art. 14 reminders that are due and not yet sent."""
    return informatieplicht_herinneringen()
