"""Closed dossiers with everything a dossier can hold, through the real services."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.utils import timezone

from tests.meldingen.helpers import geclaimd_dossier

NAALD = "NAALDq7X3zK"

RAPPORTAGE = {
    "inkomsten": [{"bron": f"Loon {NAALD}", "bedrag": "1850.00"}],
    "uitgaven": [{"omschrijving": "Boodschappen", "bedrag": "400,50"}],
    "geen_schulden": False,
    "schulden": [{"schuldeiser": f"Incasso {NAALD}", "bedrag": "1200.5"}],
    "vaste_lasten": {
        "huur": {"status": "achterstand", "achterstand": "1300.00"},
        "zorgverzekering": {"status": "betaald", "achterstand": None},
        "water": {"status": "betaald", "achterstand": None},
        "energie": {"status": "betaald", "achterstand": None},
    },
    "betalingsregelingen": "geen",
    "kan_betalen": "ja",
    "kan_betalen_motivatie": f"Vast contract {NAALD}",
    "plan": ["budgetbeheer"],
    "ondersteuning": f"Budgetbeheer {NAALD}",
}


def sluit(tenant: Any, dossier: Any, eindresultaat: str = "(Budget)advies en/of quick fix") -> Any:
    from meldingen.dossiers.services import dossier_afsluiten

    return dossier_afsluiten(dossier=dossier, door=tenant.gebruikers["hulpverlener"], eindresultaat=eindresultaat)


def afgesloten_dossier(tenant: Any, referentie: str = "RC-2026-000123", **wijzigingen: Any) -> Any:
    """A claimed dossier with a reached contact attempt, closed by its hulpverlener (resultaat bereikt
    needs a complete rapportage too: see :func:`vol_dossier`)."""
    from meldingen.dossiers.services import contactpoging_create

    dossier = geclaimd_dossier(tenant, referentie, **wijzigingen)
    contactpoging_create(
        dossier=dossier,
        door=tenant.gebruikers["hulpverlener"],
        soort="Telefoon",
        datum=timezone.localdate(),
        dagdeel="Ochtend",
        bereikt=True,
        notitie="Gebeld, afspraak gemaakt.",
    )
    return sluit(tenant, dossier)


def vol_dossier(tenant: Any, merk: str = NAALD, referentie: str | None = None) -> Any:
    """A closed dossier with ``merk`` in every personal-data field the services let a user fill."""
    from meldingen.afscherming.services import afscherming_instellen, afscherming_opheffen
    from meldingen.api.models import IdempotentVerzoek
    from meldingen.dossiers.services import contactpoging_create, dossier_heropenen
    from meldingen.informatieplicht.services import informatieplicht_uitzondering
    from meldingen.rapportage.pdf import rapportage_pdf_maken
    from meldingen.rapportage.services import rapportage_opslaan
    from meldingen.toestemming.services import toestemming_create

    hv, tl = tenant.gebruikers["hulpverlener"], tenant.gebruikers["teamleider"]
    dossier = geclaimd_dossier(
        tenant,
        referentie or f"RC-{merk}",
        huurder__achternaam=f"Achternaam {merk}",
        huurder__voornamen=f"Voornaam {merk}",
        huurder__email=f"{merk.lower()}@example.nl",
        adres__straat=f"Straat {merk}",
        adres__woonplaats=f"Plaats {merk}",
    )
    contactpoging_create(
        dossier=dossier,
        door=hv,
        soort="Telefoon",
        datum=timezone.localdate(),
        dagdeel="Ochtend",
        bereikt=True,
        notitie=f"Notitie {merk}",
    )
    inhoud = copy.deepcopy(RAPPORTAGE)
    inhoud["kan_betalen_motivatie"] = f"Vast contract {merk}"
    rapportage_opslaan(dossier=dossier, door=hv, inhoud=inhoud)
    rapportage_pdf_maken(dossier_id=dossier.pk)
    toestemming_create(
        dossier=dossier,
        door=tl,
        ontvanger_soort="gemeente",
        scope="rapportage",
        gegeven_op=timezone.localdate(),
        wijze="schriftelijk",
        bewijs=f"Bewijs {merk}",
        formulier=b"%PDF-1.4\n" + merk.encode() + b"\n%%EOF\n",
    )
    toestemming_create(
        dossier=dossier,
        door=tl,
        ontvanger_soort="partner",
        scope="status",
        gegeven_op=timezone.localdate(),
        wijze="mondeling",
        bewijs=f"Bewijs partner {merk}",
    )
    informatieplicht_uitzondering(
        dossier=dossier, door=hv, uitzondering="heeft_informatie_al", toelichting=f"Toelichting {merk}"
    )
    sluit(tenant, dossier)
    dossier_heropenen(dossier=dossier, door=tl, reden=f"Heropend {merk}")
    dossier = sluit(tenant, dossier)
    afscherming = afscherming_instellen(
        dossier=dossier, door=tenant.gebruikers["contactpunt"], soort="beperking", reden=f"Reden {merk}"
    )
    afscherming_opheffen(afscherming=afscherming, door=tenant.gebruikers["contactpunt"])
    IdempotentVerzoek.objects.create(
        organisatie=tenant.partner,
        sleutel=f"sleutel-{merk}",
        verzoek_hash="0" * 64,
        melding=dossier.meldingen.get(),
        status_code=201,
    )
    dossier.refresh_from_db()
    return dossier


def dag(jaar: int, maand: int, dag_: int, uur: int = 10) -> dt.datetime:
    """A moment in local (Amsterdam) time."""
    return timezone.make_aware(dt.datetime(jaar, maand, dag_, uur, 0))
