"""The hulpverlener's pages: claim from the queue, my caseload, the dossier with contact attempts and closing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meldingen.dossiers.workflow import DossierStatus
from meldingen.models import Dossier
from meldpunt.audit.models import LogRegel
from tests.meldingen.helpers import maak_melding
from tests.persoonsgegevens import ACHTERNAAM

pytestmark = pytest.mark.django_db


def test_claim_work_and_close_in_the_browser(client, inloggen, tenant_a):
    melding = maak_melding(tenant_a)
    inloggen(tenant_a.gebruikers["hulpverlener"])
    wachtrij = client.get(reverse("meldingen:wachtrij")).content.decode()
    assert reverse("meldingen:dossier_claim", args=[melding.dossier_id]) in wachtrij
    response = client.post(reverse("meldingen:dossier_claim", args=[melding.dossier_id]))
    assert response["Location"] == reverse("meldingen:dossier", args=[melding.dossier_id])
    pagina = client.get(response["Location"]).content.decode()
    assert ACHTERNAAM in pagina
    # The history starts with the opening (its creation time; not a status change), then the claim.
    geopend = timezone.localtime(melding.dossier.aangemaakt_op).strftime("%d-%m-%Y %H:%M")
    assert f'<span class="mp-tijdlijn__wanneer">{geopend}</span>Dossier geopend (Nieuw)</li>' in pagina
    assert pagina.index("Dossier geopend (Nieuw)") < pagina.index("Nieuw (in de wachtrij) → Geclaimd")
    # Every change of behandelaar is a line of its own, with people by name.
    naam = tenant_a.gebruikers["hulpverlener"].get_full_name() or tenant_a.gebruikers["hulpverlener"].username
    assert f"Opgepakt door {naam}" in pagina
    assert LogRegel.objects.filter(actie="bekijken", object_type="meldingen.dossier").exists()
    assert melding.dossier.nummer in client.get(reverse("meldingen:mijn_dossiers")).content.decode()

    url = reverse("meldingen:dossier", args=[melding.dossier_id])
    vandaag = dt.date.today().isoformat()
    response = client.post(
        url, {"actie": "contact", "soort": "Telefoon", "datum": vandaag, "dagdeel": "Ochtend", "bereikt": "ja"}
    )
    assert response.status_code == 302
    assert Dossier.objects.get(pk=melding.dossier_id).status == DossierStatus.IN_CONTACT
    response = client.post(
        url, {"actie": "contact", "soort": "Telefoon", "datum": "2999-01-01", "dagdeel": "Ochtend", "bereikt": "nee"}
    )
    assert response.status_code == 400 and "toekomst" in response.content.decode()
    response = client.post(url, {"actie": "afsluiten", "eindresultaat": "(Budget)advies en/of quick fix"})
    assert response.status_code == 302
    assert Dossier.objects.get(pk=melding.dossier_id).status == DossierStatus.AFGESLOTEN
    # The Partner sees "Opgepakt".
    client.logout()
    inloggen(tenant_a.gebruikers["melder"])
    assert "Opgepakt" in client.get(reverse("meldingen:detail", args=[melding.pk])).content.decode()


def test_second_claim_gets_a_clear_message(client, inloggen, tenant_a):
    melding = maak_melding(tenant_a)
    inloggen(tenant_a.gebruikers["teamleider"])
    client.post(reverse("meldingen:dossier_claim", args=[melding.dossier_id]))
    client.logout()
    inloggen(tenant_a.gebruikers["hulpverlener"])
    response = client.post(reverse("meldingen:dossier_claim", args=[melding.dossier_id]), follow=True)
    assert "al opgepakt" in response.content.decode()
    assert Dossier.objects.get(pk=melding.dossier_id).behandelaar == tenant_a.gebruikers["teamleider"]


def test_teamleider_assigns_and_reopens(client, inloggen, tenant_a):
    melding = maak_melding(tenant_a)
    url = reverse("meldingen:dossier", args=[melding.dossier_id])
    inloggen(tenant_a.gebruikers["teamleider"])
    hv = tenant_a.gebruikers["hulpverlener"]
    assert client.post(url, {"actie": "toewijzen", "behandelaar": hv.pk}).status_code == 302
    assert Dossier.objects.get(pk=melding.dossier_id).behandelaar == hv
    client.post(url, {"actie": "afsluiten", "eindresultaat": "Definitief geen contact kunnen krijgen"})
    assert client.post(url, {"actie": "heropenen", "reden": ""}).status_code == 400
    assert client.post(url, {"actie": "heropenen", "reden": "Toch bereikt"}).status_code == 302
    assert Dossier.objects.get(pk=melding.dossier_id).status == DossierStatus.GECLAIMD
    assert client.post(url, {"actie": "onzin"}).status_code == 302
