"""The pages: register, identity, search and confirm, consult, the participant's answer, decide, carry out,
bezwaar, downloads, annual counts; errors per field; other organisations 404."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from avg.besluiten.pakket import pakket_maken
from avg.bezwaren.models import Bezwaar
from avg.raadpleging.models import Raadpleging
from avg.verzoeken.models import Verzoek
from meldpunt.audit.models import LogRegel
from tests.conftest import login_verified
from tests.meldingen.helpers import maak_melding
from tests.persoonsgegevens import ACHTERNAAM, GEBOORTEDATUM

pytestmark = pytest.mark.django_db


def test_the_whole_flow_through_the_pages(client, tenant_a, tenant_b):
    cp = tenant_a.gebruikers["contactpunt"]
    dossier = maak_melding(tenant_a).dossier
    login_verified(client, cp)
    assert "Er zijn nog geen AVG-verzoeken." in client.get(reverse("verzoeken:list")).content.decode()
    fout = client.post(reverse("verzoeken:create"), {"kanaal": "", "achternaam": ""})
    assert fout.status_code == 400 and "verplicht" in fout.content.decode()
    vandaag = timezone.localdate().isoformat()
    antwoord = client.post(
        reverse("verzoeken:create"),
        {
            "ontvangen_op": vandaag,
            "kanaal": "brief",
            "soorten": ["inzage"],
            "achternaam": ACHTERNAAM,
            "geboortedatum": GEBOORTEDATUM.isoformat(),
        },
    )
    verzoek = Verzoek.objects.get()
    detail = reverse("verzoeken:detail", kwargs={"pk": verzoek.pk})
    assert antwoord.status_code == 302 and antwoord["Location"] == detail
    assert client.post(detail, {"actie": "identiteit", "identiteit-methode": "digid"}).status_code == 400
    client.post(detail, {"actie": "identiteit", "identiteit-methode": "digid", "identiteit-vastgesteld_op": vandaag})
    pagina = client.get(detail).content.decode()
    assert ACHTERNAAM in pagina and 'data-stoplicht="groen"' in pagina
    assert client.post(detail, {"actie": "zoeken"}).status_code == 400
    gevonden = client.post(
        detail, {"actie": "zoeken", "zoeken-achternaam": ACHTERNAAM, "zoeken-geboortedatum": GEBOORTEDATUM.isoformat()}
    ).content.decode()
    assert f'data-kandidaat="{dossier.nummer}"' in gevonden
    client.post(reverse("verzoeken:bevestigen", kwargs={"pk": verzoek.pk, "dossier_id": dossier.pk}))
    assert f'data-bevestigd="{dossier.nummer}"' in client.get(detail).content.decode()
    client.post(detail, {"actie": "raadplegen"})
    assert Raadpleging.objects.filter(verzoek=verzoek).count() == 2

    for rol in ("partner_beheer", "teamleider"):
        login_verified(client, tenant_a.gebruikers[rol])
        r = Raadpleging.objects.get(verzoek=verzoek, organisatie=tenant_a.gebruikers[rol].organisatie)
        lijst = client.get(reverse("raadpleging:list")).content.decode()
        assert verzoek.nummer in lijst and ACHTERNAAM not in lijst
        url = reverse("raadpleging:detail", kwargs={"pk": r.pk})
        assert client.post(url, {"melding_uitzondering": "i"}).status_code == 400
        assert client.post(url, {}).status_code == 302
    login_verified(client, tenant_b.gebruikers["partner_beheer"])
    assert client.get(reverse("raadpleging:detail", kwargs={"pk": r.pk})).status_code == 404

    login_verified(client, cp)
    client.post(detail, {"actie": "besluiten"})
    pagina = client.get(detail).content.decode()
    assert 'data-pakket="bezig"' in pagina
    pakket_maken(verzoek_id=verzoek.pk)
    status = client.get(reverse("besluiten:pakket_status", kwargs={"pk": verzoek.pk})).content.decode()
    assert 'data-pakket="klaar"' in status
    download = client.get(reverse("besluiten:pakket", kwargs={"pk": verzoek.pk}))
    assert download["Content-Type"] == "application/zip"
    assert len(zipfile.ZipFile(io.BytesIO(download.content)).namelist()) == 3
    assert client.get(reverse("besluiten:brief", kwargs={"pk": verzoek.pk})).content.startswith(b"%PDF")
    assert LogRegel.objects.filter(object_type="avg.verzoek", actie="exporteren").count() == 2
    client.post(detail, {"actie": "uitvoeren"})
    verzoek.refresh_from_db()
    assert verzoek.status == "afgehandeld"
    assert client.post(detail, {"actie": "bezwaar"}).status_code == 400
    antwoord = client.post(detail, {"actie": "bezwaar", "bezwaar-ontvangen_op": vandaag})
    bezwaar = Bezwaar.objects.get(verzoek=verzoek)
    assert antwoord.url == reverse("bezwaren:detail", kwargs={"pk": bezwaar.pk})
    assert "Deelnemers geïnformeerd" in client.get(antwoord.url).content.decode()
    assert "in behandeling, beslissen uiterlijk" in client.get(detail).content.decode()
    csv = client.get(reverse("verzoeken:jaarcijfers")).content.decode()
    assert f"{timezone.localdate().year};inzage;toegewezen;1" in csv

    login_verified(client, tenant_a.gebruikers["fg"])
    assert client.get(detail).status_code == 200
    assert client.get(reverse("besluiten:pakket", kwargs={"pk": verzoek.pk})).status_code == 403
    login_verified(client, tenant_b.gebruikers["contactpunt"])
    assert client.get(detail).status_code == 404


def test_fg_cannot_act_and_unknown_actions_are_refused(client, tenant_a):
    from tests.avg.helpers import registreer

    verzoek = registreer(tenant_a)
    detail = reverse("verzoeken:detail", kwargs={"pk": verzoek.pk})
    login_verified(client, tenant_a.gebruikers["fg"])
    assert client.post(detail, {"actie": "raadplegen"}).status_code == 302
    login_verified(client, tenant_a.gebruikers["contactpunt"])
    client.post(detail, {"actie": "onzin"})
    client.post(detail, {"actie": "raadplegen"})  # not yet: identity first
    assert not Raadpleging.objects.exists()


def test_rectification_statement_through_the_page_and_the_sweep_task(client, tenant_a):
    from avg.tasks import stuur_avg_herinneringen
    from avg.verzoeken.models import VerzoekDossier
    from tests.avg.helpers import met_dossier

    verzoek, dossier = met_dossier(tenant_a, ["rectificatie"])
    login_verified(client, tenant_a.gebruikers["contactpunt"])
    url = reverse("verzoeken:verklaring", kwargs={"pk": verzoek.pk, "dossier_id": dossier.pk})
    client.post(url, {})
    assert not VerzoekDossier.objects.get(verzoek=verzoek).verklaring
    client.post(url, {"verklaring-verklaring": "De achterstand was al betaald."})
    assert VerzoekDossier.objects.get(verzoek=verzoek).verklaring
    client.post(url, {"verklaring-verklaring": "x" * 2001})
    pagina = client.get(reverse("verzoeken:detail", kwargs={"pk": verzoek.pk})).content.decode()
    assert "eigen verklaring toegevoegd" in pagina
    assert stuur_avg_herinneringen() == 0
    detail = reverse("verzoeken:detail", kwargs={"pk": verzoek.pk})
    vandaag = timezone.localdate()
    antwoord = client.post(
        detail,
        {
            "actie": "verlengen",
            "verlengen-verlengd_tot": (vandaag + timezone.timedelta(days=200)).isoformat(),
            "verlengen-reden": "Omvangrijk",
        },
    )
    assert antwoord.status_code == 400 and "twee maanden" in antwoord.content.decode()
    client.post(
        detail,
        {
            "actie": "verlengen",
            "verlengen-verlengd_tot": (vandaag + timezone.timedelta(days=60)).isoformat(),
            "verlengen-reden": "Omvangrijk",
        },
    )
    verzoek.refresh_from_db()
    assert verzoek.verlengd_tot == vandaag + timezone.timedelta(days=60)
    assert "Omvangrijk" in client.get(detail).content.decode()
    csv = client.get(reverse("verzoeken:jaarcijfers") + "?jaar=abc").content.decode()
    assert csv.startswith("jaar;soort;uitkomst;aantal")
