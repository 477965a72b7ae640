"""The stored files of the requester's dossiers in the answer package: derived from the models, decrypted
byte for byte into one folder per dossier, listed in the PDF and the JSON, withheld with their category, and
nothing of another household."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.db import models
from django.template.loader import render_to_string

from avg.besluiten.bestanden import BESTANDSVELDEN, bestandsverwijzingen, verwijzing_naam
from avg.besluiten.pakket import pakket_bestand, pakket_inhoud, pakket_maken
from avg.besluiten.services import verzoek_besluiten
from avg.verzoeken.services import verzoekdossier_bevestigen
from meldingen.dossiers.models import Dossier
from meldingen.dossiers.services import dossier_claim
from meldingen.informatieplicht.services import informatiebrief_maken
from meldingen.intake.models import Melding
from meldingen.rapportage.models import Rapportage
from meldingen.rapportage.pdf import rapportage_pdf_maken
from meldingen.rapportage.services import rapportage_opslaan
from meldingen.toestemming.models import Toestemming
from meldpunt.privacy.models import VersleuteldBestand
from meldpunt.privacy.services import versleuteld_bestand_lezen
from tests.avg.helpers import beantwoord, in_behandeling, raadpleeg
from tests.meldingen.helpers import geef_toestemming, maak_melding
from tests.meldingen.rapportage.test_rapportage import VOLLEDIG

pytestmark = pytest.mark.django_db

FORMULIER = b"%PDF-1.4\n% ondertekend toestemmingsformulier van de huurder\n"
ANDER_FORMULIER = b"%PDF-1.4\n% formulier van een ander huishouden\n"
ANDER_HUISHOUDEN = "Heerengracht"


def bestandsverwijzingen_van_dossiers() -> set[str]:
    """Every reference to a stored file from a model that belongs to a dossier (directly or through its
    melding), derived from the models themselves."""
    uit = set()
    for model in apps.get_models():
        velden = [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
        if not any(f.related_model in (Dossier, Melding) for f in velden):
            continue
        for veld in velden:
            if veld.related_model is VersleuteldBestand:
                uit.add(f"{model._meta.label_lower}.{veld.name}")
    return uit


def test_every_file_reference_of_a_dossier_is_named_and_followed():
    afgeleid = bestandsverwijzingen_van_dossiers()
    assert {"meldingen.toestemming.formulier", "meldingen.rapportage.pdf"} <= afgeleid
    assert afgeleid == set(BESTANDSVELDEN)
    assert {verwijzing_naam(m, v) for m, _pad, v in bestandsverwijzingen()} == afgeleid


def dossier_met_bestanden(tenant, referentie="RC-2026-000123", formulier=FORMULIER, **melding):
    """A dossier with a signed consent form, the rapportage PDFs and an information letter, by the services."""
    hv = tenant.gebruikers["hulpverlener"]
    dossier = dossier_claim(dossier_id=maak_melding(tenant, referentie, **melding).dossier_id, door=hv)
    geef_toestemming(tenant, dossier, "gemeente", "rapportage", formulier=formulier)
    rapportage_opslaan(dossier=dossier, door=hv, inhoud=VOLLEDIG)
    assert rapportage_pdf_maken(dossier_id=dossier.pk) is not None
    informatiebrief_maken(dossier=dossier, door=hv)
    return Dossier.objects.select_related("sleutel").get(pk=dossier.pk)


def besloten(tenant, dossier, uitzondering=None):
    verzoek = in_behandeling(tenant, ["inzage"])
    cp = tenant.gebruikers["contactpunt"]
    verzoekdossier_bevestigen(verzoek=verzoek, dossier=dossier, door=cp)
    for r in raadpleeg(tenant, verzoek):
        beantwoord(tenant, r, (uitzondering or {}).get(r.organisatie_id))
    verzoek_besluiten(verzoek=verzoek, door=cp)
    return verzoek


def zip_van(verzoek):
    pakket = pakket_maken(verzoek_id=verzoek.pk)
    _naam, inhoud = pakket_bestand(pakket)
    return zipfile.ZipFile(io.BytesIO(inhoud)), VersleuteldBestand.objects.get(pk=pakket.bestand_id)


def test_the_consent_form_and_the_rapportage_pdfs_are_in_the_package_byte_for_byte(tenant_a):
    dossier = dossier_met_bestanden(tenant_a)
    ander = dossier_met_bestanden(
        tenant_a,
        "RC-ANDER",
        formulier=ANDER_FORMULIER,
        huurder__geboortedatum="1950-01-01",
        adres__straat=ANDER_HUISHOUDEN,
    )
    verzoek = besloten(tenant_a, dossier)
    z, opgeslagen = zip_van(verzoek)

    map_ = f"dossier-{dossier.nummer}"
    toestemming = Toestemming.objects.select_related("formulier__sleutel").get(dossier=dossier)
    rapportage = Rapportage.objects.select_related("pdf__sleutel", "pdf_gemeente__sleutel").get(dossier=dossier)
    formulier_naam, formulier = versleuteld_bestand_lezen(toestemming.formulier)
    pdf_naam, pdf = versleuteld_bestand_lezen(rapportage.pdf)
    _n, pdf_gemeente = versleuteld_bestand_lezen(rapportage.pdf_gemeente)
    assert formulier == FORMULIER and pdf.startswith(b"%PDF")
    bijlagen = sorted(n for n in z.namelist() if n.startswith(f"{map_}/"))
    assert len(bijlagen) == 4, bijlagen  # consent form, both rapportage PDFs, the information letter
    assert z.read(f"{map_}/{formulier_naam}") == formulier
    assert z.read(f"{map_}/{pdf_naam}") == pdf
    assert z.read(f"{map_}/rapportage-{dossier.nummer}-gemeente.pdf") == pdf_gemeente
    assert z.read(f"{map_}/informatiebrief-{dossier.nummer}.pdf").startswith(b"%PDF")
    # nothing of the other household: no folder, no file, not its form's bytes anywhere
    assert not [n for n in z.namelist() if ander.nummer in n]
    assert all(ANDER_FORMULIER not in z.read(n) for n in z.namelist())
    # the ZIP is encrypted at rest: the form's bytes are not in the stored file
    assert FORMULIER not in bytes(opgeslagen.inhoud)

    data = json.loads(z.read(f"persoonsgegevens-{verzoek.nummer}.json"))
    lijst = data["dossiers"][0]["bestanden"]
    assert data["dossiers"][0]["map"] == map_
    assert {b["pad"] for b in lijst} == set(bijlagen)
    formulier_regel = next(b for b in lijst if b["naam"] == formulier_naam)
    assert formulier_regel["soort"] == "Ondertekend toestemmingsformulier"
    assert formulier_regel["datum"][:10] == toestemming.formulier.aangemaakt_op.date().isoformat()
    assert formulier_regel["grootte"] == len(FORMULIER)
    assert {b["soort"] for b in lijst} == {
        "Ondertekend toestemmingsformulier",
        "Rapportage (PDF)",
        "Rapportage zoals de gemeente die met uw toestemming inziet (PDF, zonder notities)",
        "Informatiebrief over de verwerking (art. 14 AVG)",
    }
    assert ander.nummer not in json.dumps(data)
    html = render_to_string("avg/besluiten/inzage.html", {"inhoud": pakket_inhoud(verzoek), "verzoek": verzoek})
    assert f'data-bestand="{map_}/{formulier_naam}"' in html and "Ondertekend toestemmingsformulier" in html
    assert f"in de map {map_}" in html


def test_withheld_categories_leave_their_files_out_and_versions_keep_apart(tenant_a):
    dossier = dossier_met_bestanden(tenant_a)
    informatiebrief_maken(dossier=dossier, door=tenant_a.gebruikers["hulpverlener"])  # a second version
    verzoek = besloten(tenant_a, dossier, {tenant_a.gemeente.pk: {"rapportage": "i"}})
    z, _ = zip_van(verzoek)
    map_ = f"dossier-{dossier.nummer}"
    bijlagen = sorted(n.removeprefix(f"{map_}/") for n in z.namelist() if n.startswith(f"{map_}/"))
    naam, formulier = versleuteld_bestand_lezen(Toestemming.objects.get(dossier=dossier).formulier)
    assert bijlagen == sorted(
        [naam, f"informatiebrief-{dossier.nummer}.pdf", f"informatiebrief-{dossier.nummer} (2).pdf"]
    )
    assert z.read(f"{map_}/{naam}") == formulier
    data = json.loads(z.read(f"persoonsgegevens-{verzoek.nummer}.json"))
    assert {b["soort"] for b in data["dossiers"][0]["bestanden"]} == {
        "Ondertekend toestemmingsformulier",
        "Informatiebrief over de verwerking (art. 14 AVG)",
    }
    assert data["dossiers"][0]["niet_verstrekt"] == ["Rapportage"]
