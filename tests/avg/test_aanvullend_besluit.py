"""A supplementary decision when an invoked exception lapses (seed 002 §2.6), and erasure waiting for the answer
package when the same request asks for inzage."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from avg.besluiten.models import AanvullendBesluit, Besluit, Pakket, Uitvoering
from avg.besluiten.pakket import brief_context, pakket_bestand, pakket_maken
from avg.besluiten.services import aanvullend_besluiten, vervallen_weigeringen, verzoek_besluiten
from avg.besluiten.uitvoering import aanvulling_uit_te_voeren, aanvulling_uitvoeren, verzoek_uitvoeren
from avg.raadpleging.models import Antwoord
from meldingen.dossiers.models import Dossier
from meldpunt.core.exceptions import ApplicationError
from tests.avg.helpers import beantwoord, met_dossier, raadpleeg
from tests.conftest import login_verified
from tests.persoonsgegevens import ACHTERNAAM

pytestmark = pytest.mark.django_db


def besloten_met_uitzondering(tenant, soorten):
    """Decided: the Uitvoerder invoked art. 41 sub d for the dossier category."""
    verzoek, dossier = met_dossier(tenant, soorten)
    for r in raadpleeg(tenant, verzoek):
        beantwoord(tenant, r, {"melding": "d"} if r.organisatie_id == tenant.uitvoerder.pk else None)
    verzoek_besluiten(verzoek=verzoek, door=tenant.gebruikers["contactpunt"])
    verzoek.refresh_from_db()
    return verzoek, dossier


def test_erasure_in_a_request_with_inzage_waits_for_the_package(tenant_a):
    verzoek, dossier = met_dossier(tenant_a, ["inzage", "wissing"])
    cp = tenant_a.gebruikers["contactpunt"]
    for r in raadpleeg(tenant_a, verzoek):
        beantwoord(tenant_a, r)
    verzoek_besluiten(verzoek=verzoek, door=cp)
    with pytest.raises(ApplicationError, match="antwoordpakket klaar"):
        verzoek_uitvoeren(verzoek=verzoek, door=cp)
    assert Dossier.objects.get(pk=dossier.pk).vernietigd_op is None
    pakket = pakket_maken(verzoek_id=verzoek.pk)
    verzoek_uitvoeren(verzoek=verzoek, door=cp)
    assert Dossier.objects.get(pk=dossier.pk).vernietigd_op is not None
    # The copy made before the erasure still holds the data the requester asked for.
    _naam, inhoud = pakket_bestand(Pakket.objects.get(pk=pakket.pk))
    z = zipfile.ZipFile(io.BytesIO(inhoud))
    data = json.loads(z.read(f"persoonsgegevens-{verzoek.nummer}.json"))
    assert ACHTERNAAM in json.dumps(data, ensure_ascii=False)


def test_a_lapsed_exception_leads_to_a_supplementary_decision_and_the_erasure(client, tenant_a, tenant_b):
    verzoek, dossier = besloten_met_uitzondering(tenant_a, ["inzage", "wissing"])
    cp, tl = tenant_a.gebruikers["contactpunt"], tenant_a.gebruikers["teamleider"]
    besluit = Besluit.objects.get(verzoek=verzoek, organisatie=tenant_a.uitvoerder)
    assert besluit.uitkomst == "gedeeltelijk" and besluit.geweigerd == ["melding"]
    pakket_maken(verzoek_id=verzoek.pk)
    verzoek_uitvoeren(verzoek=verzoek, door=cp)
    assert Uitvoering.objects.get(verzoek=verzoek, soort="wissing").stand == "niet_uitgevoerd"
    assert vervallen_weigeringen(verzoek) == {}
    with pytest.raises(ApplicationError, match="geen uitzondering vervallen"):
        aanvullend_besluiten(verzoek=verzoek, door=cp)

    # The Uitvoerder reports through its consultation page that the exception no longer applies.
    antwoord = Antwoord.objects.get(
        raadpleging__verzoek=verzoek, raadpleging__organisatie=tenant_a.uitvoerder, categorie="melding"
    )
    url = reverse("raadpleging:vervallen", kwargs={"pk": antwoord.raadpleging_id, "antwoord_pk": antwoord.pk})
    login_verified(client, tenant_b.gebruikers["teamleider"])
    assert client.post(url).status_code == 404
    login_verified(client, tl)
    pagina = client.get(reverse("raadpleging:detail", kwargs={"pk": antwoord.raadpleging_id})).content.decode()
    assert "Uitzondering geldt niet meer" in pagina
    assert client.post(url).status_code == 302
    antwoord.refresh_from_db()
    assert antwoord.vervallen_op == timezone.localdate()

    login_verified(client, cp)
    detail = reverse("verzoeken:detail", kwargs={"pk": verzoek.pk})
    assert "data-aanvullend-nodig" in client.get(detail).content.decode()
    client.post(detail, {"actie": "aanvullend_besluiten"})
    besluit.refresh_from_db()
    assert besluit.uitkomst == "toegewezen" and besluit.geweigerd == [] and "melding" in besluit.toegewezen
    aanvulling = AanvullendBesluit.objects.get(besluit=besluit)
    assert aanvulling.toegewezen == ["melding"] and aanvulling.eerder_uitkomst == "gedeeltelijk"
    pagina = client.get(detail).content.decode()
    assert "data-aanvullend-nodig" not in pagina and "data-aanvulling" in pagina
    assert 'data-pakket="bezig"' in pagina  # letter and package are made again

    # The erasure waits for the new package, then goes ahead.
    verzoek.refresh_from_db()
    assert aanvulling_uit_te_voeren(verzoek)
    with pytest.raises(ApplicationError, match="antwoordpakket klaar"):
        aanvulling_uitvoeren(verzoek=verzoek, door=cp)
    pakket_maken(verzoek_id=verzoek.pk)
    brief = render_to_string("avg/besluiten/brief.html", brief_context(verzoek))
    assert "Aanvullend besluit op uw verzoek" in brief
    bezwaar_tot = timezone.localdate() + dt.timedelta(weeks=6)
    assert f"{bezwaar_tot:%d-%m-%Y}" in brief  # a new term for bezwaar from the supplementary decision
    client.post(detail, {"actie": "aanvulling_uitvoeren"})
    assert Dossier.objects.get(pk=dossier.pk).vernietigd_op is not None
    assert Uitvoering.objects.get(verzoek=verzoek, soort="wissing").stand == "uitgevoerd"
    assert not aanvulling_uit_te_voeren(verzoek)
    with pytest.raises(ApplicationError, match="geen wissing"):
        aanvulling_uitvoeren(verzoek=verzoek, door=cp)


def test_only_the_contactpunt_of_the_gemeente_takes_a_supplementary_decision(tenant_a, tenant_b):
    verzoek, _ = besloten_met_uitzondering(tenant_a, ["inzage"])
    for door in (tenant_b.gebruikers["contactpunt"], tenant_a.gebruikers["fg"]):
        with pytest.raises(ApplicationError, match="contactpunt"):
            aanvullend_besluiten(verzoek=verzoek, door=door)
