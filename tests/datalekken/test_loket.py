"""The FG's desk: the register with filters, overdue and open first; exports; the report PDF; the AP draft."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from datalekken.register.besluiten import datalek_ap_besluiten, datalek_betrokkenen_besluiten
from datalekken.register.models import Datalek
from datalekken.register.services import datalek_aanvullen, datalek_afsluiten
from meldpunt.audit.models import LogRegel
from tests.datalekken.helpers import CONTACT_TELEFOON, OMSCHRIJVING, REGISTER_COMPLEET, maak_datalek

pytestmark = pytest.mark.django_db


def _drie(tenant):
    fg = tenant.gebruikers["fg"]
    verlopen = maak_datalek(tenant, ontdekt_op=timezone.now() - dt.timedelta(days=5))
    Datalek.objects.filter(pk=verlopen.pk).update(fg_geinformeerd_op=timezone.now() - dt.timedelta(days=4))
    open_ = maak_datalek(tenant, "melder", omschrijving='=HYPERLINK("x")')
    dicht = maak_datalek(tenant)
    datalek_aanvullen(datalek=dicht, door=fg, **REGISTER_COMPLEET)
    datalek_ap_besluiten(datalek=dicht, door=fg, besluit="niet_melden", risicobeoordeling="r", reden="g")
    datalek_betrokkenen_besluiten(datalek=dicht, door=fg, besluit="niet_informeren", reden="g")
    datalek_afsluiten(datalek=dicht, door=fg, evaluatie="e")
    return verlopen, open_, dicht


def test_the_register_lists_overdue_then_open_then_closed_and_filters(tenant_a, tenant_b, inloggen, client):
    verlopen, open_, dicht = _drie(tenant_a)
    ander = maak_datalek(tenant_b)
    inloggen(tenant_a.gebruikers["fg"])
    pagina = client.get(reverse("datalekken:register")).content.decode()
    posities = [pagina.index(d.nummer) for d in (verlopen, open_, dicht)]
    assert posities == sorted(posities)
    assert ander.nummer not in pagina and "termijn verstreken" in pagina
    gefilterd = client.get(reverse("datalekken:register"), {"status": "afgesloten", "jaar": dicht.ontdekt_op.year})
    assert dicht.nummer in gefilterd.content.decode() and open_.nummer not in gefilterd.content.decode()
    leeg = client.get(
        reverse("datalekken:register"), {"oorzaak": "hacking", "convenant": "alfa", "ap_besluit": "melden"}
    )
    assert "die aan de filters voldoen" in leeg.content.decode()


def test_exports_csv_and_xlsx_with_formulas_neutralised_and_logged(tenant_a, inloggen, client):
    *_, dicht = _drie(tenant_a)
    inloggen(tenant_a.gebruikers["fg"])
    antwoord = client.get(reverse("datalekken:export"), {"formaat": "csv"})
    assert antwoord.status_code == 200 and antwoord["Cache-Control"] == "no-store"
    rijen = list(csv.reader(io.StringIO(antwoord.content.decode("utf-8-sig")), delimiter=";"))
    assert rijen[0][0] == "nummer" and len(rijen) == 4
    assert '\'=HYPERLINK("x")' in [r[19] for r in rijen]
    xlsx = client.get(reverse("datalekken:export"), {"formaat": "xlsx", "status": "afgesloten"})
    blad = load_workbook(io.BytesIO(xlsx.content)).active
    assert blad[2][0].value == dicht.nummer and blad.max_row == 2
    assert client.get(reverse("datalekken:export"), {"formaat": "pdf"}).status_code == 404
    assert LogRegel.objects.filter(object_type="datalekken.datalek", actie="exporteren").count() == 2


def test_the_report_pdf_and_the_ap_draft_in_the_order_of_the_ap_form(tenant_a, inloggen, client):
    datalek = maak_datalek(tenant_a)
    datalek_aanvullen(datalek=datalek, door=tenant_a.gebruikers["fg"], **REGISTER_COMPLEET)
    inloggen(tenant_a.gebruikers["fg"])
    pdf = client.get(reverse("datalekken:rapport", args=[datalek.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    concept = client.get(reverse("datalekken:ap_concept", args=[datalek.pk])).content.decode()
    koppen = [
        "1. Gegevens van de melder",
        "2. Over het datalek",
        "3. Betrokken personen",
        "4. Gevolgen",
        "5. Informeren",
    ]
    assert [concept.index(k) for k in koppen] == sorted(concept.index(k) for k in koppen)
    assert (
        OMSCHRIJVING in concept and CONTACT_TELEFOON in concept and "Gegevens over (problematische) schulden" in concept
    )
    inloggen(tenant_a.gebruikers["hulpverlener"])  # the reporter: no FG desk
    assert client.get(reverse("datalekken:ap_concept", args=[datalek.pk])).status_code == 403
