"""What a new user met on the screens (issue: screens people want to work in all day), each as a regression test."""

from __future__ import annotations

import datetime as dt
import inspect
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from meldingen.ddas import Contactsoort, Dagdeel, Eindresultaat
from meldingen.dossiers.forms import AfsluitenForm, ContactpogingForm
from meldingen.dossiers.services import dossier_claim, dossier_teruggeven, dossier_toewijzen
from meldingen.rapportage.services import rapportage_opslaan, rapportage_pdf_aanvragen
from meldpunt.core.models import Rol
from meldpunt.core.navigation import PANELEN
from meldpunt.core.templatetags.nl import datum, datumtijd, euro, getal
from tests.factories import UserFactory
from tests.meldingen.helpers import geclaimd_dossier, maak_melding

SCHEMA = Path(__file__).resolve().parents[2] / "standards" / "ddas-vroegsignalering"


# 1. The DDAS vocabulary reads as DDAS writes it; closing makes the user choose.
def test_the_ddas_choices_read_exactly_as_the_vocabulary():
    definities = json.loads((SCHEMA / "json_schema_Uitwisselmodel_v1.2.json").read_text())["$defs"]
    for keuzes, naam in (
        (Eindresultaat, "EnumEindresultaat"),
        (Contactsoort, "EnumContactsoort"),
        (Dagdeel, "EnumDagdeel"),
    ):
        assert [label for _, label in keuzes.choices] == [waarde for waarde, _ in keuzes.choices]
        assert set(keuzes.values) == set(definities[naam]["enum"])


def test_closing_and_a_contact_attempt_preselect_nothing():
    for form, veld in ((AfsluitenForm(), "eindresultaat"), (ContactpogingForm(), "soort")):
        html = str(form[veld])
        assert '<option value="" selected>' in html
        assert "Advies Quick Fix" not in html and "Sms Whatsapp" not in html


# 2. Every date input is prefilled in the format the browser's date picker reads.
def _projectformulieren() -> list[type[forms.BaseForm]]:
    import importlib
    import pkgutil

    import convenants
    import meldingen
    import meldpunt

    klassen = []
    for pakket in (meldpunt, convenants, meldingen):
        for info in pkgutil.walk_packages(pakket.__path__, f"{pakket.__name__}."):
            if info.name.endswith(("forms", "views")) and ".migrations" not in info.name:
                module = importlib.import_module(info.name)
                klassen += [
                    k
                    for k in vars(module).values()
                    if inspect.isclass(k) and issubclass(k, forms.BaseForm) and k.__module__ == module.__name__
                ]
    return klassen


def test_every_date_input_of_every_form_prefills_as_iso():
    gevonden = 0
    for klasse in _projectformulieren():
        for naam, veld in klasse.base_fields.items():
            if isinstance(veld, forms.DateField):
                gevonden += 1
                html = veld.widget.render(naam, dt.date(2026, 12, 1))
                assert 'type="date"' in html and 'value="2026-12-01"' in html, f"{klasse.__name__}.{naam}"
    assert gevonden >= 10


def test_the_contact_attempt_date_is_prefilled_with_today():
    html = str(ContactpogingForm(initial={"datum": dt.date(2026, 12, 1)})["datum"])
    assert 'value="2026-12-01"' in html


# 3. Amounts, dates and numbers in Dutch.
def test_dutch_formats():
    assert euro(Decimal("1450.5")) == "€\u00a01.450,50"
    assert euro("4100.00") == "€\u00a04.100,00"
    assert euro(Decimal("-12")) == "€\u00a0-12,00"
    assert euro(None) == "—"
    assert getal(10000) == "10.000" and getal(0) == "0"
    assert datum("1985-03-12") == "12-03-1985" and datum(dt.date(1985, 3, 12)) == "12-03-1985"
    moment = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)  # 01:30 winter time → shown in local time
    assert datumtijd(moment) == "29-03-2026 01:30"
    assert Template("{{ b|euro }}").render(Context({"b": Decimal("1300")})) == "€\u00a01.300,00"


@given(st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2))
def test_euro_reads_back_to_the_same_amount(bedrag):
    tekst = euro(bedrag).removeprefix("€\u00a0")
    assert Decimal(tekst.replace(".", "").replace(",", ".")) == bedrag


@pytest.mark.django_db
def test_the_dossier_page_shows_dutch_amounts_and_dates(client, inloggen, tenant_a):
    dossier = geclaimd_dossier(tenant_a, achterstand__bedrag="1450.50")
    inloggen(tenant_a.gebruikers["hulpverlener"])
    html = client.get(reverse("meldingen:dossier", args=[dossier.pk])).content.decode()
    assert "€\u00a01.450,50" in html and "geboren 17-05-1980" in html
    assert "1450.50" not in html and "1980-05-17" not in html


# 6. The team's overview and the search.
@pytest.mark.django_db
def test_the_teamleider_sees_the_whole_team_and_finds_closed_dossiers(client, inloggen, tenant_a):
    van_collega = geclaimd_dossier(tenant_a)
    zonder = maak_melding(tenant_a, "RC-2026-000777").dossier
    inloggen(tenant_a.gebruikers["teamleider"])
    team = client.get(reverse("meldingen:team")).content.decode()
    assert van_collega.nummer in team and reverse("meldingen:dossier", args=[van_collega.pk]) in team
    assert zonder.nummer in team
    gefilterd = client.get(reverse("meldingen:team"), {"behandelaar": "geen"}).content.decode()
    assert zonder.nummer in gefilterd and van_collega.nummer not in gefilterd

    from meldingen.dossiers.services import dossier_afsluiten

    dossier_afsluiten(
        dossier=van_collega, door=tenant_a.gebruikers["teamleider"], eindresultaat=Eindresultaat.GEEN_CONTACT
    )
    assert van_collega.nummer not in client.get(reverse("meldingen:team")).content.decode()  # open ones only
    for zoekterm in (van_collega.nummer, "RC-2026-000123"):
        gevonden = client.post(reverse("meldingen:zoeken"), {"zoekterm": zoekterm}).content.decode()
        assert reverse("meldingen:dossier", args=[van_collega.pk]) in gevonden, zoekterm
    assert (
        "Geen dossier gevonden" in client.post(reverse("meldingen:zoeken"), {"zoekterm": "ONBEKEND"}).content.decode()
    )


@pytest.mark.django_db
def test_only_a_teamleider_has_the_team_overview(client, inloggen, tenant_a):
    inloggen(tenant_a.gebruikers["hulpverlener"])
    assert client.get(reverse("meldingen:team")).status_code == 403
    assert client.get(reverse("meldingen:zoeken")).status_code == 200


# 7. Every change of behandelaar is a history row, people by name.
@pytest.mark.django_db
def test_every_change_of_behandelaar_is_in_the_history(client, inloggen, tenant_a):
    teamleider = tenant_a.gebruikers["teamleider"]
    teamleider.first_name, teamleider.last_name = "Tineke", "Leider"
    teamleider.save()
    hanna = UserFactory(
        username="hanna",
        first_name="Hanna",
        last_name="Hulp",
        organisatie=tenant_a.uitvoerder,
        rollen=[Rol.HULPVERLENER],
    )
    piet = UserFactory(
        username="piet", first_name="Piet", last_name="Puk", organisatie=tenant_a.uitvoerder, rollen=[Rol.HULPVERLENER]
    )
    dossier = maak_melding(tenant_a).dossier
    dossier_toewijzen(dossier=dossier, behandelaar=hanna, door=teamleider)  # unclaimed → assigned
    dossier_toewijzen(dossier=dossier, behandelaar=piet, door=teamleider)  # reassigned
    dossier_teruggeven(dossier=dossier, door=piet, reden="Te ver weg")
    dossier_claim(dossier_id=dossier.pk, door=hanna)
    inloggen(teamleider)
    html = client.get(reverse("meldingen:dossier", args=[dossier.pk])).content.decode()
    regels = [
        "Toegewezen aan Hanna Hulp",
        "Toegewezen aan Piet Puk (was Hanna Hulp)",
        "Teruggegeven aan de wachtrij (behandelaar was Piet Puk)",
        "Opgepakt door Hanna Hulp",
    ]
    posities = [html.index(r) for r in regels]
    assert posities == sorted(posities)
    assert "Tineke Leider" in html and teamleider.username not in html


# 9. All field errors in one round.
@pytest.mark.django_db
def test_the_melding_form_shows_every_error_at_once(client, inloggen, tenant_a):
    inloggen(tenant_a.gebruikers["melder"])
    morgen = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    antwoord = client.post(
        reverse("meldingen:create"),
        {"convenant": tenant_a.convenant.slug, "type": "VEO", "geboortedatum": morgen, "huisnummer": "geen getal"},
    )
    html = antwoord.content.decode()
    assert antwoord.status_code == 400
    assert 'id="id_geboortedatum_error"' in html  # a rule of the domain (a future birth date) …
    assert 'id="id_huisnummer_error"' in html and 'id="id_achternaam_error"' in html  # … with the form's own


# 11. Small things that made every day harder.
def test_required_fields_are_not_drawn_as_errors_before_anyone_typed():
    html = str(ContactpogingForm())
    assert " required" not in html and 'aria-required="true"' in html


@pytest.mark.django_db
def test_the_letter_greets_the_tenant_by_surname(tenant_a):
    from meldingen.informatieplicht.brief import informatiebrief_html

    dossier = geclaimd_dossier(tenant_a, huurder__achternaam="de Vries-Bakker", huurder__voornamen="Anna Maria")
    html = informatiebrief_html(dossier=dossier)
    assert "Geachte heer/mevrouw De Vries-Bakker," in html and "heer, mevrouw" not in html


@pytest.mark.django_db
def test_the_missing_box_follows_what_was_just_submitted(client, inloggen, tenant_a):
    from tests.meldingen.rapportage.test_rapportage import _post_data

    dossier = geclaimd_dossier(tenant_a)
    inloggen(tenant_a.gebruikers["hulpverlener"])
    url = reverse("rapportage:detail", kwargs={"dossier_id": dossier.pk})
    # Everything filled in, but one amount is wrong: the save is refused, and the box must not list the
    # parts that were just filled in (as it did when it looked at the saved, empty, version).
    antwoord = client.post(url, _post_data(uitgaven_0_bedrag="-1"))
    html = antwoord.content.decode()
    assert antwoord.status_code == 400
    assert "Inkomsten: vul ten minste één inkomstenbron in." not in html
    assert "Plan van aanpak: beschrijf" not in html


@pytest.mark.django_db
def test_the_pdf_status_updates_itself_until_the_pdf_is_there(client, inloggen, tenant_a):
    from tests.meldingen.rapportage.test_rapportage import VOLLEDIG

    dossier = geclaimd_dossier(tenant_a)
    hulpverlener = tenant_a.gebruikers["hulpverlener"]
    rapportage_opslaan(dossier=dossier, door=hulpverlener, inhoud=VOLLEDIG)
    rapportage_pdf_aanvragen(dossier=dossier, door=hulpverlener)
    inloggen(hulpverlener)
    status = reverse("rapportage:pdf_status", kwargs={"dossier_id": dossier.pk})
    bezig = client.get(status).content.decode()
    assert 'data-pdf="bezig"' in bezig and 'hx-trigger="every 2s"' in bezig
    from meldingen.rapportage.pdf import rapportage_pdf_maken

    rapportage_pdf_maken(dossier_id=dossier.pk)
    klaar = client.get(status).content.decode()
    assert 'data-pdf="klaar"' in klaar and "hx-trigger" not in klaar


# 12. A role's start page shows what it can do now, and every link works.
@pytest.mark.django_db
@pytest.mark.parametrize("rol", [r for r in Rol.values if r != Rol.PLATFORMBEHEER])
def test_the_start_page_promises_only_what_exists(client, inloggen, tenant_a, rol):
    inloggen(tenant_a.gebruikers[rol])
    html = client.get(reverse("core:home")).content.decode()
    for item in PANELEN[rol].items:
        assert item.url in html
        assert client.get(item.url).status_code == 200, item.label
    for belofte in ("verwerkingsregister", "Facturen en subsidie"):
        assert belofte not in html


# The Logboek in the reader's language.
@pytest.mark.django_db
def test_the_logboek_names_dossiers_by_number_and_kinds_in_dutch(client, inloggen, tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    inloggen(tenant_a.gebruikers["fg"])
    html = client.get(reverse("audit:list")).content.decode()
    assert f"Dossier {dossier.nummer}" in html and str(dossier.pk) not in html
    assert '<option value="meldingen.dossier">Dossier</option>' in html
