"""Writes for convenants and their year-versioned parameters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from meldpunt.audit.models import Actie, Doel
from meldpunt.audit.services import logregel_voor_door
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Organisatie, OrganisatieType, Rol, User

from .models import Convenant, ConvenantParameters, ConvenantPartner

#: Parameter fields and their allowed range (inclusive). Legal maxima: AVG art. 12(3) one month to
#: decide (+2 extension), art. 14(3)(a) inform within one month, art. 33 notify the AP within 72 hours.
PARAMETER_GRENZEN: dict[str, tuple[int, int]] = {
    "min_achterstand_maanden": (1, 24),
    "min_achterstand_maanden_herhaald": (1, 24),
    "bewaartermijn_uitvoerder_maanden": (1, 120),
    "bewaartermijn_gemeente_maanden": (1, 120),
    "bewaartermijn_partner_maanden": (1, 120),
    "datalek_verwerker_uren": (1, 72),
    "datalek_ap_uren": (1, 72),
    "avg_termijn_maanden": (1, 1),
    "avg_verlenging_max_maanden": (0, 2),
    "avg_bezwaartermijn_weken": (6, 52),
    "informatieplicht_maanden": (1, 1),
}
TARIEF_VELDEN = ("tarief_cofinanciering", "tarief_interventie")
MAX_TARIEF = Decimal("100000.00")


def _vereis_platformbeheer(door: User | None) -> None:
    if door is not None and not door.heeft_rol(Rol.PLATFORMBEHEER):
        raise ApplicationError("Alleen platformbeheer mag convenanten beheren.")


def _vandaag() -> dt.date:
    return timezone.localdate()


def _valideer_deelnemers(
    gemeente: Organisatie | None, uitvoerder: Organisatie | None, partners: list[Organisatie]
) -> dict[str, list[str]]:
    fouten: dict[str, list[str]] = {}
    if gemeente is None or gemeente.type != OrganisatieType.GEMEENTE or not gemeente.actief:
        fouten["gemeente"] = ["Kies een actieve gemeente."]
    if uitvoerder is None or uitvoerder.type != OrganisatieType.UITVOERDER or not uitvoerder.actief:
        fouten["uitvoerder"] = ["Kies een actieve uitvoerder."]
    if not partners:
        fouten["partners"] = ["Kies ten minste één partner (corporatie)."]
    elif any(p.type != OrganisatieType.PARTNER or not p.actief for p in partners):
        fouten["partners"] = ["Alleen actieve partners (corporaties) kunnen deelnemen."]
    return fouten


def _valideer_looptijd(
    *, looptijd_maanden: int, verlenging_maanden: int, opzegtermijn_maanden: int
) -> dict[str, list[str]]:
    fouten: dict[str, list[str]] = {}
    if not 1 <= looptijd_maanden <= 120:
        fouten["looptijd_maanden"] = ["De looptijd is 1 tot en met 120 maanden."]
    if not 1 <= verlenging_maanden <= 120:
        fouten["verlenging_maanden"] = ["Een verlenging is 1 tot en met 120 maanden."]
    if not 0 <= opzegtermijn_maanden <= 12:
        fouten["opzegtermijn_maanden"] = ["De opzegtermijn is 0 tot en met 12 maanden."]
    elif opzegtermijn_maanden >= min(looptijd_maanden, verlenging_maanden) and "looptijd_maanden" not in fouten:
        fouten["opzegtermijn_maanden"] = ["De opzegtermijn moet korter zijn dan een termijn van het convenant."]
    return fouten


@transaction.atomic
def convenant_create(
    *,
    naam: str,
    gemeente: Organisatie,
    uitvoerder: Organisatie,
    partners: Iterable[Organisatie],
    startdatum: dt.date,
    fg_email: str,
    slug: str = "",
    looptijd_maanden: int = 12,
    stilzwijgend_verlengen: bool = True,
    verlenging_maanden: int = 12,
    opzegtermijn_maanden: int = 3,
    parameters: dict[str, Any] | None = None,
    door: User | None = None,
) -> Convenant:
    """Create a convenant and its parameters for the start year (Diemen defaults unless given)."""
    _vereis_platformbeheer(door)
    partners = list(dict.fromkeys(partners))
    naam = naam.strip()
    slug = slugify(slug or naam)
    fouten = _valideer_deelnemers(gemeente, uitvoerder, partners)
    fouten.update(
        _valideer_looptijd(
            looptijd_maanden=looptijd_maanden,
            verlenging_maanden=verlenging_maanden,
            opzegtermijn_maanden=opzegtermijn_maanden,
        )
    )
    if not naam:
        fouten["naam"] = ["Vul de naam van het convenant in."]
    if not slug:
        fouten["slug"] = ["Vul een korte naam in."]
    elif Convenant.objects.filter(slug=slug).exists():
        fouten["slug"] = ["Deze korte naam is al in gebruik."]
    try:
        validate_email(fg_email)
    except ValidationError:
        fouten["fg_email"] = ["Vul een geldig e-mailadres van de FG in."]
    startparameters = ConvenantParameters(jaar=startdatum.year)
    fouten.update(_pas_parameters_toe(startparameters, dict(parameters or {})))
    if fouten:
        raise ApplicationError("Het convenant is niet aangemaakt.", extra=fouten)
    convenant = Convenant(
        naam=naam,
        slug=slug,
        gemeente=gemeente,
        uitvoerder=uitvoerder,
        startdatum=startdatum,
        looptijd_maanden=looptijd_maanden,
        stilzwijgend_verlengen=stilzwijgend_verlengen,
        verlenging_maanden=verlenging_maanden,
        opzegtermijn_maanden=opzegtermijn_maanden,
        fg_email=fg_email.strip().lower(),
    )
    convenant.einddatum = convenant.bereken_einddatum()
    convenant.save()
    ConvenantPartner.objects.bulk_create(
        [ConvenantPartner(convenant=convenant, partner=p, sinds=startdatum) for p in partners]
    )
    startparameters.convenant = convenant
    startparameters.save()
    logregel_voor_door(door=door, actie=Actie.AANMAKEN, obj=convenant, doel=Doel.CONVENANTBEHEER)
    return convenant


@transaction.atomic
def convenant_update(
    *,
    convenant: Convenant,
    naam: str,
    uitvoerder: Organisatie,
    partners: Iterable[Organisatie],
    fg_email: str,
    looptijd_maanden: int,
    stilzwijgend_verlengen: bool,
    verlenging_maanden: int,
    opzegtermijn_maanden: int,
    door: User | None = None,
) -> Convenant:
    """Change a convenant. The gemeente and start date are fixed; partners joining get today's date."""
    _vereis_platformbeheer(door)
    convenant = Convenant.objects.select_for_update().get(pk=convenant.pk)
    partners = list(dict.fromkeys(partners))
    fouten = _valideer_deelnemers(convenant.gemeente, uitvoerder, partners)
    fouten.update(
        _valideer_looptijd(
            looptijd_maanden=looptijd_maanden,
            verlenging_maanden=verlenging_maanden,
            opzegtermijn_maanden=opzegtermijn_maanden,
        )
    )
    if not naam.strip():
        fouten["naam"] = ["Vul de naam van het convenant in."]
    try:
        validate_email(fg_email)
    except ValidationError:
        fouten["fg_email"] = ["Vul een geldig e-mailadres van de FG in."]
    if fouten:
        raise ApplicationError("Het convenant is niet gewijzigd.", extra=fouten)
    convenant.naam = naam.strip()
    convenant.uitvoerder = uitvoerder
    convenant.fg_email = fg_email.strip().lower()
    convenant.looptijd_maanden = looptijd_maanden
    convenant.stilzwijgend_verlengen = stilzwijgend_verlengen
    convenant.verlenging_maanden = verlenging_maanden
    convenant.opzegtermijn_maanden = opzegtermijn_maanden
    convenant.einddatum = convenant.bereken_einddatum()
    convenant.save()
    huidige = set(convenant.deelnames.values_list("partner_id", flat=True))
    nieuwe = {p.pk for p in partners}
    convenant.deelnames.filter(partner_id__in=huidige - nieuwe).delete()
    ConvenantPartner.objects.bulk_create(
        [ConvenantPartner(convenant=convenant, partner=p, sinds=_vandaag()) for p in partners if p.pk not in huidige]
    )
    logregel_voor_door(door=door, actie=Actie.WIJZIGEN, obj=convenant, doel=Doel.CONVENANTBEHEER)
    return convenant


@transaction.atomic
def convenant_opzeggen(*, convenant: Convenant, opgezegd_op: dt.date, door: User | None = None) -> Convenant:
    """Record a notice; the convenant ends at the first term end that respects the notice period."""
    _vereis_platformbeheer(door)
    convenant = Convenant.objects.select_for_update().get(pk=convenant.pk)
    if convenant.opgezegd_op is not None:
        raise ApplicationError(
            "Dit convenant is al opgezegd.",
            extra={"opgezegd_op": [f"Al opgezegd op {convenant.opgezegd_op:%d-%m-%Y}."]},
        )
    if not convenant.stilzwijgend_verlengen:
        raise ApplicationError(
            "Dit convenant wordt niet verlengd en hoeft niet te worden opgezegd.",
            extra={"opgezegd_op": [f"Het convenant eindigt vanzelf op {convenant.bereken_einddatum():%d-%m-%Y}."]},
        )
    if opgezegd_op < convenant.startdatum:
        raise ApplicationError(
            "De opzegging ligt vóór de ingangsdatum.",
            extra={"opgezegd_op": ["Een opzegging kan niet vóór de ingangsdatum liggen."]},
        )
    if opgezegd_op > _vandaag():
        raise ApplicationError(
            "Een opzegging kan niet in de toekomst liggen.",
            extra={"opgezegd_op": ["Vul de datum in waarop de opzegging is ontvangen (vandaag of eerder)."]},
        )
    convenant.opgezegd_op = opgezegd_op
    convenant.einddatum = convenant.bereken_einddatum()
    convenant.save(update_fields=["opgezegd_op", "einddatum"])
    logregel_voor_door(door=door, actie=Actie.WIJZIGEN, obj=convenant, doel=Doel.CONVENANTBEHEER)
    return convenant


@transaction.atomic
def convenant_parameters_opslaan(
    *, convenant: Convenant, jaar: int, waarden: dict[str, Any], door: User | None = None
) -> ConvenantParameters:
    """Create or change the parameter version of one calendar year.

    A version of a year that has ended cannot be changed (invoices and deadlines of that year rely on
    it); a missing year may still be added. Unknown keys are refused.
    """
    _vereis_platformbeheer(door)
    convenant = Convenant.objects.select_for_update().get(pk=convenant.pk)
    fouten: dict[str, list[str]] = {}
    if jaar < convenant.startdatum.year:
        fouten["jaar"] = [f"Het convenant gaat pas in op {convenant.startdatum:%d-%m-%Y}."]
    elif convenant.einddatum is not None and jaar > convenant.einddatum.year:
        fouten["jaar"] = [f"Het convenant eindigt op {convenant.einddatum:%d-%m-%Y}."]
    bestaand = ConvenantParameters.objects.select_for_update().filter(convenant=convenant, jaar=jaar).first()
    if bestaand is not None and jaar < _vandaag().year:
        fouten["jaar"] = [f"De parameters van {jaar} zijn vastgesteld en kunnen niet meer worden gewijzigd."]
    params = bestaand or ConvenantParameters(convenant=convenant, jaar=jaar)
    fouten.update(_pas_parameters_toe(params, waarden))
    if fouten:
        raise ApplicationError(f"De parameters voor {jaar} zijn niet opgeslagen.", extra=fouten)
    params.save()
    actie = Actie.WIJZIGEN if bestaand is not None else Actie.AANMAKEN
    logregel_voor_door(door=door, actie=actie, obj=params, doel=Doel.CONVENANTBEHEER)
    return params


def _pas_parameters_toe(params: ConvenantParameters, waarden: dict[str, Any]) -> dict[str, list[str]]:
    """Validate ``waarden`` and set the valid ones on ``params``; return the errors per field."""
    toegestaan = set(PARAMETER_GRENZEN) | set(TARIEF_VELDEN) | {"btw_verschuldigd"}
    fouten: dict[str, list[str]] = {k: ["Onbekend veld."] for k in sorted(set(waarden) - toegestaan)}
    waarden = {k: v for k, v in waarden.items() if k in toegestaan}
    for veld in TARIEF_VELDEN:
        if veld not in waarden:
            continue
        try:
            bedrag = Decimal(str(waarden[veld]))
        except ArithmeticError:
            fouten[veld] = ["Vul een bedrag in, bijvoorbeeld 234,00."]
            continue
        if not bedrag.is_finite() or bedrag < 0 or bedrag > MAX_TARIEF:
            fouten[veld] = ["Een tarief ligt tussen € 0,00 en € 100.000,00."]
        elif bedrag.as_tuple().exponent < -2:  # type: ignore[operator]  # finite here: exponent is an int
            fouten[veld] = ["Een tarief heeft ten hoogste twee decimalen."]
        else:
            waarden[veld] = bedrag.quantize(Decimal("0.01"))
    for veld, (laag, hoog) in PARAMETER_GRENZEN.items():
        if veld not in waarden:
            continue
        waarde = waarden[veld]
        if not isinstance(waarde, int) or isinstance(waarde, bool) or not laag <= waarde <= hoog:
            fouten[veld] = [f"Vul een geheel getal in van {laag} tot en met {hoog}."]
    for veld, waarde in waarden.items():
        if veld not in fouten:
            setattr(params, veld, waarde)
    if "min_achterstand_maanden_herhaald" not in fouten and "min_achterstand_maanden" not in fouten:
        if params.min_achterstand_maanden_herhaald > params.min_achterstand_maanden:
            fouten["min_achterstand_maanden_herhaald"] = [
                "Bij herhaalde achterstand kan het minimum niet hoger zijn dan het gewone minimum."
            ]
    if "datalek_verwerker_uren" not in fouten and "datalek_ap_uren" not in fouten:
        if params.datalek_verwerker_uren > params.datalek_ap_uren:
            fouten["datalek_verwerker_uren"] = [
                "De verwerker moet de FG eerder informeren dan de termijn voor de melding aan de AP."
            ]
    return fouten
