"""Reporting a breach, completing the register, linking dossiers, the progress logbook and who sees what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from datalekken.register.inhoud import inhoud_lezen
from datalekken.register.meldingmail import registratie_mailen
from datalekken.register.models import Datalek, Voortgang
from datalekken.register.services import (
    datalek_aanvullen,
    datalek_dossier_ontkoppelen,
    datalek_dossiers_koppelen,
    voortgang_toevoegen,
)
from meldpunt.audit.models import LogRegel
from meldpunt.core.exceptions import ApplicationError
from tests.datalekken.helpers import CONTACT_TELEFOON, OMSCHRIJVING, REGISTER_COMPLEET, maak_datalek
from tests.meldingen.helpers import maak_melding
from tests.persoonsgegevens import ACHTERNAAM, STRAAT

pytestmark = pytest.mark.django_db


def test_reporting_stores_free_text_encrypted_and_mails_each_fg_once_without_personal_data(tenant_a, smtp, mailbox):
    datalek = maak_datalek(tenant_a)
    rij = Datalek.objects.values("inhoud").get(pk=datalek.pk)
    assert OMSCHRIJVING.encode() not in bytes(rij["inhoud"])
    assert CONTACT_TELEFOON.encode() not in bytes(rij["inhoud"])
    assert inhoud_lezen(datalek)["omschrijving"] == OMSCHRIJVING
    assert datalek.fg_geinformeerd_op == datalek.gemeld_op
    assert LogRegel.objects.filter(
        object_type="datalekken.datalek", object_id=str(datalek.pk), actie="aanmaken"
    ).exists()

    assert registratie_mailen(datalek_id=datalek.pk) == 1
    assert registratie_mailen(datalek_id=datalek.pk) == 0  # the "sent" flag: never twice
    (bericht,) = mailbox.wait_for(1)
    assert bericht["To"] == tenant_a.convenant.fg_email
    tekst = bericht.get_payload(decode=True).decode()
    assert datalek.nummer in tekst and f"/datalekken/{datalek.pk}/" in tekst
    for persoonlijk in (OMSCHRIJVING, CONTACT_TELEFOON, ACHTERNAAM, STRAAT):
        assert persoonlijk not in tekst


def test_reporting_refuses_bad_input_per_field_and_stores_nothing(tenant_a, tenant_b):
    with pytest.raises(ApplicationError) as fout:
        maak_datalek(
            tenant_a,
            convenanten=[tenant_b.convenant],
            ontdekt_op=timezone.now() + dt.timedelta(days=1),
            soort=[],
            omschrijving=" ",
            contact_naam="",
            contact_telefoon="",
        )
    assert set(fout.value.extra) == {
        "convenanten",
        "ontdekt_op",
        "soort",
        "omschrijving",
        "contact_naam",
        "contact_telefoon",
    }
    assert not Datalek.objects.exists()


def test_the_two_step_form_registers_and_sends_the_reporter_to_the_register(tenant_a, inloggen):
    client = inloggen(tenant_a.gebruikers["melder"])
    pagina = client.get(reverse("datalekken:melden"))
    assert pagina.status_code == 200 and "Stap 1 van 2" in pagina.content.decode()
    fout = client.post(reverse("datalekken:melden"), {"omschrijving": ""})
    assert fout.status_code == 400 and "utrecht-form-field--invalid" in fout.content.decode()
    antwoord = client.post(
        reverse("datalekken:melden"),
        {
            "omschrijving": OMSCHRIJVING,
            "ontdekt_op": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "convenanten": [tenant_a.convenant.pk],
            "soort": ["vertrouwelijkheid"],
            "contact_naam": "Mirjam Melder",
            "contact_telefoon": "020-1234567",
        },
    )
    datalek = Datalek.objects.get()
    assert antwoord.status_code == 302 and antwoord["Location"] == reverse("datalekken:aanvullen", args=[datalek.pk])
    stap2 = client.post(
        reverse("datalekken:aanvullen", args=[datalek.pk]),
        {
            "omschrijving": OMSCHRIJVING,
            "soort": ["vertrouwelijkheid"],
            "categorieen": ["naw", "schulden"],
            "aantal_min": "1",
            "aantal_max": "3",
            "contact_naam": "Mirjam Melder",
            "contact_telefoon": "020-1234567",
            "betreft_kinderen": "ja",
        },
    )
    assert stap2.status_code == 302
    datalek.refresh_from_db()
    assert datalek.categorieen == ["naw", "schulden"] and datalek.aantal_max == 3 and datalek.betreft_kinderen is True
    assert datalek.verwerker_compleet_op is None  # a Partner is a controller: no 24h processor clock


def test_answering_the_seven_questions_ends_the_24_hour_clock(tenant_a):
    datalek = maak_datalek(tenant_a)
    hulpverlener = tenant_a.gebruikers["hulpverlener"]
    datalek = datalek_aanvullen(datalek=datalek, door=hulpverlener, **REGISTER_COMPLEET)
    assert datalek.verwerker_compleet_op is None  # the period is still missing
    datalek = datalek_aanvullen(datalek=datalek, door=hulpverlener, periode_van=timezone.now() - dt.timedelta(days=1))
    assert datalek.verwerker_compleet_op is not None
    assert "bijlage 3" in Voortgang.objects.filter(datalek=datalek).last().gebeurtenis


def test_completing_validates_and_only_the_fg_moves_the_moment_of_awareness(tenant_a):
    datalek = maak_datalek(tenant_a)
    with pytest.raises(ApplicationError) as fout:
        datalek_aanvullen(
            datalek=datalek,
            door=tenant_a.gebruikers["hulpverlener"],
            aantal_min=5,
            aantal_max=2,
            oorzaak="iets",
            fg_geinformeerd_op=timezone.now(),
            omschrijving="",
        )
    assert set(fout.value.extra) == {"aantal_max", "oorzaak", "fg_geinformeerd_op", "omschrijving"}
    with pytest.raises(ApplicationError):
        datalek_aanvullen(datalek=datalek, door=tenant_a.gebruikers["gemeente_medewerker"], aantal_min=1)
    fg = tenant_a.gebruikers["fg"]
    eerder = datalek.ontdekt_op + dt.timedelta(minutes=10)
    assert datalek_aanvullen(datalek=datalek, door=fg, fg_geinformeerd_op=eerder).fg_geinformeerd_op == eerder


def test_linking_dossiers_by_number_within_the_breach_convenants(tenant_a, tenant_b):
    datalek = maak_datalek(tenant_a)
    eigen = maak_melding(tenant_a).dossier
    ander = maak_melding(tenant_b).dossier
    with pytest.raises(ApplicationError) as fout:
        datalek_dossiers_koppelen(datalek=datalek, door=tenant_a.gebruikers["hulpverlener"], nummers=ander.nummer)
    assert ander.nummer in fout.value.extra["nummers"][0]
    with pytest.raises(ApplicationError):
        datalek_dossiers_koppelen(datalek=datalek, door=tenant_a.gebruikers["hulpverlener"], nummers=" , ")
    nieuw = datalek_dossiers_koppelen(
        datalek=datalek, door=tenant_a.gebruikers["hulpverlener"], nummers=f"{eigen.nummer}, {eigen.nummer}"
    )
    assert [k.dossier_id for k in nieuw] == [eigen.pk]
    assert datalek_dossiers_koppelen(datalek=datalek, door=tenant_a.gebruikers["fg"], nummers=eigen.nummer) == []
    partner_melding = maak_datalek(tenant_a, "melder")
    with pytest.raises(ApplicationError):  # a Partner's reporter never learns dossier numbers
        datalek_dossiers_koppelen(datalek=partner_melding, door=tenant_a.gebruikers["melder"], nummers=eigen.nummer)
    datalek_dossier_ontkoppelen(datalek=datalek, door=tenant_a.gebruikers["fg"], koppeling_id=nieuw[0].pk)
    assert not datalek.koppelingen.exists()
    with pytest.raises(ApplicationError):
        datalek_dossier_ontkoppelen(datalek=datalek, door=tenant_a.gebruikers["fg"], koppeling_id=nieuw[0].pk)


def test_the_progress_logbook_is_append_only(tenant_a):
    datalek = maak_datalek(tenant_a)
    notitie = voortgang_toevoegen(datalek=datalek, door=tenant_a.gebruikers["fg"], notitie="Teruggebeld met de melder")
    assert b"Teruggebeld" not in bytes(Voortgang.objects.values("notitie").get(pk=notitie.pk)["notitie"])
    with pytest.raises(ApplicationError):
        voortgang_toevoegen(datalek=datalek, door=tenant_a.gebruikers["fg"], notitie="")
    with pytest.raises(ApplicationError):
        voortgang_toevoegen(datalek=datalek, door=tenant_a.gebruikers["contactpunt"], notitie="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        Voortgang.objects.filter(pk=notitie.pk).update(gebeurtenis="anders")
    with pytest.raises(DatabaseError), transaction.atomic():
        Voortgang.objects.filter(pk=notitie.pk).delete()


def test_only_the_reporter_and_the_fg_of_the_convenant_see_a_breach(tenant_a, tenant_b, inloggen, client):
    datalek = maak_datalek(tenant_a)
    url = reverse("datalekken:detail", args=[datalek.pk])
    for gebruiker, verwacht in (
        (tenant_a.gebruikers["hulpverlener"], 200),
        (tenant_a.gebruikers["fg"], 200),
        (tenant_a.gebruikers["teamleider"], 404),  # a colleague of the reporter
        (tenant_a.gebruikers["gemeente_medewerker"], 404),
        (tenant_b.gebruikers["fg"], 404),
    ):
        inloggen(gebruiker)
        assert client.get(url).status_code == verwacht, gebruiker.username
    inloggen(tenant_a.gebruikers["teamleider"])
    assert datalek.nummer not in client.get(reverse("datalekken:register")).content.decode()
    inloggen(tenant_a.gebruikers["fg"])
    pagina = client.get(reverse("datalekken:register")).content.decode()
    assert datalek.nummer in pagina and "Export CSV" in pagina
    assert LogRegel.objects.filter(object_id=str(datalek.pk), actie="bekijken").count() >= 2


def test_the_fg_completes_the_register_on_its_page_and_sees_errors_per_field(tenant_a, inloggen, client):
    datalek = maak_datalek(tenant_a)
    datalek_aanvullen(datalek=datalek, door=tenant_a.gebruikers["fg"], periode_van=timezone.now(), voortdurend=True)
    url = reverse("datalekken:aanvullen", args=[datalek.pk])
    inloggen(tenant_a.gebruikers["fg"])
    pagina = client.get(url).content.decode()
    assert "geïnformeerd op" in pagina and OMSCHRIJVING in pagina
    fout = client.post(
        url,
        {
            "omschrijving": OMSCHRIJVING,
            "soort": ["vertrouwelijkheid"],
            "aantal_min": "9",
            "aantal_max": "2",
            "contact_naam": "x",
            "contact_telefoon": "1",
            "fg_geinformeerd_op": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert fout.status_code == 400 and "Het maximum is kleiner dan het minimum." in fout.content.decode()
    inloggen(tenant_a.gebruikers["teamleider"])
    assert client.get(url).status_code == 404
