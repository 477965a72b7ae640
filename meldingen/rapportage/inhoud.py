"""The content of a rapportage (Diemen convenant, bijlage 1): its shape, validation and completeness.

Content
    One JSON document (:func:`rapportage_leeg` shows its shape), encrypted under the dossier's data key
    with context ``meldingen.rapportage:<dossier id>``. Amounts are stored as strings with two decimals
    (``"650.00"``); ``bedrag`` of an income source is per month.

Completeness
    :func:`rapportage_volledigheid` is a pure function of the content and lists in Dutch what bijlage 1
    still misses. :func:`meldingen.rapportage.services.rapportage_opslaan` stores ``Rapportage.volledig``
    from it on every save; it is never typed in. Together with a reached contact attempt it makes the
    resultaat "bereikt" (``Dossier.resultaat_bereikt``).

Everything here is pure: no database, no decryption.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

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
