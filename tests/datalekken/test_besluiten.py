"""The FG's decisions: the AP (with risk assessment and reasons), AP notifications, the people affected and their
letters, closing; the processor never notifies."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from datalekken.register.besluiten import (
    ap_melding_vastleggen,
    datalek_ap_besluiten,
    datalek_betrokkenen_besluiten,
    datalek_brieven_aanvragen,
)
from datalekken.register.brieven import BrievenStand, brieven_stand, datalek_brieven_maken
from datalekken.register.klokken import ap_termijn
from datalekken.register.models import Voortgang
from datalekken.register.services import datalek_afsluiten, datalek_dossiers_koppelen, voortgang_toevoegen
from meldpunt.core.exceptions import ApplicationError
from meldpunt.privacy.models import VersleuteldBestand
from tests.datalekken.helpers import maak_datalek
from tests.meldingen.helpers import maak_melding

pytestmark = pytest.mark.django_db


def test_only_the_fg_decides_and_not_notifying_needs_a_risk_assessment_and_a_reason(tenant_a):
    datalek = maak_datalek(tenant_a)
    for rol in ("hulpverlener", "teamleider", "contactpunt"):
        with pytest.raises(ApplicationError):
            datalek_ap_besluiten(
                datalek=datalek, door=tenant_a.gebruikers[rol], besluit="niet_melden", risicobeoordeling="x", reden="y"
            )
    fg = tenant_a.gebruikers["fg"]
    with pytest.raises(ApplicationError) as fout:
        datalek_ap_besluiten(datalek=datalek, door=fg, besluit="niet_melden", risicobeoordeling="", reden="")
    assert set(fout.value.extra) == {"risicobeoordeling", "reden"}
    datalek = datalek_ap_besluiten(
        datalek=datalek,
        door=fg,
        besluit="niet_melden",
        risicobeoordeling="Eén brief, teruggekregen",
        reden="Geen risico",
    )
    termijn = ap_termijn(datalek)
    assert termijn.voldaan and not termijn.te_laat


def test_deciding_after_72_hours_needs_the_reason_for_the_delay(tenant_a):
    with time_machine.travel(dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC), tick=False) as reis:
        datalek = maak_datalek(tenant_a)
        reis.shift(dt.timedelta(hours=73))
        fg = tenant_a.gebruikers["fg"]
        with pytest.raises(ApplicationError) as fout:
            datalek_ap_besluiten(datalek=datalek, door=fg, besluit="niet_melden", risicobeoordeling="r", reden="g")
        assert set(fout.value.extra) == {"reden_te_laat"}
        datalek = datalek_ap_besluiten(
            datalek=datalek, door=fg, besluit="niet_melden", risicobeoordeling="r", reden="g", reden_te_laat="ziek"
        )
        assert ap_termijn(datalek).te_laat


def test_ap_notifications_voorlopig_then_additions_and_withdrawal(tenant_a):
    datalek = maak_datalek(tenant_a)
    fg = tenant_a.gebruikers["fg"]
    nu = timezone.now()
    with pytest.raises(ApplicationError):  # no decision to notify yet
        ap_melding_vastleggen(datalek=datalek, door=fg, soort="voorlopig", referentie="AP-1", gemeld_op=nu)
    datalek_ap_besluiten(datalek=datalek, door=fg, besluit="melden", risicobeoordeling="Schulden van een gezin")
    with pytest.raises(ApplicationError) as fout:
        ap_melding_vastleggen(
            datalek=datalek, door=fg, soort="aanvulling", referentie="", gemeld_op=nu + dt.timedelta(days=1)
        )
    assert set(fout.value.extra) == {"soort", "referentie", "gemeld_op"}
    ap_melding_vastleggen(datalek=datalek, door=fg, soort="voorlopig", referentie="AP-123", gemeld_op=nu)
    datalek.refresh_from_db()
    assert datalek.ap_gemeld_op == nu and ap_termijn(datalek).voldaan
    with pytest.raises(ApplicationError):  # the decision stands once notified
        datalek_ap_besluiten(datalek=datalek, door=fg, besluit="niet_melden", risicobeoordeling="r", reden="g")
    ap_melding_vastleggen(datalek=datalek, door=fg, soort="definitief", referentie="AP-123", gemeld_op=nu)
    ap_melding_vastleggen(datalek=datalek, door=fg, soort="intrekking", referentie="AP-123", gemeld_op=nu)
    with pytest.raises(ApplicationError):
        ap_melding_vastleggen(datalek=datalek, door=fg, soort="aanvulling", referentie="AP-123", gemeld_op=nu)
    assert [m.soort for m in datalek.ap_meldingen.all()] == ["voorlopig", "definitief", "intrekking"]
    with pytest.raises(ApplicationError):  # a processor never notifies the AP
        ap_melding_vastleggen(
            datalek=datalek, door=tenant_a.gebruikers["hulpverlener"], soort="aanvulling", referentie="x", gemeld_op=nu
        )


def test_informing_the_people_affected_makes_a_letter_per_linked_dossier(tenant_a, inloggen, client):
    datalek = maak_datalek(tenant_a)
    fg = tenant_a.gebruikers["fg"]
    dossier = maak_melding(tenant_a).dossier
    with pytest.raises(ApplicationError) as fout:
        datalek_betrokkenen_besluiten(datalek=datalek, door=fg, besluit="", reden="")
    assert set(fout.value.extra) == {"besluit", "reden"}
    datalek_betrokkenen_besluiten(datalek=datalek, door=fg, besluit="informeren", reden="Hoog risico: schulden")
    with pytest.raises(ApplicationError):  # nobody linked yet
        datalek_brieven_aanvragen(datalek=datalek, door=fg)
    datalek_dossiers_koppelen(datalek=datalek, door=fg, nummers=dossier.nummer)
    ander = maak_melding(tenant_a, "RC-DL-2").dossier
    datalek_dossiers_koppelen(datalek=datalek, door=fg, nummers=ander.nummer)
    assert datalek_brieven_aanvragen(datalek=datalek, door=fg) == 2
    with pytest.raises(ApplicationError, match="al gemaakt"):
        datalek_brieven_aanvragen(datalek=datalek, door=fg)
    datalek.refresh_from_db()
    assert brieven_stand(datalek) == BrievenStand(bezig=True, klaar=0, totaal=2)
    inloggen(fg)
    pagina = client.get(reverse("datalekken:detail", args=[datalek.pk])).content.decode()
    assert 'data-brieven="bezig"' in pagina and "0 van 2" in pagina
    assert datalek_brieven_maken(datalek_id=datalek.pk) == 2  # the worker's part
    assert datalek_brieven_maken(datalek_id=datalek.pk) == 0  # redelivered: nothing twice
    datalek.refresh_from_db()
    assert brieven_stand(datalek) == BrievenStand(bezig=False, klaar=2, totaal=2)
    stand = client.get(reverse("datalekken:brieven_stand", args=[datalek.pk]), headers={"HX-Request": "true"})
    assert stand["HX-Refresh"] == "true" and 'data-brieven="klaar"' in stand.content.decode()
    assert Voortgang.objects.filter(datalek=datalek, gebeurtenis="Brieven aan betrokkenen gemaakt: 2").count() == 1
    koppeling = datalek.koppelingen.get(dossier=dossier)
    eerste = koppeling.brief_id
    # Asked again: every letter is replaced, the old file deleted.
    datalek_brieven_aanvragen(datalek=datalek, door=fg)
    datalek.refresh_from_db()
    assert brieven_stand(datalek).klaar == 0
    datalek_brieven_maken(datalek_id=datalek.pk)
    koppeling.refresh_from_db()
    assert koppeling.brief_id != eerste and not VersleuteldBestand.objects.filter(pk=eerste).exists()
    pdf = client.get(reverse("datalekken:brief", args=[datalek.pk, koppeling.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    inloggen(tenant_a.gebruikers["hulpverlener"])  # the reporter never receives the letters
    assert client.get(reverse("datalekken:brief", args=[datalek.pk, koppeling.pk])).status_code == 403


def test_closing_needs_both_decisions_and_an_evaluation_then_nothing_changes(tenant_a):
    datalek = maak_datalek(tenant_a)
    fg = tenant_a.gebruikers["fg"]
    with pytest.raises(ApplicationError) as fout:
        datalek_afsluiten(datalek=datalek, door=fg, evaluatie="")
    assert "evaluatie" in fout.value.extra and len(fout.value.extra["__all__"]) == 2
    with pytest.raises(ApplicationError):
        datalek_afsluiten(datalek=datalek, door=tenant_a.gebruikers["hulpverlener"], evaluatie="x")
    datalek_ap_besluiten(datalek=datalek, door=fg, besluit="melden", risicobeoordeling="r")
    datalek_betrokkenen_besluiten(datalek=datalek, door=fg, besluit="niet_informeren", reden="Geen hoog risico")
    with pytest.raises(ApplicationError) as fout:  # the AP notification is still missing
        datalek_afsluiten(datalek=datalek, door=fg, evaluatie="x")
    ap_melding_vastleggen(datalek=datalek, door=fg, soort="definitief", referentie="AP-9", gemeld_op=timezone.now())
    datalek = datalek_afsluiten(datalek=datalek, door=fg, evaluatie="Adrescontrole vóór verzending ingevoerd")
    assert datalek.status == "afgesloten"
    with pytest.raises(ApplicationError):
        voortgang_toevoegen(datalek=datalek, door=fg, notitie="later")


def test_the_fg_works_the_breach_on_its_page(tenant_a, inloggen, client):
    datalek = maak_datalek(tenant_a)
    url = reverse("datalekken:detail", args=[datalek.pk])
    inloggen(tenant_a.gebruikers["hulpverlener"])
    pagina = client.get(url).content.decode()
    assert "Alleen de FG" in pagina and "Besluit vastleggen" not in pagina
    inloggen(tenant_a.gebruikers["fg"])
    assert "nog 71 uur" in client.get(url).content.decode()
    fout = client.post(
        url, {"actie": "ap_besluit", "ap_besluit-besluit": "niet_melden", "ap_besluit-risicobeoordeling": "laag"}
    )
    assert fout.status_code == 400 and "Motiveer waarom niet wordt gemeld." in fout.content.decode()
    ok = client.post(
        url,
        {
            "actie": "ap_besluit",
            "ap_besluit-besluit": "niet_melden",
            "ap_besluit-risicobeoordeling": "laag",
            "ap_besluit-reden": "geen risico",
        },
    )
    assert ok.status_code == 302
    assert client.post(url, {"actie": "notitie", "notitie-notitie": "Melder gebeld"}).status_code == 302
    assert client.post(url, {"actie": "onbekend"}).status_code == 302
    assert client.post(url, {"actie": "brieven"}).status_code == 302  # refused with a message
    assert client.post(url, {"actie": "ontkoppelen", "koppeling": "x"}).status_code == 302
    client.post(
        url, {"actie": "betrokkenen", "betrokkenen-besluit": "niet_informeren", "betrokkenen-reden": "laag risico"}
    )
    assert client.post(url, {"actie": "afsluiten", "afsluiten-evaluatie": "Geleerd"}).status_code == 302
    pagina = client.get(url).content.decode()
    assert "Afgesloten op" in pagina and "Melder gebeld" in pagina and "op tijd voldaan" in pagina
    assert client.get(reverse("datalekken:aanvullen", args=[datalek.pk])).status_code == 404
