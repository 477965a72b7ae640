"""Dossiers as the anonymous record invoices are made from, and organisations with invoice details."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from meldingen.dossiers.models import Contactpoging, Dossier
from meldingen.dossiers.workflow import DossierStatus
from meldingen.rapportage.models import Rapportage
from meldpunt.privacy.models import DataSleutel

_teller = itertools.count(1)


def bereikt_dossier(
    tenant: Any,
    *,
    type: str = "VEO",
    afgesloten: dt.date = dt.date(2025, 6, 1),
    bereikt: bool = True,
    volledig: bool = True,
    partner: Any = None,
    convenant: Any = None,
) -> Dossier:
    """A closed dossier of ``tenant`` (reached contact and complete rapportage unless told otherwise)."""
    n = next(_teller)
    sleutel = DataSleutel.objects.create(doel="dossier", verpakte_sleutel=b"\x00" * 40, master_versie=1)
    dossier = Dossier.objects.create(
        nummer=f"D-{afgesloten.year}-{n:06d}",
        convenant=convenant or tenant.convenant,
        partner=partner or tenant.partner,
        sleutel=sleutel,
        type=type,
        status=DossierStatus.AFGESLOTEN,
        achterstand_bedrag="1300.00",
        postcode_cijfers=1111,
        eindresultaat="Vervolghulp en/of verwijzing",
        afgesloten_op=timezone.make_aware(dt.datetime.combine(afgesloten, dt.time(12, 0))),
    )
    Contactpoging.objects.create(
        dossier=dossier,
        soort="Administratief",
        datum=afgesloten,
        dagdeel="Ochtend",
        bereikt=bereikt,
        door=tenant.gebruikers["hulpverlener"],
    )
    Rapportage.objects.create(dossier=dossier, volledig=volledig)
    return dossier


GEGEVENS = {
    "gemeente": {
        "postadres": "Wethouder van Essenstraat 1",
        "postcode": "1111 BE",
        "plaats": "Diemen",
        "kvk_nummer": "34389227",
        "oin": "00000001002306608000",
        "iban": "NL91ABNA0417164300",
        "financieel_contact": "Team Financiën",
        "financieel_email": "financien@example.org",
    },
    "partner": {"postadres": "Bijlmerdreef 1", "postcode": "1102 CT", "plaats": "Amsterdam", "kvk_nummer": "41200970"},
    "uitvoerder": {"postadres": "Postbus 10", "postcode": "1110 AA", "plaats": "Diemen", "kvk_nummer": "12345678"},
}


def factuurgegevens_invullen(tenant: Any) -> None:
    for rol in ("gemeente", "partner", "uitvoerder"):
        org = getattr(tenant, rol)
        for veld, waarde in GEGEVENS[rol].items():
            setattr(org, veld, waarde)
        org.save()
