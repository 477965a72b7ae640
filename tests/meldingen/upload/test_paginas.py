"""The upload pages: form, status with htmx progress, result, download of the rejected rows, scoping."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meldingen.models import Bestandsupload, UploadStatus
from meldingen.upload.services import upload_create
from meldingen.upload.verwerking import upload_opruimen, upload_verwerken
from meldpunt.audit.models import LogRegel
from tests.meldingen.upload.helpers import csv_bytes, rij, xlsx_bytes
from tests.persoonsgegevens import ACHTERNAAM, STRAAT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vaste_datum():
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def melder(tenant_a, inloggen):
    inloggen(tenant_a.gebruikers["melder"])
    return tenant_a.gebruikers["melder"]


def bestand(inhoud: bytes, naam: str = "meldingen.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(naam, inhoud, content_type="application/octet-stream")


def verwerkt(tenant, rijen) -> Bestandsupload:
    upload = upload_create(bestand_bytes=csv_bytes(rijen), bestandsnaam="m.csv", door=tenant.gebruikers["melder"])
    upload_verwerken(upload_id=upload.pk)
    upload.refresh_from_db()
    return upload


def geen_inline_script_of_stijl(html: str) -> None:
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert " style=" not in html and "hx-on" not in html and "javascript:" not in html


def test_the_melder_menu_leads_to_the_upload_form(client, melder):
    home = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("upload:nieuw")}"' in home and "Bestand uploaden" in home
    response = client.get(reverse("upload:nieuw"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    assert re.search(r'<label class="utrecht-form-label" for="id_bestand">Bestand met meldingen</label>', html)
    assert 'type="file"' in html and 'accept=".csv,.xlsx' in html and 'aria-describedby="id_bestand_helptext"' in html
    assert reverse("upload:voorbeeld") in html
    geen_inline_script_of_stijl(html)


def test_the_example_file_downloads(client, melder):
    response = client.get(reverse("upload:voorbeeld"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbfconvenant;type;referentie;")


def test_posting_without_a_file_shows_an_accessible_error(client, melder):
    response = client.post(reverse("upload:nieuw"), {})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Kies het bestand dat u wilt uploaden." in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_bestand_error id_bestand_helptext"' in html


def test_a_file_with_a_bad_header_is_refused_by_the_worker_and_shown_on_the_status_page(client, melder):
    """The web request parses nothing (docs/security.md): the worker refuses the file, the page says why."""
    from meldingen.upload.verwerking import upload_verwerken

    kolommen = [k for k in rij() if k != "postcode"]
    response = client.post(reverse("upload:nieuw"), {"bestand": bestand(csv_bytes([rij()], kolommen=kolommen))})
    assert response.status_code == 302
    upload = Bestandsupload.objects.get()
    upload_verwerken(upload_id=upload.pk)
    html = client.get(response["Location"]).content.decode()
    assert "De kopregel mist verplichte kolommen: postcode." in html
    upload.refresh_from_db()
    assert upload.status == "mislukt" and upload.opgeslagen == 0


def test_uploading_redirects_to_the_status_page_that_polls_its_progress(client, melder, tenant_a):
    response = client.post(reverse("upload:nieuw"), {"bestand": bestand(csv_bytes([rij(), rij(postcode="x")]))})
    upload = Bestandsupload.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("upload:detail", args=[upload.pk])
    assert upload.organisatie == tenant_a.partner and upload.totaal_rijen == 0  # counted by the worker

    html = client.get(response["Location"]).content.decode()
    assert "Het bestand is ontvangen en wordt nu gecontroleerd en verwerkt." in html
    poller = re.search(r'<div id="upload-voortgang" ([^>]*)>', html).group(1)
    assert f'hx-get="{reverse("upload:voortgang", args=[upload.pk])}"' in poller
    assert 'hx-trigger="every 1s"' in poller
    assert re.search(r'<progress id="voortgang-[^"]+" max="100" value="0">0%</progress>', html)
    assert "Het bestand wordt gecontroleerd (0%)" in html and "In de wachtrij" in html
    geen_inline_script_of_stijl(html)

    fragment = client.get(reverse("upload:voortgang", args=[upload.pk]), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "HX-Refresh" not in fragment
    assert "<progress" in fragment.content.decode() and "<html" not in fragment.content.decode()

    Bestandsupload.objects.filter(pk=upload.pk).update(status=UploadStatus.BEZIG, verwerkt_rijen=1, totaal_rijen=2)
    fragment = client.get(reverse("upload:voortgang", args=[upload.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'value="50">50%</progress>' in fragment and "1 van 2 rijen verwerkt (50%)" in fragment


def test_when_finished_the_fragment_reloads_the_page_with_the_result(client, melder, tenant_a):
    upload = verwerkt(tenant_a, [rij(referentie="R-1"), rij(referentie="R-2", postcode="x", huisnummer="4b")])
    fragment = client.get(reverse("upload:voortgang", args=[upload.pk]), HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true"

    html = client.get(reverse("upload:detail", args=[upload.pk])).content.decode()
    assert "hx-get" not in html and "hx-trigger" not in html
    assert 'value="100">100%</progress>' in html
    tellers = dict(re.findall(r'data-teller="(\w+)">(\d+)<', html))
    assert tellers == {
        "verwerkt": "2",
        "opgeslagen": "1",
        "vervolgmeldingen": "0",
        "al_ontvangen": "0",
        "afgewezen": "1",
    }
    rijen = re.findall(r'<td class="utrecht-table__cell[^"]*"[^>]*>(.*?)</td>', html.split("Meldingen per rij")[1])
    assert rijen == [
        "3",
        "<code>huisnummer</code>",
        "Vul alleen het huisnummer in (cijfers); een toevoeging hoort in de kolom toevoeging.",
        "3",
        "<code>postcode</code>",
        "Vul een postcode in zoals 1234 AB.",
    ]
    assert reverse("upload:afgewezen", args=[upload.pk]) in html
    assert ACHTERNAAM not in html and STRAAT not in html
    geen_inline_script_of_stijl(html)


def test_a_failed_upload_shows_its_message(client, melder, tenant_a):
    upload = upload_create(bestand_bytes=csv_bytes([rij()]), bestandsnaam="m.csv", door=tenant_a.gebruikers["melder"])
    Bestandsupload.objects.filter(pk=upload.pk).update(status=UploadStatus.MISLUKT, foutmelding="Het ging mis.")
    html = client.get(reverse("upload:detail", args=[upload.pk])).content.decode()
    assert "Het ging mis." in html and 'role="alert"' in html and "hx-get" not in html


def test_many_rejected_rows_are_paginated(client, melder, tenant_a):
    upload = verwerkt(tenant_a, [rij(referentie=f"R-{i}", postcode="x") for i in range(130)])
    assert upload.afgewezen == 130
    eerste = client.get(reverse("upload:detail", args=[upload.pk])).content.decode()
    assert "(pagina 1 van 2)" in eerste and 'href="?pagina=2"' in eerste
    tweede = client.get(reverse("upload:detail", args=[upload.pk]), {"pagina": 2}).content.decode()
    assert "(pagina 2 van 2)" in tweede and ">131</td>" in tweede
    assert ">102</td>" in tweede and ">101</td>" not in tweede


def test_downloading_the_rejected_rows_is_decrypted_on_the_fly_and_logged(client, melder, tenant_a):
    upload = verwerkt(tenant_a, [rij(referentie="R-1"), rij(referentie="=cmd|x", postcode="x")])
    response = client.get(reverse("upload:afgewezen", args=[upload.pk]), REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="afgewezen-rijen-\d{8}-\d{4}\.csv"', response["Content-Disposition"])
    assert response["Cache-Control"] == "no-store"
    tekst = response.content.decode("utf-8-sig")
    assert tekst.splitlines()[1].startswith("Rij 3: postcode: Vul een postcode in zoals 1234 AB.;alfa;VEO;'=cmd|x;")
    assert ACHTERNAAM in tekst
    regel = LogRegel.objects.get(actie="exporteren", object_id=str(upload.pk))
    assert regel.object_type == "meldingen.bestandsupload" and regel.herkomst == "192.0.2.7"
    assert regel.gebruiker == tenant_a.gebruikers["melder"] and regel.organisatie_id == tenant_a.partner.pk


def test_an_xlsx_upload_gives_an_xlsx_download(client, melder, tenant_a):
    from tests.meldingen.upload.helpers import als_cellen

    inhoud = xlsx_bytes([als_cellen(rij(postcode="x"))])
    upload = upload_create(bestand_bytes=inhoud, bestandsnaam="m.xlsx", door=tenant_a.gebruikers["melder"])
    upload_verwerken(upload_id=upload.pk)
    response = client.get(reverse("upload:afgewezen", args=[upload.pk]))
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    assert response["Content-Disposition"].endswith('.xlsx"') and response.content.startswith(b"PK\x03\x04")


def test_without_rejected_rows_there_is_nothing_to_download(client, melder, tenant_a):
    upload = verwerkt(tenant_a, [rij()])
    assert "Afgewezen rijen" not in client.get(reverse("upload:detail", args=[upload.pk])).content.decode()
    assert client.get(reverse("upload:afgewezen", args=[upload.pk])).status_code == 404
    assert not LogRegel.objects.filter(actie="exporteren").exists()


def test_after_cleanup_the_counts_stay_and_the_files_are_gone(client, melder, tenant_a):
    upload = verwerkt(tenant_a, [rij(referentie="R-1"), rij(postcode="x")])
    upload_opruimen(upload=upload)
    html = client.get(reverse("upload:detail", args=[upload.pk])).content.decode()
    assert "na 30 dagen opgeruimd" in html and "Vul een postcode in" in html
    assert client.get(reverse("upload:afgewezen", args=[upload.pk])).status_code == 404
    lijst = client.get(reverse("upload:nieuw")).content.decode()
    assert "(opgeruimd)" in lijst


def test_the_list_shows_the_organisations_recent_uploads_only(client, melder, tenant_a, tenant_b):
    eigen = verwerkt(tenant_a, [rij(referentie="R-1"), rij(postcode="x")])
    collega = tenant_a.gebruikers["melder"].__class__.objects.create(
        username="collega.alfa", organisatie=tenant_a.partner, rollen=["melder"], first_name="Col", last_name="Lega"
    )
    van_collega = upload_create(bestand_bytes=csv_bytes([rij()]), bestandsnaam="c.csv", door=collega)
    ander = verwerkt(tenant_b, [rij(tenant_b.convenant.slug)])
    html = client.get(reverse("upload:nieuw")).content.decode()
    assert reverse("upload:detail", args=[eigen.pk]) in html
    assert reverse("upload:detail", args=[van_collega.pk]) in html and "Col Lega" in html
    assert reverse("upload:detail", args=[ander.pk]) not in html


@pytest.mark.parametrize("naam", ["upload:detail", "upload:voortgang", "upload:afgewezen"])
def test_another_organisations_upload_is_not_found(client, melder, tenant_b, naam):
    ander = verwerkt(tenant_b, [rij(tenant_b.convenant.slug), rij(tenant_b.convenant.slug, postcode="x")])
    response = client.get(reverse(naam, args=[ander.pk]))
    assert response.status_code == 404
    assert tenant_b.partner.naam not in response.content.decode()
    assert not LogRegel.objects.filter(actie="exporteren").exists()
