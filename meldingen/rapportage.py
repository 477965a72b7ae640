"""The Uitvoerder's rapportage of a dossier (Diemen convenant, bijlage 1): content, completeness, PDF.

Content
    One JSON document (:func:`rapportage_leeg` shows its shape), encrypted under the dossier's data key
    with context ``meldingen.rapportage:<dossier id>``. Amounts are stored as strings with two decimals
    (``"650.00"``); ``bedrag`` of an income source is per month.

Completeness
    :func:`rapportage_volledigheid` is a pure function of the content and lists in Dutch what bijlage 1
    still misses. :func:`rapportage_opslaan` stores ``Rapportage.volledig`` from it on every save; it is
    never typed in. :func:`resultaat_bereikt` combines it with a reached contact attempt.

PDF
    :func:`rapportage_pdf_aanvragen` enqueues ``meldingen.tasks.maak_rapportage_pdf`` after commit; the
    task calls :func:`rapportage_pdf_maken`, which renders :func:`rapportage_pdf_render` with WeasyPrint
    and stores the file encrypted (``VersleuteldBestand``, soort ``rapportage_pdf``), replacing an
    older one. ``redactie`` chooses what the document shows: ``volledig`` (the Uitvoerder: contact
    attempts with their notes) or ``zonder_notities`` (reserved for the Gemeente's view under the
    tenant's consent, scope ``rapportage``: the same report without the notes of contact attempts).
    The task stores both: ``Rapportage.pdf`` and ``Rapportage.pdf_gemeente``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol, User
from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.models import VersleuteldBestand
from meldpunt.privacy.services import versleuteld_bestand_create, versleuteld_bestand_lezen

from .models import Dossier, Rapportage
from .services import _vereis_uitvoerder, _vergrendeld
from .workflow import DossierStatus

DOEL = "uitvoering vroegsignalering"
PDF_SOORT = "rapportage_pdf"
PDF_SOORT_GEMEENTE = "rapportage_pdf_gemeente"

#: Number of repeatable rows on the form (empty rows are ignored).
INKOMSTEN_RIJEN = 5
UITGAVEN_RIJEN = 8
SCHULDEN_RIJEN = 8

#: list name -> (text key, label of the text, number of form rows)
LIJSTEN: dict[str, tuple[str, str, int]] = {
    "inkomsten": ("bron", "Bron", INKOMSTEN_RIJEN),
    "uitgaven": ("omschrijving", "Omschrijving", UITGAVEN_RIJEN),
    "schulden": ("schuldeiser", "Schuldeiser", SCHULDEN_RIJEN),
}

VASTE_LASTEN: dict[str, str] = {
    "huur": "Huur",
    "zorgverzekering": "Zorgverzekering",
    "water": "Water",
    "energie": "Energie",
}
LAST_STATUSSEN: dict[str, str] = {"betaald": "Wordt betaald", "achterstand": "Achterstand"}

GEEN_PLAN = "geen"
PLANNEN: dict[str, str] = {
    "thuisadministratie_budgetcoaching": "Thuisadministratie / budgetcoaching",
    "budgetbeheer": "Budgetbeheer",
    "schuldhulpverlening": "Schuldhulpverlening",
    "pw_inhouding": "Inhouding op de uitkering (Participatiewet)",
    GEEN_PLAN: "Geen ondersteuning nodig",
}
KAN_BETALEN: dict[str, str] = {"ja": "Ja", "nee": "Nee"}

REDACTIES = ("volledig", "zonder_notities")

MAX_BEDRAG = Decimal("9999999.99")
KORTE_TEKST = 200
LANGE_TEKST = 5000


def veldnaam(lijst: str, index: int, sleutel: str) -> str:
    """The form field (and error key) of one cell of a repeatable row, e.g. ``inkomsten_0_bedrag``."""
    return f"{lijst}_{index}_{sleutel}"


def rapportage_leeg() -> dict[str, Any]:
    return {
        "inkomsten": [],  # [{"bron": str, "bedrag": "0.00"}], per month
        "uitgaven": [],  # [{"omschrijving": str, "bedrag": "0.00"}]
        "geen_schulden": False,
        "schulden": [],  # [{"schuldeiser": str, "bedrag": "0.00"}]
        "vaste_lasten": {last: {"status": "", "achterstand": None} for last in VASTE_LASTEN},
        "betalingsregelingen": "",
        "kan_betalen": "",
        "kan_betalen_motivatie": "",
        "plan": [],
        "ondersteuning": "",
    }


# --- completeness -----------------------------------------------------------------------------------
def _tekst(waarde: Any) -> str:
    return waarde.strip() if isinstance(waarde, str) else ""


def rapportage_volledigheid(inhoud: dict[str, Any] | None) -> tuple[bool, list[str]]:
    """Whether the content meets bijlage 1, and (in Dutch, in form order) what is still missing."""
    inhoud = inhoud or {}
    ontbreekt: list[str] = []
    rijen = lambda lijst: [r for r in inhoud.get(lijst) or [] if isinstance(r, dict)]  # noqa: E731
    if not any(_tekst(r.get("bron")) for r in rijen("inkomsten")):
        ontbreekt.append("Inkomsten: vul ten minste één inkomstenbron in.")
    if not any(_tekst(r.get("omschrijving")) for r in rijen("uitgaven")):
        ontbreekt.append("Uitgaven: vul de uitgaven in.")
    heeft_schulden = any(_tekst(r.get("schuldeiser")) for r in rijen("schulden"))
    if inhoud.get("geen_schulden") is True and heeft_schulden:
        ontbreekt.append("Schuldenpositie: 'geen schulden' is aangevinkt, maar er zijn schuldeisers ingevuld.")
    elif inhoud.get("geen_schulden") is not True and not heeft_schulden:
        ontbreekt.append("Schuldenpositie: vul de schuldeisers in of vink 'geen schulden' aan.")
    vaste_lasten = inhoud.get("vaste_lasten") or {}
    for last, label in VASTE_LASTEN.items():
        if (vaste_lasten.get(last) or {}).get("status") not in LAST_STATUSSEN:
            ontbreekt.append(f"Vaste lasten: geef aan of de {label.lower()} wordt betaald of een achterstand heeft.")
    if not _tekst(inhoud.get("betalingsregelingen")):
        ontbreekt.append("Andere betalingsregelingen: beschrijf ze, of vul 'geen' in.")
    if inhoud.get("kan_betalen") not in KAN_BETALEN:
        ontbreekt.append("Inschatting: geef aan of de huurder aan de reguliere betalingen kan voldoen.")
    if not _tekst(inhoud.get("kan_betalen_motivatie")):
        ontbreekt.append("Inschatting: motiveer de inschatting.")
    plan = [p for p in inhoud.get("plan") or [] if p in PLANNEN]
    if not plan:
        ontbreekt.append("Plan van aanpak: kies ten minste één vorm van ondersteuning, of 'geen ondersteuning nodig'.")
    elif GEEN_PLAN in plan and len(plan) > 1:
        ontbreekt.append("Plan van aanpak: 'geen ondersteuning nodig' kan niet samen met een vorm van ondersteuning.")
    if not _tekst(inhoud.get("ondersteuning")):
        ontbreekt.append("Plan van aanpak: beschrijf welke ondersteuning nodig is (of waarom geen).")
    return not ontbreekt, ontbreekt


# --- validation -------------------------------------------------------------------------------------
def _bedrag(waarde: Any, veld: str, fouten: dict[str, list[str]], *, verplicht: bool) -> str | None:
    if waarde is None or (isinstance(waarde, str) and not waarde.strip()):
        if verplicht:
            fouten[veld] = ["Vul het bedrag in."]
        return None
    if isinstance(waarde, bool) or not isinstance(waarde, (str, int, Decimal)):
        fouten[veld] = ["Vul een bedrag in euro's in, bijvoorbeeld 650,00."]
        return None
    tekst = str(waarde).strip().replace("€", "").replace(" ", "")
    if "," in tekst:  # Dutch notation: "1.850,00"; without a comma the dot is the decimal point ("1850.00")
        tekst = tekst.replace(".", "").replace(",", ".")
    try:
        bedrag = Decimal(tekst)
    except InvalidOperation:
        fouten[veld] = ["Vul een bedrag in euro's in, bijvoorbeeld 650,00."]
        return None
    if not bedrag.is_finite():
        fouten[veld] = ["Vul een bedrag in euro's in, bijvoorbeeld 650,00."]
    elif bedrag < 0:
        fouten[veld] = ["Het bedrag kan niet negatief zijn."]
    elif bedrag > MAX_BEDRAG:
        fouten[veld] = ["Het bedrag is te hoog."]
    elif bedrag != bedrag.quantize(Decimal("0.01")):
        fouten[veld] = ["Gebruik ten hoogste twee cijfers achter de komma."]
    else:
        return f"{bedrag.quantize(Decimal('0.01'))}"
    return None


def _tekstveld(waarde: Any, veld: str, fouten: dict[str, list[str]], maximum: int) -> str:
    if waarde is None:
        return ""
    if not isinstance(waarde, str):
        fouten[veld] = ["Vul tekst in."]
        return ""
    waarde = waarde.strip()
    if len(waarde) > maximum:
        fouten[veld] = [f"Ten hoogste {maximum} tekens."]
    return waarde


def rapportage_valideren(inhoud: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Check types and amounts; returns the normalised content and the Dutch errors per form field.

    Drafts may be incomplete; only what is filled in must be well-formed. Rows with neither text nor
    amount are dropped.
    """
    if not isinstance(inhoud, dict):
        return rapportage_leeg(), {"__all__": ["De rapportage heeft een ongeldige vorm."]}
    fouten: dict[str, list[str]] = {}
    schoon = rapportage_leeg()
    for lijst, (sleutel, label, _) in LIJSTEN.items():
        rijen = inhoud.get(lijst) or []
        if not isinstance(rijen, list):
            fouten[lijst] = ["Ongeldige lijst."]
            continue
        for i, rij in enumerate(rijen):
            if not isinstance(rij, dict):
                fouten[veldnaam(lijst, i, sleutel)] = ["Ongeldige regel."]
                continue
            tekst = _tekstveld(rij.get(sleutel), veldnaam(lijst, i, sleutel), fouten, KORTE_TEKST)
            leeg_bedrag = rij.get("bedrag") is None or (
                isinstance(rij.get("bedrag"), str) and not rij["bedrag"].strip()
            )
            if not tekst and leeg_bedrag:
                continue
            if not tekst:
                fouten.setdefault(veldnaam(lijst, i, sleutel), [f"Vul de {label.lower()} in."])
            bedrag = _bedrag(rij.get("bedrag"), veldnaam(lijst, i, "bedrag"), fouten, verplicht=True)
            schoon[lijst].append({sleutel: tekst, "bedrag": bedrag})
    geen_schulden = inhoud.get("geen_schulden", False)
    if not isinstance(geen_schulden, bool):
        fouten["geen_schulden"] = ["Kies ja of nee."]
    schoon["geen_schulden"] = geen_schulden is True
    if schoon["geen_schulden"] and schoon["schulden"]:
        fouten["geen_schulden"] = ["Er zijn schuldeisers ingevuld: vink 'geen schulden' uit of wis de schuldeisers."]
    vaste_lasten = inhoud.get("vaste_lasten") or {}
    if not isinstance(vaste_lasten, dict):
        fouten["vaste_lasten"] = ["Ongeldige vaste lasten."]
        vaste_lasten = {}
    for last in VASTE_LASTEN:
        gegeven = vaste_lasten.get(last) or {}
        status = gegeven.get("status") or "" if isinstance(gegeven, dict) else ""
        if status not in ("", *LAST_STATUSSEN):
            fouten[f"{last}_status"] = ["Kies 'wordt betaald' of 'achterstand'."]
            status = ""
        achterstand = _bedrag(
            gegeven.get("achterstand") if isinstance(gegeven, dict) else None,
            f"{last}_achterstand",
            fouten,
            verplicht=False,
        )
        if achterstand is not None and status != "achterstand":
            fouten[f"{last}_achterstand"] = ["Vul alleen een bedrag in bij een achterstand."]
        schoon["vaste_lasten"][last] = {"status": status, "achterstand": achterstand}
    for veld in ("betalingsregelingen", "kan_betalen_motivatie", "ondersteuning"):
        schoon[veld] = _tekstveld(inhoud.get(veld), veld, fouten, LANGE_TEKST)
    kan_betalen = inhoud.get("kan_betalen") or ""
    if kan_betalen not in ("", *KAN_BETALEN):
        fouten["kan_betalen"] = ["Kies ja of nee."]
        kan_betalen = ""
    schoon["kan_betalen"] = kan_betalen
    plan = inhoud.get("plan") or []
    if not isinstance(plan, list) or any(p not in PLANNEN for p in plan):
        fouten["plan"] = ["Kies uit de vormen van ondersteuning."]
        plan = []
    elif GEEN_PLAN in plan and len(plan) > 1:
        fouten["plan"] = ["'Geen ondersteuning nodig' kan niet samen met een vorm van ondersteuning."]
    schoon["plan"] = [p for p in PLANNEN if p in plan]
    return schoon, fouten


# --- writes -----------------------------------------------------------------------------------------
def _context(dossier: Dossier) -> str:
    return f"meldingen.rapportage:{dossier.pk}"


def _log(
    rapportage: Rapportage, dossier: Dossier, *, actie: str, door: User | None, herkomst: str = "", doel: str = DOEL
) -> None:
    from meldpunt.audit.context import huidige_herkomst
    from meldpunt.audit.services import logregel_create

    logregel_create(
        actie=actie,
        object_type="meldingen.rapportage",
        object_id=str(rapportage.pk),
        gebruiker=door,
        convenant=dossier.convenant,
        herkomst=herkomst or huidige_herkomst(),
        doel=doel,
    )


def _vereis_schrijfrecht(door: User, dossier: Dossier) -> None:
    _vereis_uitvoerder(door, dossier, Rol.HULPVERLENER, Rol.TEAMLEIDER)
    if dossier.behandelaar_id != door.pk and not door.heeft_rol(Rol.TEAMLEIDER):
        raise ApplicationError("Alleen de behandelaar of een teamleider schrijft de rapportage.")


def mag_rapportage_schrijven(*, dossier: Dossier, gebruiker: User) -> bool:
    """For the page: whether the form is editable for ``gebruiker`` (the service checks again)."""
    try:
        _vereis_schrijfrecht(gebruiker, dossier)
    except ApplicationError:
        return False
    return dossier.status != DossierStatus.AFGESLOTEN


@transaction.atomic
def rapportage_opslaan(*, dossier: Dossier, door: User, inhoud: dict[str, Any]) -> Rapportage:
    """Save the rapportage (a draft may be incomplete) while the dossier is open; derive ``volledig``."""
    dossier = _vergrendeld(dossier)
    _vereis_schrijfrecht(door, dossier)
    if dossier.status == DossierStatus.AFGESLOTEN:
        raise ApplicationError("Het dossier is afgesloten: de rapportage kan niet meer worden gewijzigd.")
    schoon, fouten = rapportage_valideren(inhoud)
    if fouten:
        raise ApplicationError("De rapportage is niet opgeslagen. Controleer de gemarkeerde velden.", extra=fouten)
    volledig, _ = rapportage_volledigheid(schoon)
    rapportage, _ = Rapportage.objects.select_for_update().get_or_create(dossier=dossier)
    rapportage.inhoud = Kluis(dossier.sleutel).versleutel(schoon, context=_context(dossier))
    rapportage.volledig = volledig
    rapportage.bijgewerkt_door = door
    rapportage.save()
    _log(rapportage, dossier, actie="wijzigen", door=door)
    return rapportage


@transaction.atomic
def rapportage_pdf_aanvragen(*, dossier: Dossier, door: User) -> Rapportage:
    """Ask for a (new) PDF of the saved rapportage; made by the worker after this transaction commits."""
    from .tasks import maak_rapportage_pdf

    dossier = _vergrendeld(dossier)
    _vereis_uitvoerder(door, dossier, Rol.HULPVERLENER, Rol.TEAMLEIDER)
    rapportage = Rapportage.objects.filter(dossier=dossier, inhoud__isnull=False).first()
    if rapportage is None:
        raise ApplicationError("Sla de rapportage eerst op; daarna kunt u er een PDF van maken.")
    maak_rapportage_pdf.delay_on_commit(str(dossier.pk))
    _log(rapportage, dossier, actie="exporteren", door=door)
    return rapportage


@transaction.atomic
def rapportage_pdf_maken(*, dossier_id: uuid.UUID | str) -> Rapportage | None:
    """Render and store the PDF of the rapportage as it is now; replaces an older PDF.

    Idempotent: when the stored PDF is newer than the last change, nothing happens (a redelivered
    task does no work twice). Returns None when the dossier or its rapportage no longer exists.
    """
    rapportage = (
        Rapportage.objects.select_for_update(of=("self",))
        .select_related("dossier__convenant", "dossier__sleutel", "dossier__behandelaar")
        .filter(dossier_id=dossier_id, inhoud__isnull=False)
        .first()
    )
    if rapportage is None or rapportage.dossier.sleutel.vernietigd:
        return None
    if rapportage.pdf_id and rapportage.pdf_gemaakt_op and rapportage.pdf_gemaakt_op >= rapportage.bijgewerkt_op:
        return rapportage
    dossier = rapportage.dossier
    inhoud = rapportage_inhoud(rapportage)
    bestanden = {}
    for redactie, soort in (("volledig", PDF_SOORT), ("zonder_notities", PDF_SOORT_GEMEENTE)):
        pdf = rapportage_pdf_render(dossier=dossier, inhoud=inhoud, volledig=rapportage.volledig, redactie=redactie)
        bestanden[redactie] = versleuteld_bestand_create(
            sleutel=dossier.sleutel,
            soort=soort,
            naam=f"rapportage-{dossier.nummer}.pdf",
            mime="application/pdf",
            inhoud=pdf,
        )
    oud = [pk for pk in (rapportage.pdf_id, rapportage.pdf_gemeente_id) if pk]
    nu = timezone.now()
    Rapportage.objects.filter(pk=rapportage.pk).update(
        pdf=bestanden["volledig"], pdf_gemeente=bestanden["zonder_notities"], pdf_gemaakt_op=nu
    )
    if oud:
        VersleuteldBestand.objects.filter(pk__in=oud).delete()
    rapportage.pdf, rapportage.pdf_gemeente = bestanden["volledig"], bestanden["zonder_notities"]
    rapportage.pdf_gemaakt_op = nu
    _log(rapportage, dossier, actie="aanmaken", door=None, herkomst="taak:meldingen.tasks.maak_rapportage_pdf")
    return rapportage


# --- reads ------------------------------------------------------------------------------------------
def rapportage_inhoud(rapportage: Rapportage | None) -> dict[str, Any]:
    """The decrypted content (an empty one without a rapportage). Callers checked access and audit."""
    if rapportage is None or rapportage.inhoud is None:
        return rapportage_leeg()
    return Kluis(rapportage.dossier.sleutel).ontsleutel(bytes(rapportage.inhoud), context=_context(rapportage.dossier))


def rapportage_weergave(*, dossier: Dossier, gebruiker: User) -> tuple[Rapportage | None, dict[str, Any]]:
    """The dossier's rapportage and its decrypted content for the Uitvoerder; the read is logged."""
    rapportage = Rapportage.objects.filter(dossier=dossier).select_related("dossier__sleutel").first()
    inhoud = rapportage_inhoud(rapportage)
    if rapportage is not None and rapportage.inhoud is not None:
        _log(rapportage, dossier, actie="bekijken", door=gebruiker)
    return rapportage, inhoud


def rapportage_pdf_lezen(*, dossier: Dossier, gebruiker: User, redactie: str = "volledig") -> tuple[str, bytes] | None:
    """The stored PDF (name, bytes), or None; the export is logged.

    ``volledig`` for the Uitvoerder; ``zonder_notities`` for the Gemeente (callers checked its consent).
    """
    veld = {"volledig": "pdf", "zonder_notities": "pdf_gemeente"}[redactie]
    rapportage = (
        Rapportage.objects.filter(dossier=dossier, **{f"{veld}__isnull": False})
        .select_related(f"{veld}__sleutel")
        .first()
    )
    bestand = getattr(rapportage, veld) if rapportage is not None else None
    if rapportage is None or bestand is None:
        return None
    naam, data = versleuteld_bestand_lezen(bestand)
    from .toestemming import DOEL_GEMEENTE

    doel = DOEL if redactie == "volledig" else DOEL_GEMEENTE
    _log(rapportage, dossier, actie="exporteren", door=gebruiker, doel=doel)
    return naam, data


def resultaat_bereikt(dossier: Dossier) -> bool:
    """Resultaat "bereikt" (money sense): a reached contact attempt AND a complete rapportage. Derived."""
    volledig = Rapportage.objects.filter(dossier=dossier, volledig=True).exists()
    return volledig and dossier.contactpogingen.filter(bereikt=True).exists()


# --- rendering --------------------------------------------------------------------------------------
def _bedrag_nl(waarde: str | None) -> str:
    if waarde is None:
        return ""
    geheel, _, centen = f"{Decimal(waarde):,.2f}".partition(".")
    return f"€ {geheel.replace(',', '.')},{centen}"


def rapportage_html(
    *,
    dossier: Dossier,
    inhoud: dict[str, Any],
    volledig: bool,
    redactie: str = "volledig",
    nu: dt.datetime | None = None,
) -> str:
    """The Dutch HTML document of the rapportage (see the module docstring for ``redactie``)."""
    context = rapportage_context(dossier=dossier, inhoud=inhoud, volledig=volledig, redactie=redactie, nu=nu)
    return render_to_string("meldingen/rapportage/pdf.html", context)


def rapportage_context(
    *,
    dossier: Dossier,
    inhoud: dict[str, Any],
    volledig: bool,
    redactie: str = "volledig",
    nu: dt.datetime | None = None,
) -> dict[str, Any]:
    """What the rapportage shows, decrypted and labelled (callers checked access and log the read)."""
    if redactie not in REDACTIES:
        raise ValueError(f"onbekende redactie {redactie!r}")
    inhoud, _ = rapportage_valideren(inhoud)
    kluis = Kluis(dossier.sleutel)
    melding = dossier.meldingen.order_by("-ontvangen_op").first()
    gegevens = kluis.ontsleutel(bytes(melding.gegevens or b""), context=melding.context) if melding else {}
    pogingen = [
        (
            p,
            kluis.ontsleutel(bytes(p.notitie), context=f"meldingen.contactpoging:{p.pk}")
            if p.notitie and redactie == "volledig"
            else "",
        )
        for p in dossier.contactpogingen.order_by("datum", "pk")
    ]
    _, ontbreekt = rapportage_volledigheid(inhoud)
    lijst = lambda naam, sleutel: [(r[sleutel], _bedrag_nl(r["bedrag"])) for r in inhoud[naam]]  # noqa: E731
    return {
        "dossier": dossier,
        "huurder": gegevens.get("huurder", {}),
        "adres": gegevens.get("adres", {}),
        "inhoud": inhoud,
        "inkomsten": lijst("inkomsten", "bron"),
        "uitgaven": lijst("uitgaven", "omschrijving"),
        "schulden": lijst("schulden", "schuldeiser"),
        "vaste_lasten": [
            (
                label,
                LAST_STATUSSEN.get(inhoud["vaste_lasten"][last]["status"], "niet ingevuld"),
                _bedrag_nl(inhoud["vaste_lasten"][last]["achterstand"]),
            )
            for last, label in VASTE_LASTEN.items()
        ],
        "kan_betalen": KAN_BETALEN.get(inhoud["kan_betalen"], "niet ingevuld"),
        "plan": [PLANNEN[p] for p in inhoud["plan"]],
        "pogingen": pogingen,
        "met_notities": redactie == "volledig",
        "volledig": volledig,
        "ontbreekt": ontbreekt,
        "gemaakt_op": timezone.localtime(nu or timezone.now()),
    }


def rapportage_pdf_render(
    *, dossier: Dossier, inhoud: dict[str, Any], volledig: bool, redactie: str = "volledig"
) -> bytes:
    """The PDF bytes of :func:`rapportage_html` (WeasyPrint is imported here: only the worker needs it)."""
    from weasyprint import HTML

    html = rapportage_html(dossier=dossier, inhoud=inhoud, volledig=volledig, redactie=redactie)
    # No base_url: the template is self-contained, so WeasyPrint fetches nothing from anywhere.
    return HTML(string=html).write_pdf()
