"""Handing a claimed dossier back to the queue ("teruggeven", geclaimd → nieuw, with a reason, logged)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meldingen.ddas import Contactsoort, Dagdeel, Signaalstatus
from meldingen.dossiers.selectors import mijn_dossiers, wachtrij_voor_uitvoerder
from meldingen.dossiers.services import contactpoging_create, dossier_claim, dossier_teruggeven
from meldingen.dossiers.workflow import DossierStatus
from meldingen.models import Dossier, Melding, StatusWijziging
from meldpunt.audit.models import LogRegel
from meldpunt.core.exceptions import ApplicationError
from meldpunt.privacy.kluis import Kluis
from tests.factories import UserFactory
from tests.meldingen.helpers import geclaimd_dossier, scherm_af

pytestmark = pytest.mark.django_db

REDEN = "Buiten mijn werkgebied"


def test_the_behandelaar_hands_a_claimed_dossier_back(tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    hulpverlener = tenant_a.gebruikers["hulpverlener"]
    voor = LogRegel.objects.filter(object_type="meldingen.dossier", object_id=str(dossier.pk)).count()

    dossier_teruggeven(dossier=dossier, door=hulpverlener, reden=f"  {REDEN} ")

    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == DossierStatus.NIEUW
    assert dossier.behandelaar is None and dossier.geclaimd_op is None
    assert set(Melding.objects.filter(dossier=dossier).values_list("status", flat=True)) == {
        Signaalstatus.NOG_NIET_OPGEPAKT
    }
    wijziging = StatusWijziging.objects.filter(dossier=dossier).order_by("tijdstip", "pk").last()
    assert (wijziging.van, wijziging.naar, wijziging.door) == ("geclaimd", "nieuw", hulpverlener)
    # The reason may name the tenant: stored only encrypted under the dossier's key.
    assert REDEN.encode() not in bytes(wijziging.reden)
    reden = Kluis(dossier.sleutel).ontsleutel(bytes(wijziging.reden), context=f"meldingen.statuswijziging:{dossier.pk}")
    assert reden == REDEN
    assert LogRegel.objects.filter(object_type="meldingen.dossier", object_id=str(dossier.pk)).count() == voor + 1
    # Back in the team's queue, out of the own caseload; a colleague can claim it.
    assert dossier in wachtrij_voor_uitvoerder(user=hulpverlener)
    assert dossier not in mijn_dossiers(user=hulpverlener)
    collega = UserFactory(username="collega.alfa", organisatie=tenant_a.uitvoerder, rollen=["hulpverlener"])
    assert dossier_claim(dossier_id=dossier.pk, door=collega).behandelaar == collega


def test_a_reason_is_required_and_nothing_changes_without_one(tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    with pytest.raises(ApplicationError) as exc:
        dossier_teruggeven(dossier=dossier, door=tenant_a.gebruikers["hulpverlener"], reden="   ")
    assert exc.value.extra == {"reden": ["Vul de reden in."]}
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.GECLAIMD and dossier.behandelaar == tenant_a.gebruikers["hulpverlener"]


def test_only_the_behandelaar_or_a_teamleider_hands_back(tenant_a, tenant_b):
    dossier = geclaimd_dossier(tenant_a)
    collega = UserFactory(username="collega.alfa", organisatie=tenant_a.uitvoerder, rollen=["hulpverlener"])
    for door in (collega, tenant_b.gebruikers["teamleider"], tenant_a.gebruikers["melder"]):
        with pytest.raises(ApplicationError):
            dossier_teruggeven(dossier=dossier, door=door, reden=REDEN)
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.GECLAIMD
    dossier_teruggeven(dossier=dossier, door=tenant_a.gebruikers["teamleider"], reden=REDEN)
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.NIEUW


def test_not_after_contact_with_the_tenant_nor_while_restricted(tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    contactpoging_create(
        dossier=dossier,
        door=tenant_a.gebruikers["hulpverlener"],
        soort=Contactsoort.TELEFOON,
        datum=dossier.geclaimd_op.date(),
        dagdeel=Dagdeel.OCHTEND,
        bereikt=True,
    )
    with pytest.raises(ApplicationError, match="zonder contact"):
        dossier_teruggeven(dossier=dossier, door=tenant_a.gebruikers["hulpverlener"], reden=REDEN)
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.IN_CONTACT

    afgeschermd = geclaimd_dossier(tenant_a, referentie="RC-2026-000999")
    scherm_af(tenant_a, afgeschermd)
    with pytest.raises(ApplicationError, match="afgeschermd"):
        dossier_teruggeven(dossier=afgeschermd, door=tenant_a.gebruikers["hulpverlener"], reden=REDEN)


def test_hand_back_from_the_dossier_page(client, inloggen, tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    inloggen(tenant_a.gebruikers["hulpverlener"])
    url = reverse("meldingen:dossier", args=[dossier.pk])
    assert 'value="teruggeven"' in client.get(url).content.decode()

    response = client.post(url, {"actie": "teruggeven", "reden": ""})
    assert response.status_code == 400 and "Dit veld is vereist." in response.content.decode()

    response = client.post(url, {"actie": "teruggeven", "reden": REDEN})
    assert response.status_code == 302 and response["Location"] == reverse("meldingen:mijn_dossiers")
    caseload = client.get(response["Location"]).content.decode()
    assert f"Dossier {dossier.nummer} staat weer in de wachtrij." in caseload
    assert url not in caseload
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.NIEUW
    # Unclaimed now: the page offers no hand-back any more.
    assert 'value="teruggeven"' not in client.get(url).content.decode()


def test_a_colleague_sees_no_hand_back_form(client, inloggen, tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    collega = UserFactory(username="collega.alfa", organisatie=tenant_a.uitvoerder, rollen=["hulpverlener"])
    inloggen(collega)
    pagina = client.get(reverse("meldingen:dossier", args=[dossier.pk])).content.decode()
    assert 'value="teruggeven"' not in pagina
