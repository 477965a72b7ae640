"""Bezwaar against a decision (seed 002 §2.9): the participants are told and asked whether they want to be
heard, the hearing is planned and held (or dispensed with, art. 7:3 Awb), and only then is the bezwaar decided;
the decision term of art. 7:10 Awb; the pages for the contactpunt, the FG and the participants."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from avg.besluiten.services import verzoek_besluiten
from avg.bezwaren.models import Belanghebbende, Bezwaar
from avg.bezwaren.selectors import verslag, wacht_op
from avg.bezwaren.services import (
    belanghebbende_reageren,
    bezwaar_beslissen,
    bezwaar_registreren,
    hoorzitting_plannen,
    hoorzitting_vastleggen,
    horen_afzien,
)
from meldingen.bewaring.models import Bewaarblokkade
from meldpunt.audit.models import LogRegel
from meldpunt.core.exceptions import ApplicationError
from tests.avg.helpers import beantwoord, met_dossier, raadpleeg
from tests.conftest import login_verified

pytestmark = pytest.mark.django_db


def besloten(tenant):
    verzoek, dossier = met_dossier(tenant, ["inzage"])
    for r in raadpleeg(tenant, verzoek):
        beantwoord(tenant, r)
    verzoek_besluiten(verzoek=verzoek, door=tenant.gebruikers["contactpunt"])
    verzoek.refresh_from_db()
    return verzoek, dossier


def met_email(tenant):
    for rol, adres in (("partner_beheer", "beheer@corporatie.example"), ("teamleider", "tl@uitvoerder.example")):
        tenant.gebruikers[rol].email = adres
        tenant.gebruikers[rol].save()


def test_registering_tells_every_participant_and_holds_the_dossiers(
    smtp, tenant_a, mailbox, django_capture_on_commit_callbacks
):
    met_email(tenant_a)
    verzoek, dossier = besloten(tenant_a)
    cp = tenant_a.gebruikers["contactpunt"]
    mailbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        bezwaar = bezwaar_registreren(verzoek=verzoek, door=cp, ontvangen_op=timezone.localdate())
    organisaties = set(Belanghebbende.objects.filter(bezwaar=bezwaar).values_list("organisatie_id", flat=True))
    assert organisaties == {tenant_a.partner.pk, tenant_a.uitvoerder.pk}
    berichten = mailbox.wait_for(2)
    assert {b["To"] for b in berichten} == {"beheer@corporatie.example", "tl@uitvoerder.example"}
    tekst = berichten[0].get_payload()
    assert verzoek.nummer in tekst and "hoorzitting" in tekst
    assert bezwaar.reactie_termijn_op == timezone.localdate() + dt.timedelta(days=14)
    assert Bewaarblokkade.objects.filter(
        dossier=dossier, bron="avg_bezwaar", bron_id=str(bezwaar.pk), opgeheven_op__isnull=True
    ).exists()
    with pytest.raises(ApplicationError) as fout:
        bezwaar_registreren(
            verzoek=verzoek,
            door=cp,
            ontvangen_op=timezone.localdate(),
            reactie_termijn_op=timezone.localdate() - dt.timedelta(days=1),
        )
    assert "reactie_termijn_op" in fout.value.extra


def test_the_decision_waits_for_the_hearing_and_the_participants(
    smtp, tenant_a, mailbox, django_capture_on_commit_callbacks
):
    met_email(tenant_a)
    verzoek, _dossier = besloten(tenant_a)
    cp, pb, tl = (tenant_a.gebruikers[r] for r in ("contactpunt", "partner_beheer", "teamleider"))
    bezwaar = bezwaar_registreren(verzoek=verzoek, door=cp, ontvangen_op=timezone.localdate())
    with pytest.raises(ApplicationError, match="hoorzitting"):
        bezwaar_beslissen(bezwaar=bezwaar, door=cp, uitkomst="ongegrond", beslist_op=timezone.localdate())

    partner = Belanghebbende.objects.get(bezwaar=bezwaar, organisatie=tenant_a.partner)
    uitvoerder = Belanghebbende.objects.get(bezwaar=bezwaar, organisatie=tenant_a.uitvoerder)
    with pytest.raises(ApplicationError, match="organisatie zelf"):
        belanghebbende_reageren(belanghebbende=partner, door=tl, wil_gehoord_worden=True, zienswijze="")
    with pytest.raises(ApplicationError) as fout:
        belanghebbende_reageren(belanghebbende=partner, door=pb, wil_gehoord_worden=None, zienswijze="x" * 2001)
    assert set(fout.value.extra) == {"wil_gehoord_worden", "zienswijze"}
    belanghebbende_reageren(
        belanghebbende=partner, door=pb, wil_gehoord_worden=True, zienswijze="De melding was terecht."
    )
    partner.refresh_from_db()
    assert partner.zienswijze and b"terecht" not in bytes(partner.zienswijze)  # encrypted at rest

    mailbox.clear()
    morgen = timezone.now() + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        hoorzitting_plannen(bezwaar=bezwaar, door=cp, op=morgen, plaats="Stadhuis, kamer 2")
        hoorzitting_plannen(bezwaar=bezwaar, door=cp, op=morgen, plaats="Stadhuis, kamer 3")  # same date: once
    assert [b["To"] for b in mailbox.wait_for(1)] == ["beheer@corporatie.example"]  # only who wants to be heard
    with django_capture_on_commit_callbacks(execute=True):
        hoorzitting_plannen(bezwaar=bezwaar, door=cp, op=morgen + dt.timedelta(days=2), plaats="Stadhuis")
    assert len(mailbox.wait_for(2)) == 2  # moved: invited again
    with pytest.raises(ApplicationError) as fout:
        hoorzitting_plannen(bezwaar=bezwaar, door=cp, op=timezone.now() - dt.timedelta(hours=1), plaats="")
    assert set(fout.value.extra) == {"op", "plaats"}

    # Before the hearing and the term for reactions: the Uitvoerder has not reacted yet.
    assert any("Wacht op de reactie" in r for r in wacht_op(bezwaar))
    with time_machine.travel(timezone.now() + dt.timedelta(days=3), tick=False):
        with pytest.raises(ApplicationError) as fout:
            hoorzitting_vastleggen(bezwaar=bezwaar, door=cp, gehoord_op=timezone.localdate(), verslag="")
        assert "verslag" in fout.value.extra
        hoorzitting_vastleggen(
            bezwaar=bezwaar, door=cp, gehoord_op=timezone.localdate(), verslag="Indiener en corporatie gehoord."
        )
        with pytest.raises(ApplicationError, match="Reageren kan niet meer"):
            belanghebbende_reageren(belanghebbende=uitvoerder, door=tl, wil_gehoord_worden=False, zienswijze="")
        bezwaar.refresh_from_db()
        assert wacht_op(bezwaar) == []  # heard: the hearing was everyone's chance
        assert verslag(bezwaar=bezwaar, gebruiker=cp) == "Indiener en corporatie gehoord."
        with pytest.raises(ApplicationError, match="al vastgelegd"):
            horen_afzien(bezwaar=bezwaar, door=cp, grond="c")
        with django_capture_on_commit_callbacks(execute=True):
            bezwaar_beslissen(bezwaar=bezwaar, door=cp, uitkomst="ongegrond", beslist_op=timezone.localdate())
    assert not Bewaarblokkade.objects.filter(bron="avg_bezwaar", opgeheven_op__isnull=True).exists()
    with pytest.raises(ApplicationError, match="al beslist"):
        bezwaar_beslissen(bezwaar=bezwaar, door=cp, uitkomst="gegrond", beslist_op=timezone.localdate())


def test_dispensing_with_the_hearing_still_waits_for_the_term_for_reactions(tenant_a):
    verzoek, _ = besloten(tenant_a)
    cp = tenant_a.gebruikers["contactpunt"]
    bezwaar = bezwaar_registreren(verzoek=verzoek, door=cp, ontvangen_op=timezone.localdate())
    with pytest.raises(ApplicationError) as fout:
        horen_afzien(bezwaar=bezwaar, door=cp, grond="z")
    assert "grond" in fout.value.extra
    horen_afzien(bezwaar=bezwaar, door=cp, grond="c")
    bezwaar.refresh_from_db()
    with pytest.raises(ApplicationError, match="Wacht op de reactie"):
        bezwaar_beslissen(bezwaar=bezwaar, door=cp, uitkomst="ongegrond", beslist_op=timezone.localdate())
    with time_machine.travel(timezone.now() + dt.timedelta(days=15), tick=False):
        bezwaar_beslissen(bezwaar=bezwaar, door=cp, uitkomst="ongegrond", beslist_op=timezone.localdate())


@pytest.mark.parametrize(
    ("besloten_op", "ontvangen_op", "uiterlijk"),
    [
        # six weeks after the term for objecting (six weeks after the decision) ended
        (dt.date(2026, 1, 5), dt.date(2026, 1, 20), dt.date(2026, 3, 30)),
        # a late bezwaar: six weeks from its receipt
        (dt.date(2026, 1, 5), dt.date(2026, 3, 1), dt.date(2026, 4, 12)),
    ],
)
def test_the_decision_term_of_article_7_10(besloten_op, ontvangen_op, uiterlijk):
    from avg.verzoeken.models import Verzoek

    bezwaar = Bezwaar(verzoek=Verzoek(besloten_op=besloten_op), ontvangen_op=ontvangen_op)
    assert bezwaar.beslistermijn_op == uiterlijk


def test_the_pages_of_the_contactpunt_the_fg_and_the_participant(client, tenant_a, tenant_b):
    verzoek, _ = besloten(tenant_a)
    cp = tenant_a.gebruikers["contactpunt"]
    login_verified(client, cp)
    detail = reverse("verzoeken:detail", kwargs={"pk": verzoek.pk})
    antwoord = client.post(detail, {"actie": "bezwaar", "bezwaar-ontvangen_op": timezone.localdate().isoformat()})
    bezwaar = Bezwaar.objects.get(verzoek=verzoek)
    pagina_url = reverse("bezwaren:detail", kwargs={"pk": bezwaar.pk})
    assert antwoord.url == pagina_url
    pagina = client.get(pagina_url).content.decode()
    assert tenant_a.partner.naam in pagina and "Hoorzitting plannen" in pagina
    fout = client.post(pagina_url, {"actie": "plannen", "plannen-op": "", "plannen-plaats": ""})
    assert fout.status_code == 400 and "Vul datum en tijd van de hoorzitting in." in fout.content.decode()
    assert not Bezwaar.objects.get(pk=bezwaar.pk).hoorzitting_op
    op = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(pagina_url, {"actie": "plannen", "plannen-op": op, "plannen-plaats": "Stadhuis"}).status_code
    assert "Hoorzitting gepland op" in client.get(pagina_url).content.decode()

    # The participant reacts through its consultations page.
    pb = tenant_a.gebruikers["partner_beheer"]
    login_verified(client, pb)
    lijst = client.get(reverse("raadpleging:list")).content.decode()
    uitnodiging = Belanghebbende.objects.get(bezwaar=bezwaar, organisatie=tenant_a.partner)
    reactie_url = reverse("bezwaren:reactie", kwargs={"pk": uitnodiging.pk})
    assert reactie_url in lijst and "Reactie gevraagd" in lijst
    assert client.post(reactie_url, {}).status_code == 400
    client.post(reactie_url, {"wil_gehoord_worden": "nee", "zienswijze": "Geen opmerkingen."})
    uitnodiging.refresh_from_db()
    assert uitnodiging.wil_gehoord_worden is False and uitnodiging.gereageerd_door == pb
    assert "Geen opmerkingen." in client.get(reactie_url).content.decode()
    login_verified(client, tenant_a.gebruikers["teamleider"])
    assert client.get(reactie_url).status_code == 404  # another participant's invitation
    login_verified(client, tenant_b.gebruikers["partner_beheer"])
    assert client.get(reactie_url).status_code == 404

    # The FG reads along, changes nothing; another Gemeente sees nothing.
    login_verified(client, tenant_a.gebruikers["fg"])
    pagina = client.get(pagina_url).content.decode()
    assert "Geen opmerkingen." in pagina and "Hoorzitting plannen" not in pagina
    client.post(pagina_url, {"actie": "afzien", "afzien-grond": "c"})
    assert not Bezwaar.objects.get(pk=bezwaar.pk).horen_afgezien
    login_verified(client, tenant_b.gebruikers["contactpunt"])
    assert client.get(pagina_url).status_code == 404

    login_verified(client, cp)
    vandaag = timezone.localdate().isoformat()
    client.post(pagina_url, {"actie": "gehoord", "gehoord-gehoord_op": vandaag, "gehoord-verslag": "Gehoord."})
    assert "data-verslag>Gehoord." in client.get(pagina_url).content.decode()
    client.post(pagina_url, {"actie": "beslissen", "beslissen-uitkomst": "ongegrond", "beslissen-beslist_op": vandaag})
    bezwaar.refresh_from_db()
    assert bezwaar.uitkomst == "ongegrond"
    assert "Ongegrond" in client.get(detail).content.decode()
    assert LogRegel.objects.filter(object_type="avg.bezwaar", actie="bekijken").exists()
