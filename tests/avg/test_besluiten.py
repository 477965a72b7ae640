"""Finding the requester's data, consulting the participants, deciding per participant, the answer package,
carrying out, bezwaar and the annual counts."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
import time_machine
from django.apps import apps
from django.db import models
from django.utils import timezone

from avg.besluiten.inhoud import VERSLEUTELDE_VELDEN
from avg.besluiten.models import Pakket, Uitvoering
from avg.besluiten.pakket import pakket_bestand, pakket_maken, pakketten_opruimen
from avg.besluiten.selectors import jaarcijfers
from avg.besluiten.services import verzoek_besluiten
from avg.besluiten.uitvoering import verzoek_uitvoeren
from avg.bezwaren.services import bezwaar_beslissen, bezwaar_registreren, horen_afzien
from avg.raadpleging.herinneringen import herbeoordeling_herinneringen, raadpleging_herinneringen
from avg.raadpleging.models import Raadpleging
from avg.raadpleging.services import raadpleging_beantwoorden, uitzondering_vervallen
from avg.verzoeken.models import VerzoekDossier
from avg.verzoeken.selectors import dossiers_zoeken
from avg.verzoeken.services import verzoekdossier_bevestigen, verzoekdossier_verklaring_toevoegen
from meldingen.bewaring.models import Bewaarblokkade, VernietigingsRegel
from meldingen.dossiers.models import Dossier
from meldingen.dossiers.services import contactpoging_create, dossier_claim, dossier_teruggeven
from meldingen.informatieplicht.services import informatieplicht_uitzondering
from meldingen.rapportage.services import rapportage_opslaan
from meldingen.toestemming.models import Toestemming
from meldpunt.audit.models import LogRegel
from meldpunt.core.exceptions import ApplicationError
from meldpunt.privacy.models import Vernietiging, VersleuteldBestand
from tests.avg.helpers import beantwoord, in_behandeling, met_dossier, raadpleeg
from tests.meldingen.helpers import geef_toestemming, maak_melding, scherm_af
from tests.meldingen.rapportage.test_rapportage import VOLLEDIG
from tests.persoonsgegevens import ACHTERNAAM, GEBOORTEDATUM, HUISNUMMER

pytestmark = pytest.mark.django_db

ANDER_HUISHOUDEN = "Heerengracht"


def versleutelde_dossiervelden() -> set[tuple[str, str]]:
    """Every encrypted field of a model that belongs to a dossier, derived from the models themselves."""
    uit = set()
    for model in apps.get_models():
        velden = {f.name: f for f in model._meta.get_fields()}
        dossier = velden.get("dossier")
        if not isinstance(dossier, models.ForeignKey | models.OneToOneField) or dossier.related_model is not Dossier:
            continue
        for veld in model._meta.concrete_fields:
            if isinstance(veld, models.BinaryField):
                uit.add((model._meta.label_lower, veld.name))
    return uit


def test_the_package_registry_covers_every_encrypted_field_of_a_dossier():
    assert versleutelde_dossiervelden() == {(v.model, v.veld) for v in VERSLEUTELDE_VELDEN}


def volledig_dossier(tenant):
    """A dossier with a value in every encrypted field, through the real services."""
    hv, tl, cp = tenant.gebruikers["hulpverlener"], tenant.gebruikers["teamleider"], tenant.gebruikers["contactpunt"]
    melding = maak_melding(tenant)
    dossier = dossier_claim(dossier_id=melding.dossier_id, door=hv)
    dossier_teruggeven(dossier=dossier, door=hv, reden="Reden-teruggeven-123")
    dossier = dossier_claim(dossier_id=melding.dossier_id, door=hv)
    contactpoging_create(
        dossier=dossier,
        door=hv,
        soort="Telefoon",
        datum=timezone.localdate(),
        dagdeel="Ochtend",
        bereikt=True,
        notitie="Notitie-456",
    )
    informatieplicht_uitzondering(
        dossier=dossier, door=tl, uitzondering="heeft_informatie_al", toelichting="Toelichting-789"
    )
    rapportage_opslaan(dossier=dossier, door=hv, inhoud=VOLLEDIG)
    geef_toestemming(tenant, dossier, bewijs="Bewijs-321")
    from meldingen.afscherming.services import afscherming_opheffen

    afscherming_opheffen(afscherming=scherm_af(tenant, dossier), door=cp)
    return Dossier.objects.get(pk=dossier.pk)


def test_search_finds_the_household_by_blind_index_only_in_the_gemeente_and_logs_it(tenant_a, tenant_b):
    eigen = maak_melding(tenant_a).dossier
    ander = maak_melding(
        tenant_a,
        "RC-ANDER",
        huurder__geboortedatum="1950-01-01",
        adres__postcode="1000 AA",
        adres__straat=ANDER_HUISHOUDEN,
    ).dossier
    maak_melding(tenant_b)  # the same person in another Gemeente's convenant
    verzoek = in_behandeling(tenant_a)
    cp = tenant_a.gebruikers["contactpunt"]
    op_naam = dossiers_zoeken(
        verzoek=verzoek, gebruiker=cp, achternaam="zwaluwstaart, van der", geboortedatum=GEBOORTEDATUM
    )
    assert [k.dossier.pk for k in op_naam] == [eigen.pk]
    assert op_naam[0].naam.endswith(ACHTERNAAM) and op_naam[0].gevonden_op == ("naam_geboortedatum",)
    op_adres = dossiers_zoeken(
        verzoek=verzoek, gebruiker=cp, postcode="1111ab", huisnummer=str(HUISNUMMER), toevoeging="a"
    )
    assert [k.dossier.pk for k in op_adres] == [eigen.pk]
    assert ander.pk not in {k.dossier.pk for k in op_naam + op_adres}
    assert LogRegel.objects.filter(
        object_type="meldingen.dossier", object_id=str(eigen.pk), actie="bekijken", doel="afhandeling AVG-verzoek"
    ).exists()
    with pytest.raises(ApplicationError):
        verzoekdossier_bevestigen(
            verzoek=verzoek, dossier=Dossier.objects.exclude(convenant=tenant_a.convenant).get(), door=cp
        )


def test_participants_are_consulted_per_category_and_reminded_once(
    smtp, tenant_a, mailbox, django_capture_on_commit_callbacks
):
    tenant_a.gebruikers["partner_beheer"].email = "beheer@corporatie.example"
    tenant_a.gebruikers["partner_beheer"].save()
    verzoek, _dossier = met_dossier(tenant_a)
    with django_capture_on_commit_callbacks(execute=True):
        raadplegingen = raadpleeg(tenant_a, verzoek)
    assert {r.organisatie_id: r.categorieen for r in raadplegingen} == {
        tenant_a.partner.pk: ["melding"],
        tenant_a.uitvoerder.pk: ["melding", "dossier", "rapportage", "toestemming"],
    }
    assert raadpleeg(tenant_a, verzoek) == []  # nobody twice
    mailbox.wait_for(1)
    mailbox.clear()
    partner = next(r for r in raadplegingen if r.organisatie_id == tenant_a.partner.pk)
    with pytest.raises(ApplicationError) as fout:
        raadpleging_beantwoorden(
            raadpleging=partner,
            door=tenant_a.gebruikers["partner_beheer"],
            antwoorden={"melding": {"uitzondering": "d"}},
        )
    assert "melding_motivering" in fout.value.extra
    with pytest.raises(ApplicationError):
        raadpleging_beantwoorden(raadpleging=partner, door=tenant_a.gebruikers["teamleider"], antwoorden={})
    with time_machine.travel(timezone.now() + dt.timedelta(days=11), tick=False):
        assert raadpleging_herinneringen() == 2
        assert raadpleging_herinneringen() == 0
    assert len(mailbox.wait_for(1)) >= 1


def test_partial_decision_withholds_only_the_excepted_category_and_the_package_has_every_field(tenant_a):
    dossier = volledig_dossier(tenant_a)
    ander = maak_melding(
        tenant_a, "RC-ANDER", huurder__geboortedatum="1950-01-01", adres__straat=ANDER_HUISHOUDEN
    ).dossier
    verzoek = in_behandeling(tenant_a, ["inzage", "overdraagbaarheid"])
    cp = tenant_a.gebruikers["contactpunt"]
    koppeling = verzoekdossier_bevestigen(verzoek=verzoek, dossier=dossier, door=cp)
    verzoekdossier_verklaring_toevoegen(koppeling=koppeling, door=cp, verklaring="Verklaring-654")
    raadplegingen = {r.organisatie_id: r for r in raadpleeg(tenant_a, verzoek)}
    assert set(raadplegingen) == {tenant_a.partner.pk, tenant_a.uitvoerder.pk, tenant_a.gemeente.pk}
    with pytest.raises(ApplicationError, match="Wacht op het antwoord"):
        verzoek_besluiten(verzoek=verzoek, door=cp)
    beantwoord(tenant_a, raadplegingen[tenant_a.partner.pk])
    beantwoord(tenant_a, raadplegingen[tenant_a.uitvoerder.pk])
    beantwoord(tenant_a, raadplegingen[tenant_a.gemeente.pk], {"rapportage": "i"})
    besluiten = {b.organisatie_id: b for b in verzoek_besluiten(verzoek=verzoek, door=cp)}
    assert besluiten[tenant_a.partner.pk].uitkomst == "toegewezen"
    assert besluiten[tenant_a.gemeente.pk].uitkomst == "gedeeltelijk"
    assert besluiten[tenant_a.gemeente.pk].geweigerd == ["rapportage"]

    pakket = pakket_maken(verzoek_id=verzoek.pk)
    assert pakket is not None and pakket.verloopt_op > timezone.now() + dt.timedelta(days=29)
    versleuteld = bytes(VersleuteldBestand.objects.get(pk=pakket.bestand_id).inhoud)
    assert b"PK" not in versleuteld[:8] and ACHTERNAAM.encode() not in versleuteld
    _naam, inhoud = pakket_bestand(pakket)
    z = zipfile.ZipFile(io.BytesIO(inhoud))
    assert sorted(z.namelist()) == sorted(
        [f"besluit-{verzoek.nummer}.pdf", f"inzage-{verzoek.nummer}.pdf", f"persoonsgegevens-{verzoek.nummer}.json"]
    )
    data = json.loads(z.read(f"persoonsgegevens-{verzoek.nummer}.json"))
    tekst = json.dumps(data, ensure_ascii=False)
    gegevens = data["dossiers"][0]["persoonsgegevens"]
    verwacht = versleutelde_dossiervelden() - {("meldingen.rapportage", "inhoud")}
    assert set(gegevens) == {f"{m}.{v}" for m, v in verwacht}
    for waarde in (
        "Reden-teruggeven-123",
        "Notitie-456",
        "Toelichting-789",
        "Bewijs-321",
        "Verklaring-654",
        ACHTERNAAM,
    ):
        assert waarde in tekst
    assert "Incassobureau" not in tekst  # the rapportage is withheld (art. 41 sub i)
    assert data["dossiers"][0]["niet_verstrekt"] == ["Rapportage"]
    assert ANDER_HUISHOUDEN not in tekst and ander.nummer not in tekst
    ontvangers = {o["organisatie"] for o in data["dossiers"][0]["informatie"]["ontvangers"]}
    assert tenant_a.uitvoerder.naam in ontvangers
    assert data["dossiers"][0]["informatie"]["toestemmingen"][0]["ontvanger"] == tenant_a.gemeente.naam
    assert z.read(f"besluit-{verzoek.nummer}.pdf").startswith(b"%PDF")

    with time_machine.travel(timezone.now() + dt.timedelta(days=31), tick=False):
        assert pakket_bestand(Pakket.objects.get(pk=pakket.pk)) is None
        assert pakketten_opruimen() == 1
    assert not VersleuteldBestand.objects.filter(pk=pakket.bestand_id).exists()
    assert pakket_bestand(Pakket.objects.get(pk=pakket.pk), brief=True) is not None


def test_carrying_out_withdrawal_and_erasure_destroys_the_dossier_and_lifts_the_holds(tenant_a):
    dossier = volledig_dossier(tenant_a)
    verzoek = in_behandeling(tenant_a, ["wissing", "intrekking_toestemming", "beperking", "rectificatie"])
    cp = tenant_a.gebruikers["contactpunt"]
    verzoekdossier_bevestigen(verzoek=verzoek, dossier=dossier, door=cp)
    holds = Bewaarblokkade.objects.filter(bron="avg_verzoek", bron_id=str(verzoek.pk), opgeheven_op__isnull=True)
    assert list(holds.values_list("dossier_id", "grond")) == [(dossier.pk, "avg_verzoek")]
    for r in raadpleeg(tenant_a, verzoek):
        beantwoord(tenant_a, r)
    verzoek_besluiten(verzoek=verzoek, door=cp)
    verzoek_uitvoeren(verzoek=verzoek, door=cp)
    standen = dict(Uitvoering.objects.filter(verzoek=verzoek).values_list("soort", "stand"))
    assert standen == {
        "wissing": "uitgevoerd",
        "intrekking_toestemming": "uitgevoerd",
        "beperking": "uitgevoerd",  # pointless once erased: recorded as lapsed
        "rectificatie": "niet_uitgevoerd",
    }
    assert not Toestemming.objects.filter(dossier=dossier, beeindigd_op__isnull=True).exists()
    gewist = Dossier.objects.select_related("sleutel").get(pk=dossier.pk)
    assert gewist.vernietigd_op is not None and gewist.sleutel.vernietigd
    assert Vernietiging.objects.get(sleutel=gewist.sleutel).door == cp
    for veld in VERSLEUTELDE_VELDEN:  # nothing of the dossier is left to decrypt
        rijen = apps.get_model(veld.model)._default_manager.filter(dossier=gewist)
        assert not [obj.pk for obj in rijen if getattr(obj, veld.veld)], veld
    regel = VernietigingsRegel.objects.get(dossier=gewist)
    assert regel.aanleiding == "avg_besluit"
    assert not holds.exists()
    verzoek.refresh_from_db()
    assert verzoek.status == "afgehandeld"


def test_erasure_is_refused_where_an_exception_applies_and_rechecked_every_three_months(smtp, tenant_a, mailbox):
    tenant_a.gebruikers["teamleider"].email = "tl@uitvoerder.example"
    tenant_a.gebruikers["teamleider"].save()
    verzoek, _dossier = met_dossier(tenant_a, ["wissing"])
    cp = tenant_a.gebruikers["contactpunt"]
    for r in raadpleeg(tenant_a, verzoek):
        beantwoord(tenant_a, r, {"dossier": "d"} if r.organisatie_id == tenant_a.uitvoerder.pk else None)
    verzoek_besluiten(verzoek=verzoek, door=cp)
    verzoek_uitvoeren(verzoek=verzoek, door=cp)
    assert Uitvoering.objects.get(verzoek=verzoek).stand == "niet_uitgevoerd"
    mailbox.clear()
    with time_machine.travel(timezone.now() + dt.timedelta(days=93), tick=False):
        assert herbeoordeling_herinneringen() == 1
        assert herbeoordeling_herinneringen() == 0
    with time_machine.travel(timezone.now() + dt.timedelta(days=186), tick=False):
        assert herbeoordeling_herinneringen() == 1
    assert len(mailbox.wait_for(2)) == 2
    antwoord = Raadpleging.objects.get(verzoek=verzoek, organisatie=tenant_a.uitvoerder).antwoorden.get(
        categorie="dossier"
    )
    uitzondering_vervallen(antwoord=antwoord, door=tenant_a.gebruikers["teamleider"])
    with time_machine.travel(timezone.now() + dt.timedelta(days=400), tick=False):
        assert herbeoordeling_herinneringen() == 0


def test_bezwaar_within_six_weeks_and_annual_counts(tenant_a):
    cp = tenant_a.gebruikers["contactpunt"]
    verzoek, _ = met_dossier(tenant_a, ["inzage"])
    with pytest.raises(ApplicationError):
        bezwaar_registreren(verzoek=verzoek, door=cp, ontvangen_op=timezone.localdate())
    for r in raadpleeg(tenant_a, verzoek):
        beantwoord(tenant_a, r)
    verzoek_besluiten(verzoek=verzoek, door=cp)
    with time_machine.travel(timezone.now() + dt.timedelta(weeks=7), tick=False):
        bezwaar = bezwaar_registreren(verzoek=verzoek, door=cp, ontvangen_op=timezone.localdate())
        assert bezwaar.binnen_termijn is False
        houdt = Bewaarblokkade.objects.filter(bron="avg_bezwaar", bron_id=str(bezwaar.pk), opgeheven_op__isnull=True)
        assert list(houdt.values_list("grond", flat=True)) == ["bezwaar"]
        with pytest.raises(ApplicationError, match="loopt al"):
            bezwaar_registreren(verzoek=verzoek, door=cp, ontvangen_op=timezone.localdate())
        horen_afzien(bezwaar=bezwaar, door=cp, grond="b")
    with time_machine.travel(timezone.now() + dt.timedelta(weeks=10), tick=False):
        bezwaar_beslissen(bezwaar=bezwaar, door=cp, uitkomst="ongegrond", beslist_op=timezone.localdate())
        assert not houdt.exists()
    tweede = in_behandeling(tenant_a, ["wissing", "inzage"])
    assert tweede.pk
    jaar = timezone.localdate().year
    assert jaarcijfers(gemeente_id=tenant_a.gemeente.pk, jaar=jaar) == sorted(
        [("inzage", "toegewezen", 1), ("inzage", "lopend", 1), ("wissing", "lopend", 1)]
        + (
            [("bezwaar_tegen_besluit", "ongegrond", 1)]
            if (timezone.localdate() + dt.timedelta(weeks=7)).year == jaar
            else []
        )
    )
    assert VerzoekDossier.objects.filter(verzoek=verzoek).count() == 1
