"""Building breaches for the tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from datalekken.register.models import Datalek
from datalekken.register.services import datalek_melden

#: The description a reporter types: no personal data of the people affected.
OMSCHRIJVING = "Brief over de huurachterstand is naar een verkeerd adres gestuurd."
CONTACT_NAAM = "Hanneke Hulpverlener"
CONTACT_TELEFOON = "020-5551234"


def maak_datalek(tenant: Any, rol: str = "hulpverlener", *, door: Any = None, **wijzigingen: Any) -> Datalek:
    gegevens: dict[str, Any] = {
        "door": door or tenant.gebruikers[rol],
        "convenanten": [tenant.convenant],
        "omschrijving": OMSCHRIJVING,
        "ontdekt_op": timezone.now() - dt.timedelta(hours=1),
        "soort": ["vertrouwelijkheid"],
        "contact_naam": CONTACT_NAAM,
        "contact_telefoon": CONTACT_TELEFOON,
    }
    gegevens.update(wijzigingen)
    return datalek_melden(**gegevens)


REGISTER_COMPLEET: dict[str, Any] = {
    "categorieen": ["naw", "schulden"],
    "aantal_min": 1,
    "aantal_max": 1,
    "groepen": "Huurders met een betalingsachterstand",
    "betreft_kinderen": False,
    "contactgegevens_bekend": True,
    "oorzaak": "verkeerde_ontvanger",
}
