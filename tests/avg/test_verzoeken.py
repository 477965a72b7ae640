"""Registering a request, identity, the deadline and its one extension, traffic lights, the reminder sweep."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from avg.verzoeken.herinneringen import verzoek_herinneringen
from avg.verzoeken.models import Verzoek
from avg.verzoeken.selectors import stoplicht, verzoeken_overzicht, verzoeker_gegevens
from avg.verzoeken.services import (
    termijn_berekenen,
    verlenging_verzonden,
    verzoek_identiteit_vaststellen,
    verzoek_registreren,
    verzoek_verlengen,
)
from avg.verzoeken.verlengingsbrief import verlengingsbrief_maken
from meldpunt.audit.models import LogRegel
from meldpunt.core.exceptions import ApplicationError
from tests.avg.helpers import in_behandeling, registreer
from tests.persoonsgegevens import ACHTERNAAM

pytestmark = pytest.mark.django_db


def test_register_encrypts_the_requester_and_numbers_per_year(tenant_a):
    verzoek = registreer(tenant_a, ["inzage", "wissing"])
    tweede = registreer(tenant_a)
    assert verzoek.nummer.endswith("-0001") and tweede.nummer.endswith("-0002")
    assert ACHTERNAAM.encode() not in bytes(Verzoek.objects.get(pk=verzoek.pk).verzoeker)
    assert verzoek.status == "ontvangen" and verzoek.termijn_op is None
    gegevens = verzoeker_gegevens(verzoek=verzoek, gebruiker=tenant_a.gebruikers["contactpunt"])
    assert gegevens["achternaam"] == ACHTERNAAM
    assert LogRegel.objects.filter(object_type="avg.verzoek", actie="bekijken", doel="afhandeling AVG-verzoek").exists()


def test_register_refuses_bad_input_per_field_and_stores_nothing(tenant_a):
    with pytest.raises(ApplicationError) as fout:
        verzoek_registreren(
            door=tenant_a.gebruikers["contactpunt"],
            ontvangen_op=timezone.localdate() + dt.timedelta(days=1),
            kanaal="duif",
            soorten=[],
            verzoeker={"achternaam": ""},
            door_vertegenwoordiger=True,
        )
    assert set(fout.value.extra) == {
        "ontvangen_op",
        "kanaal",
        "soorten",
        "achternaam",
        "geboortedatum",
        "vertegenwoordiger",
    }
    assert not Verzoek.objects.exists()


def test_only_the_contactpunt_registers(tenant_a):
    with pytest.raises(ApplicationError):
        verzoek_registreren(
            door=tenant_a.gebruikers["fg"],
            ontvangen_op=timezone.localdate(),
            kanaal="brief",
            soorten=["inzage"],
            verzoeker={},
        )


@pytest.mark.parametrize(
    ("vastgesteld", "termijn"),
    [
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), dt.date(2028, 2, 29)),
        (dt.date(2026, 3, 15), dt.date(2026, 4, 15)),
        (dt.date(2026, 12, 20), dt.date(2027, 1, 20)),
    ],
)
def test_deadline_is_one_calendar_month(vastgesteld, termijn):
    assert termijn_berekenen(vastgesteld) == termijn


@time_machine.travel(dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC), tick=False)
def test_identity_starts_the_deadline_and_one_extension_of_at_most_two_months(tenant_a):
    cp = tenant_a.gebruikers["contactpunt"]
    verzoek = registreer(tenant_a, ontvangen_op=dt.date(2026, 3, 2))
    with pytest.raises(ApplicationError) as fout:
        verzoek_identiteit_vaststellen(verzoek=verzoek, door=cp, methode="kopie_id", vastgesteld_op=dt.date(2026, 3, 1))
    assert set(fout.value.extra) == {"kopie_vernietigd", "vastgesteld_op"}
    verzoek = verzoek_identiteit_vaststellen(
        verzoek=verzoek, door=cp, methode="kopie_id", vastgesteld_op=dt.date(2026, 3, 5), kopie_vernietigd=True
    )
    assert verzoek.termijn_op == dt.date(2026, 4, 5) and verzoek.status == "in_behandeling"
    with pytest.raises(ApplicationError) as fout:
        verzoek_verlengen(verzoek=verzoek, door=cp, verlengd_tot=dt.date(2026, 6, 6), reden="")
    assert set(fout.value.extra) == {"verlengd_tot", "reden"}
    verzoek = verzoek_verlengen(verzoek=verzoek, door=cp, verlengd_tot=dt.date(2026, 6, 5), reden="Omvangrijk dossier")
    assert verzoek.uiterste_datum == dt.date(2026, 4, 5)  # in force once the letter was sent
    verlengingsbrief_maken(verzoek_id=verzoek.pk)
    verzoek = verlenging_verzonden(verzoek=verzoek, door=cp, verzonden_op=dt.date(2026, 3, 10))
    assert verzoek.uiterste_datum == dt.date(2026, 6, 5)
    with pytest.raises(ApplicationError, match="één keer"):
        verzoek_verlengen(verzoek=verzoek, door=cp, verlengd_tot=dt.date(2026, 6, 5), reden="x")


def test_extension_cannot_be_recorded_after_the_first_month(tenant_a):
    cp = tenant_a.gebruikers["contactpunt"]
    with time_machine.travel(dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC), tick=False):
        verzoek = in_behandeling(tenant_a, vastgesteld_op=dt.date(2026, 3, 5))
    with (
        time_machine.travel(dt.datetime(2026, 4, 6, 10, tzinfo=dt.UTC), tick=False),
        pytest.raises(ApplicationError, match="eerste maand is op 05-04-2026 verstreken"),
    ):
        verzoek_verlengen(verzoek=verzoek, door=cp, verlengd_tot=dt.date(2026, 5, 5), reden="Omvangrijk")
    assert Verzoek.objects.get(pk=verzoek.pk).verlengd_tot is None


def test_traffic_lights_and_list_order(tenant_a, tenant_b):
    with time_machine.travel(dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC), tick=False):
        laat = in_behandeling(tenant_a, vastgesteld_op=dt.date(2026, 3, 5))
        registreer(tenant_b)
    with time_machine.travel(dt.datetime(2026, 3, 30, 10, tzinfo=dt.UTC), tick=False):
        bijna = in_behandeling(tenant_a, vastgesteld_op=dt.date(2026, 3, 1))
        op_tijd = in_behandeling(tenant_a, vastgesteld_op=dt.date(2026, 3, 30))
        wacht = registreer(tenant_a)
        vandaag = dt.date(2026, 4, 6)
        assert [stoplicht(v, vandaag) for v in (laat, bijna, op_tijd, wacht)] == ["rood", "rood", "groen", "wacht"]
        assert stoplicht(op_tijd, dt.date(2026, 4, 25)) == "oranje"
        regels = verzoeken_overzicht(user=tenant_a.gebruikers["contactpunt"], vandaag=vandaag)
    assert [r.verzoek.pk for r in regels] == [bijna.pk, laat.pk, op_tijd.pk, wacht.pk]
    assert len(verzoeken_overzicht(user=tenant_a.gebruikers["fg"])) == 4
    assert verzoeken_overzicht(user=tenant_a.gebruikers["gemeente_medewerker"]) == []


def test_reminders_before_and_after_the_deadline_once_each(smtp, tenant_a, mailbox):
    tenant_a.gebruikers["contactpunt"].email = "contactpunt@example.org"
    tenant_a.gebruikers["contactpunt"].save()
    with time_machine.travel(dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC), tick=False):
        verzoek = in_behandeling(tenant_a, vastgesteld_op=dt.date(2026, 3, 5))
        assert verzoek_herinneringen() == 0
    with time_machine.travel(dt.datetime(2026, 3, 30, 10, tzinfo=dt.UTC), tick=False):
        assert verzoek_herinneringen() == 1
        assert verzoek_herinneringen() == 0
    with time_machine.travel(dt.datetime(2026, 4, 6, 10, tzinfo=dt.UTC), tick=False):
        assert verzoek_herinneringen() == 1
        assert verzoek_herinneringen() == 0
    berichten = mailbox.wait_for(2)
    assert all(verzoek.nummer in b.get_payload() and ACHTERNAAM not in b.get_payload() for b in berichten)
