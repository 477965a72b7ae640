"""Valid melding input in the API's shape, and helpers to build MeldingInvoer from it."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

from meldingen.intake.validatie import MeldingInvoer
from tests.persoonsgegevens import ACHTERNAAM, EMAIL, HUISNUMMER, POSTCODE, STRAAT, TELEFOON, VOORNAMEN

VANDAAG = dt.date(2026, 11, 22)


def api_melding(convenant: str = "alfa", /, **wijzigingen: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "convenant": convenant,
        "type": "VEO",
        "referentie": "RC-2026-000123",
        "huurder": {
            "achternaam": ACHTERNAAM,
            "voornamen": VOORNAMEN,
            "voorletters": "P.G.",
            "geboortedatum": "1980-05-17",
            "telefoon": TELEFOON,
            "email": EMAIL,
        },
        "adres": {
            "straat": STRAAT,
            "huisnummer": HUISNUMMER,
            "toevoeging": "A",
            "postcode": POSTCODE,
            "woonplaats": "Diemen",
        },
        "huishouden": {"minderjarige_kinderen": 2},
        "achterstand": {"bedrag": "1300.00", "maanden": 2, "herhaald": False, "maandhuur": "650.00"},
        "voortraject": {
            "herinnering_op": "2026-10-01",
            "contactpoging_op": "2026-10-08",
            "informatie_doorgifte_op": "2026-10-08",
        },
    }
    data = copy.deepcopy(data)
    for pad, waarde in wijzigingen.items():
        doel = data
        *ouders, blad = pad.split("__")
        for ouder in ouders:
            doel = doel.setdefault(ouder, {})
        if waarde is ...:
            doel.pop(blad, None)
        else:
            doel[blad] = waarde
    return data


def invoer_uit(data: dict[str, Any]) -> MeldingInvoer:
    """Build a MeldingInvoer from already well-typed API-shaped data (for service tests)."""
    d = lambda s: dt.date.fromisoformat(s) if s else None  # noqa: E731
    h, a, hh, ach, vt = (data.get(k, {}) for k in ("huurder", "adres", "huishouden", "achterstand", "voortraject"))
    eo = data.get("eo")
    return MeldingInvoer(
        convenant=data.get("convenant", ""),
        type=data.get("type", ""),
        referentie=data.get("referentie", ""),
        achternaam=h.get("achternaam", ""),
        voornamen=h.get("voornamen", ""),
        voorletters=h.get("voorletters", ""),
        geboortedatum=d(h.get("geboortedatum")),
        telefoon=h.get("telefoon", ""),
        email=h.get("email", ""),
        straat=a.get("straat", ""),
        huisnummer=a.get("huisnummer"),
        toevoeging=a.get("toevoeging", ""),
        postcode=a.get("postcode", ""),
        woonplaats=a.get("woonplaats", ""),
        minderjarige_kinderen=hh.get("minderjarige_kinderen", 0),
        bedrag=Decimal(ach["bedrag"]) if ach.get("bedrag") is not None else None,
        maanden=ach.get("maanden"),
        herhaald=ach.get("herhaald", False),
        maandhuur=Decimal(ach["maandhuur"]) if ach.get("maandhuur") is not None else None,
        herinnering_op=d(vt.get("herinnering_op")),
        contactpoging_op=d(vt.get("contactpoging_op")),
        informatie_doorgifte_op=d(vt.get("informatie_doorgifte_op")),
        vonnisdatum=d((eo or {}).get("vonnisdatum")),
        ontruimingsdatum=d((eo or {}).get("ontruimingsdatum")),
        eo_opgegeven=eo is not None,
    )


def maak_melding(tenant: Any, referentie: str = "RC-2026-000123", **wijzigingen: Any) -> Any:
    """Store a valid melding for ``tenant`` through the real services (dates relative to today)."""
    from django.utils import timezone

    from meldingen.intake.models import Kanaal
    from meldingen.intake.services import melding_create
    from meldingen.intake.validatie import valideer_melding

    vandaag = timezone.localdate()
    standaard = {
        "referentie": referentie,
        "voortraject__herinnering_op": (vandaag - dt.timedelta(days=30)).isoformat(),
        "voortraject__contactpoging_op": (vandaag - dt.timedelta(days=20)).isoformat(),
        "voortraject__informatie_doorgifte_op": (vandaag - dt.timedelta(days=20)).isoformat(),
    }
    data = api_melding(tenant.convenant.slug, **{**standaard, **wijzigingen})
    uitkomst = valideer_melding(invoer_uit(data), partner=tenant.partner, vandaag=vandaag)
    assert uitkomst.geldig, uitkomst.fouten
    return melding_create(
        uitkomst=uitkomst, partner=tenant.partner, kanaal=Kanaal.FORMULIER, door=tenant.gebruikers["melder"]
    ).melding


def maak_werkbak(tenant: Any, naam: str = "EO", **filters: Any) -> Any:
    from meldingen.dossiers.services import werkbak_create

    return werkbak_create(door=tenant.gebruikers["teamleider"], naam=naam, **filters)


def geclaimd_dossier(tenant: Any, referentie: str = "RC-2026-000123", **wijzigingen: Any) -> Any:
    """A dossier of ``tenant`` claimed by its hulpverlener, through the real services."""
    from meldingen.dossiers.services import dossier_claim

    melding = maak_melding(tenant, referentie, **wijzigingen)
    return dossier_claim(dossier_id=melding.dossier_id, door=tenant.gebruikers["hulpverlener"])


def geef_toestemming(
    tenant: Any, dossier: Any, ontvanger_soort: str = "gemeente", scope: str = "rapportage", **velden: Any
) -> Any:
    """Record the tenant's consent through the real service (as the tenant's teamleider)."""
    from django.utils import timezone

    from meldingen.toestemming.services import toestemming_create

    gegevens = {
        "gegeven_op": timezone.localdate(),
        "wijze": "mondeling",
        "bewijs": "Telefonisch toegelicht en akkoord gegeven.",
        **velden,
    }
    return toestemming_create(
        dossier=dossier, door=tenant.gebruikers["teamleider"], ontvanger_soort=ontvanger_soort, scope=scope, **gegevens
    )


def trek_in(tenant: Any, toestemming: Any) -> Any:
    from django.utils import timezone

    from meldingen.toestemming.services import toestemming_intrekken

    return toestemming_intrekken(
        toestemming=toestemming, door=tenant.gebruikers["teamleider"], ingetrokken_op=timezone.localdate()
    )


def scherm_af(tenant: Any, dossier: Any, soort: str = "beperking") -> Any:
    from meldingen.afscherming.services import afscherming_instellen

    return afscherming_instellen(
        dossier=dossier, door=tenant.gebruikers["contactpunt"], soort=soort, reden="Verzoek AVG-2026-001"
    )
