"""Log entries hold references, never personal data: no names, e-mail addresses or typed text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meldpunt.audit.models import LogRegel
from meldpunt.core.services import gebruiker_create, gebruiker_update
from tests.factories import WACHTWOORD
from tests.persoonsgegevens import ACHTERNAAM, EMAIL, VOORNAMEN

pytestmark = pytest.mark.django_db

#: Every column of an entry. A new column must be added here on purpose (and be a reference too).
KOLOMMEN = {
    "id",
    "tijdstip",
    "gebruiker",
    "organisatie",
    "actie",
    "object_type",
    "object_id",
    "convenant",
    "resultaat",
    "herkomst",
    "doel",
    "vorige_hash",
    "hash",
}


def test_the_log_has_no_column_for_names_or_free_text():
    assert {veld.name for veld in LogRegel._meta.get_fields()} == KOLOMMEN


def test_what_users_typed_never_reaches_the_log(client, inloggen, tenant_a, platformbeheerder):
    gebruiker = gebruiker_create(
        organisatie=tenant_a.partner,
        gebruikersnaam="p.zwaluwstaart",
        email=EMAIL,
        voornaam=VOORNAMEN,
        achternaam=ACHTERNAAM,
        rollen=["melder"],
        door=tenant_a.gebruikers["partner_beheer"],
        wachtwoord="Een-heel-lang-wachtwoord-1",
    )
    gebruiker_update(
        gebruiker=gebruiker,
        email=EMAIL,
        voornaam=VOORNAMEN,
        achternaam=f"{ACHTERNAAM}-Jansen",
        rollen=["melder"],
        actief=True,
        door=tenant_a.gebruikers["partner_beheer"],
    )
    client.post(reverse("core:login"), {"username": "p.zwaluwstaart", "password": "fout-wachtwoord"})
    client.post(reverse("core:login"), {"username": VOORNAMEN, "password": WACHTWOORD})
    inloggen(platformbeheerder)
    client.get(reverse("core:gebruiker_detail", args=[gebruiker.pk]) + "?zoek=" + ACHTERNAAM)
    client.get(reverse("core:gebruiker_list"), {"zoek": ACHTERNAAM})
    inloggen(tenant_a.gebruikers["fg"])
    client.get(reverse("audit:list"))
    client.get(reverse("core:gebruiker_list"), {"zoek": ACHTERNAAM})  # 403 for the FG, logged

    assert LogRegel.objects.count() >= 6
    verboden = [ACHTERNAAM, "Zwaluwstaart", "zwaluwstaart", VOORNAMEN, "Pieternella", EMAIL, "Jansen"]
    for waarden in LogRegel.objects.values():
        tekst = " ".join(str(v) for v in waarden.values())
        assert not [v for v in verboden if v in tekst], waarden
