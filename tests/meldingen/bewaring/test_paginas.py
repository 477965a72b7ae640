"""The vernietigingslijst, holds from the page, the destruction reports as PDF and XLSX, the anonymous record."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from meldingen.bewaring.models import Bewaarblokkade
from meldingen.bewaring.services import bewaarblokkade_instellen, vernietigingsronde
from meldpunt.audit.models import LogRegel
from tests.meldingen.bewaring.helpers import afgesloten_dossier, dag
from tests.persoonsgegevens import ACHTERNAAM, STRAAT

pytestmark = pytest.mark.django_db


def test_the_list_shows_what_is_due_in_30_days_by_convenant_and_a_hold_from_the_page(tenant_a, tenant_b, inloggen):
    with time_machine.travel(dag(2026, 1, 15), tick=False):
        bijna = afgesloten_dossier(tenant_a, referentie="RC-BIJNA")
        ander = afgesloten_dossier(tenant_b, referentie="RC-ANDER")
    with time_machine.travel(dag(2026, 3, 1), tick=False):
        later = afgesloten_dossier(tenant_a, referentie="RC-LATER")
    with time_machine.travel(dag(2026, 12, 20), tick=False):
        for rol in ("fg", "teamleider", "contactpunt"):
            client = inloggen(tenant_a.gebruikers[rol])
            pagina = client.get(reverse("bewaring:lijst")).content.decode()
            assert f'data-dossier="{bijna.nummer}"' in pagina
            assert later.nummer not in pagina and ander.nummer not in pagina
            assert tenant_a.convenant.naam in pagina
        verder = client.get(reverse("bewaring:lijst"), {"dagen": 120}).content.decode()
        assert later.nummer in verder
        fout = client.post(
            reverse("bewaring:blokkade_create"), {"dossiernummer": "", "grond": "", "reden": "", "tot": ""}
        )
        assert fout.status_code == 400 and 'aria-invalid="true"' in fout.content.decode()
        assert not Bewaarblokkade.objects.exists()
        onbekend = client.post(reverse("bewaring:blokkade_create"), {"dossiernummer": ander.nummer, "grond": "bezwaar"})
        assert onbekend.status_code == 400 and "Geen dossier met dit nummer" in onbekend.content.decode()
        assert client.get(reverse("bewaring:blokkade_create"), {"nummer": bijna.nummer}).status_code == 200
        antwoord = client.post(
            reverse("bewaring:blokkade_create"),
            {"dossiernummer": bijna.nummer, "grond": "bezwaar", "reden": "Bezwaar B-12", "tot": ""},
        )
        assert antwoord.status_code == 302
        pagina = client.get(reverse("bewaring:lijst")).content.decode()
        assert f'data-dossier="{bijna.nummer}" data-geblokkeerd="ja"' in pagina
    blokkade = Bewaarblokkade.objects.get(dossier=bijna)
    assert blokkade.ingesteld_door == tenant_a.gebruikers["contactpunt"]
    with time_machine.travel(dag(2027, 1, 16), tick=False):
        assert vernietigingsronde() == 1  # the other convenant's dossier; the held one stays
        bijna.refresh_from_db()
        assert bijna.vernietigd_op is None
        client = inloggen(tenant_a.gebruikers["fg"])
        assert client.post(reverse("bewaring:blokkade_opheffen", args=[blokkade.pk])).status_code == 302
        assert client.post(reverse("bewaring:blokkade_opheffen", args=[blokkade.pk])).status_code == 302
        assert vernietigingsronde() == 1


def test_the_fg_downloads_the_report_as_pdf_and_xlsx_each_logged(tenant_a, inloggen):
    with time_machine.travel(dag(2026, 1, 15), tick=False):
        weg = afgesloten_dossier(tenant_a, referentie="RC-WEG")
        gehouden = afgesloten_dossier(tenant_a, referentie="RC-BLIJFT")
        bewaarblokkade_instellen(dossier=gehouden, grond="datalek", door=None, bron="datalek", bron_id="3")
    with time_machine.travel(dag(2027, 1, 15), tick=False):
        vernietigingsronde()
        client = inloggen(tenant_a.gebruikers["fg"])
        lijst = client.get(reverse("bewaring:verklaringen")).content.decode()
        from meldingen.bewaring.models import Vernietigingsverklaring

        verklaring = Vernietigingsverklaring.objects.get()
        assert f'data-verklaring="{verklaring.pk}"' in lijst
        pagina = client.get(reverse("bewaring:verklaring", args=[verklaring.pk])).content.decode()
        assert f'data-vernietigd="{weg.nummer}"' in pagina and f'data-tegengehouden="{gehouden.nummer}"' in pagina
        assert "Onderzoek naar een datalek" in pagina
        pdf = client.get(reverse("bewaring:verklaring_pdf", args=[verklaring.pk]))
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
        xlsx = client.get(reverse("bewaring:verklaring_xlsx", args=[verklaring.pk]))
        blad = load_workbook(io.BytesIO(xlsx.content)).active
        waarden = [str(c) for rij in blad.iter_rows(values_only=True) for c in rij if c is not None]
        assert weg.nummer in waarden and gehouden.nummer in waarden
        assert not [w for w in waarden if ACHTERNAAM in w or STRAAT in w]
    acties = LogRegel.objects.filter(object_type="meldingen.vernietigingsverklaring").values_list("actie", flat=True)
    assert sorted(acties) == ["bekijken", "exporteren", "exporteren"]


def test_a_destroyed_dossier_shows_its_anonymous_record(tenant_a, inloggen):
    with time_machine.travel(dag(2026, 1, 15), tick=False):
        dossier = afgesloten_dossier(tenant_a)
    with time_machine.travel(dag(2027, 1, 15), tick=False):
        vernietigingsronde()
        client = inloggen(tenant_a.gebruikers["teamleider"])
        antwoord = client.get(reverse("meldingen:dossier", args=[dossier.pk]), follow=True)
        pagina = antwoord.content.decode()
        assert antwoord.redirect_chain[-1][0] == reverse("bewaring:dossier", args=[dossier.pk])
        assert "vernietigd op 15-01-2027" in pagina
        assert "Telefoon 1" in pagina and "€ 1.000 – 2.500" in pagina
        assert ACHTERNAAM not in pagina and STRAAT not in pagina
        assert dt.date(2027, 1, 15)
