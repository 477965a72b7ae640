"""The contactpunt's pages for restriction and objection, and what the FG sees of them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meldingen.models import Afscherming
from meldpunt.audit.models import LogRegel
from tests.conftest import login_verified
from tests.meldingen.helpers import geclaimd_dossier, scherm_af
from tests.persoonsgegevens import ACHTERNAAM

pytestmark = pytest.mark.django_db


def test_the_contactpunt_restricts_by_dossier_number_and_lifts_it(client, tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    login_verified(client, tenant_a.gebruikers["contactpunt"])
    url = reverse("afscherming:create")
    assert client.get(url).status_code == 200
    response = client.post(url, {"dossiernummer": dossier.nummer, "soort": "beperking", "reden": "AVG-2026-017"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.afgeschermd_sinds is not None
    lijst = client.get(reverse("afscherming:list")).content.decode()
    assert dossier.nummer in lijst and "AVG-2026-017" in lijst and ACHTERNAAM not in lijst
    assert LogRegel.objects.filter(object_type="meldingen.afscherming", actie="aanmaken").exists()
    afscherming = Afscherming.objects.get()
    assert b"AVG-2026-017" not in bytes(afscherming.reden)  # encrypted
    assert client.post(reverse("afscherming:opheffen", args=[afscherming.pk])).status_code == 302
    dossier.refresh_from_db()
    assert dossier.afgeschermd_sinds is None


@pytest.mark.parametrize(
    ("velden", "veld", "tekst"),
    [
        ({"dossiernummer": "2026-9999999", "soort": "bezwaar", "reden": "x"}, "dossiernummer", "Geen dossier"),
        ({"dossiernummer": "", "soort": "bezwaar", "reden": "x"}, "dossiernummer", "vereist"),
        ({"soort": "vergeten", "reden": "x"}, "soort", "geldige keuze"),
        ({"soort": "bezwaar", "reden": ""}, "reden", "vereist"),
    ],
)
def test_bad_input_gets_a_dutch_message_per_field(client, tenant_a, velden, veld, tekst):
    dossier = geclaimd_dossier(tenant_a)
    velden.setdefault("dossiernummer", dossier.nummer)
    login_verified(client, tenant_a.gebruikers["contactpunt"])
    response = client.post(reverse("afscherming:create"), velden)
    assert response.status_code == 400
    assert tekst in " ".join(response.context["form"].errors[veld])
    assert not Afscherming.objects.exists()


def test_another_gemeentes_dossier_cannot_be_found_or_lifted(client, tenant_a, tenant_b):
    ander = geclaimd_dossier(tenant_b)
    login_verified(client, tenant_a.gebruikers["contactpunt"])
    response = client.post(
        reverse("afscherming:create"), {"dossiernummer": ander.nummer, "soort": "beperking", "reden": "x"}
    )
    assert response.status_code == 400 and not Afscherming.objects.exists()
    afscherming = scherm_af(tenant_b, ander)
    assert client.post(reverse("afscherming:opheffen", args=[afscherming.pk])).status_code == 404
    assert ander.nummer not in client.get(reverse("afscherming:list")).content.decode()


def test_the_fg_sees_the_list_but_cannot_change_it(client, tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    afscherming = scherm_af(tenant_a, dossier, "bezwaar")
    login_verified(client, tenant_a.gebruikers["fg"])
    lijst = client.get(reverse("afscherming:list")).content.decode()
    assert dossier.nummer in lijst and "Opheffen" not in lijst
    assert client.post(reverse("afscherming:opheffen", args=[afscherming.pk])).status_code == 403
    assert client.get(reverse("afscherming:create")).status_code == 403
