"""Rapportage (bijlage 1): completeness, draft saving and rights, encryption, resultaat bereikt, the PDF."""

from __future__ import annotations

import copy
import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse

from meldingen.dossiers.services import contactpoging_create, dossier_afsluiten, dossier_claim
from meldingen.models import Rapportage
from meldingen.rapportage.inhoud import rapportage_leeg, rapportage_volledigheid
from meldingen.rapportage.pdf import rapportage_html, rapportage_pdf_maken
from meldingen.rapportage.selectors import rapportage_inhoud, resultaat_bereikt
from meldingen.rapportage.services import rapportage_opslaan
from meldingen.rapportage.tasks import maak_rapportage_pdf
from meldpunt.audit.models import LogRegel
from meldpunt.core.exceptions import ApplicationError
from meldpunt.privacy.models import VersleuteldBestand
from meldpunt.privacy.services import versleuteld_bestand_lezen
from tests.factories import UserFactory
from tests.meldingen.helpers import maak_melding

pytestmark = pytest.mark.django_db

SCHULDEISER = "Incassobureau Zwaluwstaart"
MOTIVATIE = "Vast contract bij de gemeente, loon komt op de 25e"

VOLLEDIG = {
    "inkomsten": [{"bron": "Loon", "bedrag": "1850.00"}, {"bron": "Zorgtoeslag", "bedrag": "123"}],
    "uitgaven": [{"omschrijving": "Boodschappen", "bedrag": "400,50"}],
    "geen_schulden": False,
    "schulden": [{"schuldeiser": SCHULDEISER, "bedrag": "1200.5"}],
    "vaste_lasten": {
        "huur": {"status": "achterstand", "achterstand": "1300.00"},
        "zorgverzekering": {"status": "betaald", "achterstand": None},
        "water": {"status": "betaald", "achterstand": None},
        "energie": {"status": "betaald", "achterstand": None},
    },
    "betalingsregelingen": "geen",
    "kan_betalen": "ja",
    "kan_betalen_motivatie": MOTIVATIE,
    "plan": ["budgetbeheer", "schuldhulpverlening"],
    "ondersteuning": "Aanmelden bij budgetbeheer; schuldhulp voor de incasso.",
}


def inhoud(**wijzigingen):
    data = copy.deepcopy(VOLLEDIG)
    data.update(wijzigingen)
    return data


def geclaimd(tenant, referentie="RC-2026-000123"):
    melding = maak_melding(tenant, referentie)
    return dossier_claim(dossier_id=melding.dossier_id, door=tenant.gebruikers["hulpverlener"])


# --- completeness -------------------------------------------------------------------------------------
def test_complete_when_every_part_is_there():
    assert rapportage_volledigheid(VOLLEDIG) == (True, [])
    assert rapportage_volledigheid(inhoud(geen_schulden=True, schulden=[], plan=["geen"])) == (True, [])


def test_empty_rapportage_lists_everything():
    volledig, ontbreekt = rapportage_volledigheid(rapportage_leeg())
    assert not volledig
    assert len(ontbreekt) == 12  # income, expenses, debts, 4 fixed charges, arrangements, 2× assessment, 2× plan
    assert rapportage_volledigheid(None)[0] is False


@pytest.mark.parametrize(
    ("wijziging", "verwacht"),
    [
        ({"inkomsten": []}, "Inkomsten"),
        ({"inkomsten": [{"bron": "  ", "bedrag": "10.00"}]}, "Inkomsten"),
        ({"uitgaven": []}, "Uitgaven"),
        ({"schulden": []}, "Schuldenpositie: vul"),
        ({"geen_schulden": True}, "'geen schulden' is aangevinkt"),
        ({"betalingsregelingen": ""}, "Andere betalingsregelingen"),
        ({"kan_betalen": ""}, "reguliere betalingen"),
        ({"kan_betalen": "misschien"}, "reguliere betalingen"),
        ({"kan_betalen_motivatie": " "}, "motiveer"),
        ({"plan": []}, "kies ten minste één"),
        ({"plan": ["geen", "budgetbeheer"]}, "kan niet samen"),
        ({"ondersteuning": ""}, "welke ondersteuning"),
    ],
)
def test_each_missing_part_is_reported(wijziging, verwacht):
    volledig, ontbreekt = rapportage_volledigheid(inhoud(**wijziging))
    assert not volledig
    assert len(ontbreekt) == 1 and verwacht in ontbreekt[0], ontbreekt


@pytest.mark.parametrize("last", ["huur", "zorgverzekering", "water", "energie"])
def test_each_fixed_charge_must_be_answered(last):
    data = inhoud()
    data["vaste_lasten"][last] = {"status": "", "achterstand": None}
    volledig, ontbreekt = rapportage_volledigheid(data)
    assert not volledig and len(ontbreekt) == 1 and last in ontbreekt[0]


# --- saving: validation, rights, drafts, encryption ------------------------------------------------
def test_draft_save_derives_volledig_and_encrypts(tenant_a):
    dossier = geclaimd(tenant_a)
    hv = tenant_a.gebruikers["hulpverlener"]
    concept = rapportage_opslaan(dossier=dossier, door=hv, inhoud={"inkomsten": [{"bron": "Loon", "bedrag": "10"}]})
    assert concept.volledig is False
    rapportage = rapportage_opslaan(dossier=dossier, door=hv, inhoud=VOLLEDIG)
    assert rapportage.pk == concept.pk and rapportage.volledig is True and rapportage.bijgewerkt_door == hv
    gelezen = rapportage_inhoud(Rapportage.objects.get(pk=rapportage.pk))
    assert gelezen["schulden"] == [{"schuldeiser": SCHULDEISER, "bedrag": "1200.50"}]
    assert gelezen["uitgaven"][0]["bedrag"] == "400.50" and gelezen["plan"] == ["budgetbeheer", "schuldhulpverlening"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM meldingen_rapportage WHERE id = %s", [rapportage.pk])
        rij = cursor.fetchone()
    ruw = b"".join(bytes(v) if isinstance(v, memoryview | bytes) else str(v).encode() for v in rij)
    for klare_tekst in (SCHULDEISER, MOTIVATIE, "Zorgtoeslag", "1850"):
        assert klare_tekst.encode() not in ruw
    regels = LogRegel.objects.filter(object_type="meldingen.rapportage", object_id=str(rapportage.pk), actie="wijzigen")
    assert regels.count() == 2 and regels.first().gebruiker_id == hv.pk


@pytest.mark.parametrize(
    ("wijziging", "veld"),
    [
        ({"inkomsten": [{"bron": "Loon", "bedrag": "-1"}]}, "inkomsten_0_bedrag"),
        ({"uitgaven": [{"omschrijving": "x", "bedrag": "12,345"}]}, "uitgaven_0_bedrag"),
        ({"schulden": [{"schuldeiser": "x", "bedrag": "veel"}]}, "schulden_0_bedrag"),
        ({"schulden": [{"schuldeiser": "", "bedrag": "10"}]}, "schulden_0_schuldeiser"),
        ({"inkomsten": [{"bron": "Loon", "bedrag": ""}]}, "inkomsten_0_bedrag"),
        ({"plan": ["geen", "budgetbeheer"]}, "plan"),
        ({"plan": ["toverstaf"]}, "plan"),
        ({"kan_betalen": "misschien"}, "kan_betalen"),
        ({"geen_schulden": True}, "geen_schulden"),
        ({"vaste_lasten": {"water": {"status": "betaald", "achterstand": "10"}}}, "water_achterstand"),
        ({"vaste_lasten": {"energie": {"status": "kwijtgescholden"}}}, "energie_status"),
        ({"ondersteuning": 12}, "ondersteuning"),
    ],
)
def test_invalid_values_are_refused_per_field(tenant_a, wijziging, veld):
    dossier = geclaimd(tenant_a)
    with pytest.raises(ApplicationError) as fout:
        rapportage_opslaan(dossier=dossier, door=tenant_a.gebruikers["hulpverlener"], inhoud=inhoud(**wijziging))
    assert veld in fout.value.extra
    assert not Rapportage.objects.filter(dossier=dossier).exists()


def test_only_the_behandelaar_or_a_teamleider_of_the_uitvoerder_saves(tenant_a, tenant_b):
    dossier = geclaimd(tenant_a)
    collega = UserFactory(username="collega.alfa", organisatie=tenant_a.uitvoerder, rollen=["hulpverlener"])
    for door in (
        tenant_b.gebruikers["hulpverlener"],
        tenant_b.gebruikers["teamleider"],
        tenant_a.gebruikers["gemeente_medewerker"],
        tenant_a.gebruikers["melder"],
        collega,
    ):
        with pytest.raises(ApplicationError):
            rapportage_opslaan(dossier=dossier, door=door, inhoud=VOLLEDIG)
    assert not Rapportage.objects.filter(dossier=dossier).exists()
    assert rapportage_opslaan(dossier=dossier, door=tenant_a.gebruikers["teamleider"], inhoud=VOLLEDIG).volledig


def test_closed_dossier_is_read_only(tenant_a):
    dossier = geclaimd(tenant_a)
    hv = tenant_a.gebruikers["hulpverlener"]
    rapportage_opslaan(dossier=dossier, door=hv, inhoud=inhoud(plan=[]))
    dossier_afsluiten(dossier=dossier, door=hv, eindresultaat="Vervolghulp en/of verwijzing")
    with pytest.raises(ApplicationError, match="afgesloten"):
        rapportage_opslaan(dossier=dossier, door=tenant_a.gebruikers["teamleider"], inhoud=VOLLEDIG)
    assert Rapportage.objects.get(dossier=dossier).volledig is False


# --- resultaat bereikt ------------------------------------------------------------------------------
def test_resultaat_bereikt_needs_a_reached_attempt_and_a_complete_rapportage(tenant_a):
    dossier = geclaimd(tenant_a)
    hv = tenant_a.gebruikers["hulpverlener"]
    vandaag = dt.date.today()
    poging = {"dossier": dossier, "door": hv, "soort": "Telefoon", "datum": vandaag, "dagdeel": "Ochtend"}
    assert resultaat_bereikt(dossier) is False
    contactpoging_create(**poging, bereikt=False)
    rapportage_opslaan(dossier=dossier, door=hv, inhoud=VOLLEDIG)
    assert resultaat_bereikt(dossier) is False  # complete, but nobody reached
    contactpoging_create(**poging, bereikt=True)
    assert resultaat_bereikt(dossier) is True
    rapportage_opslaan(dossier=dossier, door=hv, inhoud=inhoud(kan_betalen_motivatie=""))
    assert resultaat_bereikt(dossier) is False  # reached, but the rapportage is incomplete again


# --- pages ------------------------------------------------------------------------------------------
def _url(dossier, naam="detail"):
    return reverse(f"rapportage:{naam}", kwargs={"dossier_id": dossier.pk})


def _post_data(**extra):
    data = {
        "actie": "opslaan",
        "inkomsten_0_bron": "Loon",
        "inkomsten_0_bedrag": "1.850,00",
        "uitgaven_0_omschrijving": "Boodschappen",
        "uitgaven_0_bedrag": "400",
        "schulden_0_schuldeiser": SCHULDEISER,
        "schulden_0_bedrag": "1200,50",
        "huur_status": "achterstand",
        "huur_achterstand": "1300",
        "zorgverzekering_status": "betaald",
        "water_status": "betaald",
        "energie_status": "betaald",
        "betalingsregelingen": "geen",
        "kan_betalen": "nee",
        "kan_betalen_motivatie": MOTIVATIE,
        "plan": ["thuisadministratie_budgetcoaching"],
        "ondersteuning": "Wekelijks budgetcoaching.",
    }
    data.update(extra)
    return data


def test_form_page_saves_a_draft_and_shows_what_is_missing(tenant_a, inloggen):
    dossier = geclaimd(tenant_a)
    client = inloggen(tenant_a.gebruikers["hulpverlener"])
    pagina = client.get(_url(dossier))
    assert pagina.status_code == 200
    tekst = pagina.content.decode()
    assert "Er is nog geen rapportage opgeslagen" in tekst and "Concept opslaan" in tekst
    assert "<legend" in tekst and "Vaste lasten" in tekst

    antwoord = client.post(_url(dossier), _post_data(ondersteuning=""))
    assert antwoord.status_code == 302
    rapportage = Rapportage.objects.get(dossier=dossier)
    assert rapportage.volledig is False
    assert rapportage_inhoud(rapportage)["inkomsten"] == [{"bron": "Loon", "bedrag": "1850.00"}]
    tekst = client.get(_url(dossier)).content.decode()
    assert "nog niet volledig" in tekst and "welke ondersteuning nodig is" in tekst
    assert SCHULDEISER in tekst
    assert LogRegel.objects.filter(object_type="meldingen.rapportage", actie="bekijken").exists()

    client.post(_url(dossier), _post_data())
    assert Rapportage.objects.get(dossier=dossier).volledig is True
    assert "De rapportage is volledig" in client.get(_url(dossier)).content.decode()


def test_form_page_shows_field_errors(tenant_a, inloggen):
    dossier = geclaimd(tenant_a)
    client = inloggen(tenant_a.gebruikers["hulpverlener"])
    antwoord = client.post(_url(dossier), _post_data(inkomsten_0_bedrag="-5", plan=["geen", "budgetbeheer"]))
    assert antwoord.status_code == 400
    tekst = antwoord.content.decode()
    assert "Het bedrag kan niet negatief zijn." in tekst and 'aria-invalid="true"' in tekst
    assert "kan niet samen met een vorm van ondersteuning" in tekst
    assert not Rapportage.objects.filter(dossier=dossier).exists()


def test_other_organisation_gets_404_and_closed_dossier_is_read_only(tenant_a, tenant_b, inloggen):
    dossier = geclaimd(tenant_a)
    hv = tenant_a.gebruikers["hulpverlener"]
    rapportage_opslaan(dossier=dossier, door=hv, inhoud=VOLLEDIG)
    ander = inloggen(tenant_b.gebruikers["teamleider"])
    assert ander.get(_url(dossier)).status_code == 404
    assert ander.post(_url(dossier), _post_data()).status_code == 404
    assert ander.get(_url(dossier, "pdf")).status_code == 404

    dossier_afsluiten(dossier=dossier, door=hv, eindresultaat="Vervolghulp en/of verwijzing")
    client = inloggen(hv)
    tekst = client.get(_url(dossier)).content.decode()
    assert "kan alleen worden gelezen" in tekst and "Concept opslaan" not in tekst and "disabled" in tekst
    assert client.post(_url(dossier), _post_data(kan_betalen_motivatie="")).status_code == 400
    assert Rapportage.objects.get(dossier=dossier).volledig is True


# --- PDF --------------------------------------------------------------------------------------------
def test_pdf_request_enqueues_the_task_after_commit(tenant_a, inloggen):
    dossier = geclaimd(tenant_a)
    client = inloggen(tenant_a.gebruikers["hulpverlener"])
    with mock.patch("meldingen.rapportage.services.maak_rapportage_pdf.delay_on_commit") as enqueue:
        assert client.post(_url(dossier), {"actie": "pdf"}).status_code == 302
        enqueue.assert_not_called()  # nothing saved yet
        rapportage_opslaan(dossier=dossier, door=tenant_a.gebruikers["hulpverlener"], inhoud=VOLLEDIG)
        assert client.post(_url(dossier), {"actie": "pdf"}).status_code == 302
    enqueue.assert_called_once_with(str(dossier.pk))


def test_pdf_task_renders_stores_encrypted_and_downloads(tenant_a, inloggen):
    dossier = geclaimd(tenant_a)
    hv = tenant_a.gebruikers["hulpverlener"]
    contactpoging_create(
        dossier=dossier, door=hv, soort="Telefoon", datum=dt.date.today(), dagdeel="Ochtend", bereikt=True
    )
    rapportage = rapportage_opslaan(dossier=dossier, door=hv, inhoud=VOLLEDIG)
    maak_rapportage_pdf.run(str(dossier.pk))

    rapportage.refresh_from_db()
    assert rapportage.pdf_id and rapportage.pdf_gemaakt_op
    bestand = VersleuteldBestand.objects.get(pk=rapportage.pdf_id)
    assert bestand.soort == "rapportage_pdf" and bestand.sleutel_id == dossier.sleutel_id
    assert not bytes(bestand.inhoud).startswith(b"%PDF") and SCHULDEISER.encode() not in bytes(bestand.inhoud)
    naam, data = versleuteld_bestand_lezen(bestand)
    assert naam == f"rapportage-{dossier.nummer}.pdf" and data.startswith(b"%PDF")
    assert LogRegel.objects.filter(object_type="meldingen.rapportage", actie="aanmaken").count() == 1

    # Idempotent: a redelivered task leaves the up-to-date PDF alone.
    maak_rapportage_pdf.run(str(dossier.pk))
    assert Rapportage.objects.get(pk=rapportage.pk).pdf_id == bestand.pk
    # After a change a new PDF replaces the old file.
    rapportage_opslaan(dossier=dossier, door=hv, inhoud=inhoud(ondersteuning="Anders."))
    nieuw = rapportage_pdf_maken(dossier_id=dossier.pk)
    assert nieuw.pdf_id != bestand.pk
    assert not VersleuteldBestand.objects.filter(pk=bestand.pk).exists()

    client = inloggen(hv)
    antwoord = client.get(_url(dossier, "pdf"))
    assert antwoord.status_code == 200 and antwoord["Content-Type"] == "application/pdf"
    assert antwoord.content.startswith(b"%PDF")
    assert "attachment" in antwoord["Content-Disposition"] and antwoord["Cache-Control"] == "no-store"
    assert LogRegel.objects.filter(object_type="meldingen.rapportage", actie="exporteren", gebruiker_id=hv.pk).exists()
    assert "PDF downloaden" in client.get(_url(dossier)).content.decode()


def test_download_without_pdf_is_404(tenant_a, inloggen):
    dossier = geclaimd(tenant_a)
    rapportage_opslaan(dossier=dossier, door=tenant_a.gebruikers["hulpverlener"], inhoud=VOLLEDIG)
    assert inloggen(tenant_a.gebruikers["teamleider"]).get(_url(dossier, "pdf")).status_code == 404
    assert rapportage_pdf_maken(dossier_id=maak_melding(tenant_a, "RC-2026-999").dossier_id) is None


def test_html_redactie_and_concept_marking(tenant_a):
    dossier = geclaimd(tenant_a)
    hv = tenant_a.gebruikers["hulpverlener"]
    contactpoging_create(
        dossier=dossier,
        door=hv,
        soort="Telefoon",
        datum=dt.date.today(),
        dagdeel="Ochtend",
        bereikt=True,
        notitie="Notitie-geheim",
    )
    volledig = rapportage_html(dossier=dossier, inhoud=VOLLEDIG, volledig=True, redactie="volledig")
    assert "Notitie-geheim" in volledig and SCHULDEISER in volledig and "€ 1.850,00" in volledig
    assert "Concept" not in volledig
    zonder = rapportage_html(dossier=dossier, inhoud=VOLLEDIG, volledig=True, redactie="zonder_notities")
    assert "Notitie-geheim" not in zonder and SCHULDEISER in zonder
    concept = rapportage_html(dossier=dossier, inhoud=inhoud(plan=[]), volledig=False)
    assert "Concept: deze rapportage is nog niet volledig" in concept
    with pytest.raises(ValueError):
        rapportage_html(dossier=dossier, inhoud=VOLLEDIG, volledig=True, redactie="alles")
