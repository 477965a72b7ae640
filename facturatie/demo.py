"""Demo invoice details of the demo organisations (idempotent: only where none are filled in)."""

from __future__ import annotations

from meldpunt.core.models import Organisatie
from meldpunt.core.services import FACTUURGEGEVENS, organisatie_update

#: slug -> invoice details (fictitious numbers; the IBANs are valid test numbers).
DEMO_GEGEVENS: dict[str, dict[str, str]] = {
    "gemeente-diemen": {
        "postadres": "Wethouder van Essenstraat 1",
        "postcode": "1111 BE",
        "plaats": "Diemen",
        "kvk_nummer": "34389227",
        "iban": "NL91ABNA0417164300",
        "financieel_contact": "Team Financiën",
        "financieel_email": "financien@diemen.nl",
    },
    "rochdale": {"postadres": "Bijlmerdreef 1", "postcode": "1102 CT", "plaats": "Amsterdam", "kvk_nummer": "41200970"},
    "madizo": {"postadres": "Postbus 100", "postcode": "1110 AC", "plaats": "Diemen", "kvk_nummer": "41216593"},
    "gemeente-ouder-amstel": {
        "postadres": "Postbus 35",
        "postcode": "1190 AA",
        "plaats": "Ouderkerk aan de Amstel",
        "kvk_nummer": "34377386",
        "iban": "NL02ABNA0123456789",
        "financieel_contact": "Afdeling Financiën",
        "financieel_email": "financien@ouder-amstel.nl",
    },
    "woonzorg-amstel": {
        "postadres": "Amstelveenseweg 1",
        "postcode": "1181 AA",
        "plaats": "Amstelveen",
        "kvk_nummer": "30123456",
    },
    "schuldhulp-amstel": {
        "postadres": "Postbus 200",
        "postcode": "1180 AE",
        "plaats": "Amstelveen",
        "kvk_nummer": "30654321",
    },
}


def demo_factuurgegevens_laden() -> int:
    """Fill in the details of demo organisations that have none; returns how many were filled in."""
    gevuld = 0
    for slug, gegevens in DEMO_GEGEVENS.items():
        org = Organisatie.objects.filter(slug=slug).first()
        if org is None or any(getattr(org, veld) for veld in FACTUURGEGEVENS):
            continue
        organisatie_update(organisatie=org, naam=org.naam, actief=org.actief, door=None, **gegevens)
        gevuld += 1
    return gevuld
