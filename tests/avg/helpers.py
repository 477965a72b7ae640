"""Requests built through the real services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tests.persoonsgegevens import ACHTERNAAM, GEBOORTEDATUM, HUISNUMMER, POSTCODE, VOORNAMEN


def registreer(tenant: Any, soorten: list[str] | None = None, ontvangen_op: dt.date | None = None) -> Any:
    from avg.verzoeken.services import verzoek_registreren

    return verzoek_registreren(
        door=tenant.gebruikers["contactpunt"],
        ontvangen_op=ontvangen_op or timezone.localdate(),
        kanaal="brief",
        soorten=soorten or ["inzage"],
        verzoeker={
            "achternaam": ACHTERNAAM,
            "voornamen": VOORNAMEN,
            "geboortedatum": GEBOORTEDATUM,
            "postcode": POSTCODE,
            "huisnummer": str(HUISNUMMER),
            "toevoeging": "A",
        },
    )


def in_behandeling(tenant: Any, soorten: list[str] | None = None, vastgesteld_op: dt.date | None = None) -> Any:
    from avg.verzoeken.services import verzoek_identiteit_vaststellen

    vandaag = timezone.localdate()
    verzoek = registreer(tenant, soorten, ontvangen_op=vastgesteld_op or vandaag)
    return verzoek_identiteit_vaststellen(
        verzoek=verzoek,
        door=tenant.gebruikers["contactpunt"],
        methode="digid",
        vastgesteld_op=vastgesteld_op or vandaag,
    )


def met_dossier(tenant: Any, soorten: list[str] | None = None) -> tuple[Any, Any]:
    from avg.verzoeken.services import verzoekdossier_bevestigen
    from tests.meldingen.helpers import maak_melding

    verzoek = in_behandeling(tenant, soorten)
    dossier = maak_melding(tenant).dossier
    verzoekdossier_bevestigen(verzoek=verzoek, dossier=dossier, door=tenant.gebruikers["contactpunt"])
    return verzoek, dossier


def raadpleeg(tenant: Any, verzoek: Any) -> list[Any]:
    from avg.raadpleging.services import raadplegingen_versturen

    return raadplegingen_versturen(verzoek=verzoek, door=tenant.gebruikers["contactpunt"])


def beantwoord(tenant: Any, raadpleging: Any, uitzondering: dict[str, str] | None = None) -> Any:
    from avg.raadpleging.services import raadpleging_beantwoorden

    rol = (
        "partner_beheer"
        if raadpleging.organisatie_id == tenant.partner.pk
        else ("teamleider" if raadpleging.organisatie_id == tenant.uitvoerder.pk else "gemeente_medewerker")
    )
    antwoorden = {
        c: {
            "uitzondering": (uitzondering or {}).get(c, ""),
            "motivering": "Lopend onderzoek." if (uitzondering or {}).get(c) else "",
        }
        for c in raadpleging.categorieen
    }
    return raadpleging_beantwoorden(raadpleging=raadpleging, door=tenant.gebruikers[rol], antwoorden=antwoorden)
