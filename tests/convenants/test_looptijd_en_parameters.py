"""Convenant parameters: looptijd with tacit renewal and 3-month notice, year-versioned parameters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from convenants.models import Convenant, ConvenantParameters
from convenants.services import (
    convenant_create,
    convenant_opzeggen,
    convenant_parameters_opslaan,
    convenant_update,
)
from meldpunt.core.exceptions import ApplicationError
from tests.factories import ConvenantFactory, OrganisatieFactory, UserFactory

pytestmark = pytest.mark.django_db

VANDAAG = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def vaste_datum():
    with time_machine.travel(VANDAAG, tick=False):
        yield


def diemen(**kwargs) -> Convenant:
    return ConvenantFactory(startdatum=dt.date(2019, 1, 1), **kwargs)


@pytest.mark.parametrize(
    ("opgezegd_op", "einde"),
    [
        (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        (dt.date(2026, 9, 30), dt.date(2026, 12, 31)),  # exactly three months before the term end
        (dt.date(2026, 10, 1), dt.date(2027, 12, 31)),  # too late for this term: runs one more year
        (dt.date(2026, 11, 22), dt.date(2027, 12, 31)),
        (dt.date(2019, 1, 1), dt.date(2019, 12, 31)),
    ],
)
def test_notice_ends_at_first_term_end_respecting_three_months(opgezegd_op, einde):
    convenant = diemen()
    convenant = convenant_opzeggen(convenant=convenant, opgezegd_op=opgezegd_op)
    assert convenant.opgezegd_op == opgezegd_op
    assert convenant.einddatum == einde
    assert convenant.is_actief(einde)
    assert not convenant.is_actief(einde + dt.timedelta(days=1))


def test_tacit_renewal_runs_indefinitely_without_notice():
    convenant = diemen()
    assert convenant.bereken_einddatum() is None
    assert convenant.is_actief(dt.date(2040, 6, 1))
    assert convenant.einde_termijn_op(dt.date(2026, 11, 22)) == dt.date(2026, 12, 31)
    assert not convenant.is_actief(dt.date(2018, 12, 31))


def test_fixed_term_convenant_ends_by_itself_and_cannot_be_cancelled():
    convenant = diemen(stilzwijgend_verlengen=False)
    assert convenant.bereken_einddatum() == dt.date(2019, 12, 31)
    with pytest.raises(ApplicationError) as exc:
        convenant_opzeggen(convenant=convenant, opgezegd_op=dt.date(2019, 6, 1))
    assert "opgezegd_op" in exc.value.extra


def test_notice_is_validated():
    convenant = diemen()
    with pytest.raises(ApplicationError, match="vóór de ingangsdatum"):
        convenant_opzeggen(convenant=convenant, opgezegd_op=dt.date(2018, 6, 1))
    with pytest.raises(ApplicationError, match="toekomst"):
        convenant_opzeggen(convenant=convenant, opgezegd_op=dt.date(2026, 12, 1))
    convenant_opzeggen(convenant=convenant, opgezegd_op=dt.date(2026, 11, 1))
    with pytest.raises(ApplicationError, match="al opgezegd"):
        convenant_opzeggen(convenant=convenant, opgezegd_op=dt.date(2026, 11, 2))


def test_notice_period_must_be_shorter_than_a_term():
    convenant = diemen()
    with pytest.raises(ApplicationError) as exc:
        convenant_update(
            convenant=convenant,
            naam=convenant.naam,
            uitvoerder=convenant.uitvoerder,
            partners=list(convenant.partners.all()),
            fg_email="fg@diemen.nl",
            looptijd_maanden=12,
            stilzwijgend_verlengen=True,
            verlenging_maanden=3,
            opzegtermijn_maanden=3,
        )
    assert "opzegtermijn_maanden" in exc.value.extra


def test_parameters_are_versioned_by_year_and_carry_forward():
    convenant = diemen()
    start = convenant.parameters_voor(2019)
    assert start.tarief_cofinanciering == Decimal("234.00")
    assert start.tarief_interventie == Decimal("624.00")
    assert not start.btw_verschuldigd
    assert (start.min_achterstand_maanden, start.min_achterstand_maanden_herhaald) == (2, 1)
    assert (start.datalek_verwerker_uren, start.datalek_ap_uren) == (24, 72)
    assert convenant.parameters_voor(2026) == start  # no 2026 version: 2019's is in force
    convenant_parameters_opslaan(
        convenant=convenant, jaar=2027, waarden={"tarief_cofinanciering": "240.50", "tarief_interventie": 640}
    )
    assert convenant.parameters_voor(2026).tarief_cofinanciering == Decimal("234.00")
    assert convenant.parameters_voor(2027).tarief_cofinanciering == Decimal("240.50")
    assert convenant.parameters_voor(2030).tarief_interventie == Decimal("640.00")
    assert convenant.parameters_voor(2018) is None


def test_parameters_of_an_ended_year_are_fixed_but_a_missing_year_can_be_added():
    convenant = diemen()
    with pytest.raises(ApplicationError) as exc:
        convenant_parameters_opslaan(convenant=convenant, jaar=2019, waarden={"tarief_cofinanciering": "1.00"})
    assert "vastgesteld" in exc.value.extra["jaar"][0]
    assert convenant.parameters_voor(2019).tarief_cofinanciering == Decimal("234.00")
    convenant_parameters_opslaan(convenant=convenant, jaar=2021, waarden={"tarief_cofinanciering": "230.00"})
    convenant_parameters_opslaan(convenant=convenant, jaar=2026, waarden={"tarief_cofinanciering": "236.00"})
    convenant_parameters_opslaan(convenant=convenant, jaar=2026, waarden={"tarief_cofinanciering": "237.00"})
    assert convenant.parameters_voor(2022).tarief_cofinanciering == Decimal("230.00")
    assert convenant.parameters_voor(2026).tarief_cofinanciering == Decimal("237.00")


@pytest.mark.parametrize(
    ("waarden", "veld"),
    [
        ({"tarief_cofinanciering": "-1"}, "tarief_cofinanciering"),
        ({"tarief_cofinanciering": "234.001"}, "tarief_cofinanciering"),
        ({"tarief_interventie": "abc"}, "tarief_interventie"),
        ({"tarief_interventie": "NaN"}, "tarief_interventie"),
        ({"tarief_interventie": "1e9"}, "tarief_interventie"),
        ({"min_achterstand_maanden": 0}, "min_achterstand_maanden"),
        ({"min_achterstand_maanden": 2, "min_achterstand_maanden_herhaald": 3}, "min_achterstand_maanden_herhaald"),
        ({"datalek_ap_uren": 96}, "datalek_ap_uren"),
        ({"datalek_verwerker_uren": 48, "datalek_ap_uren": 24}, "datalek_verwerker_uren"),
        ({"avg_termijn_maanden": 2}, "avg_termijn_maanden"),
        ({"avg_verlenging_max_maanden": 3}, "avg_verlenging_max_maanden"),
        ({"informatieplicht_maanden": 2}, "informatieplicht_maanden"),
        ({"bewaartermijn_uitvoerder_maanden": True}, "bewaartermijn_uitvoerder_maanden"),
        ({"onbekend": 1}, "onbekend"),
    ],
)
def test_invalid_parameters_are_refused_per_field_and_nothing_is_stored(waarden, veld):
    convenant = diemen()
    voor = list(ConvenantParameters.objects.values_list("jaar", "tarief_cofinanciering"))
    with pytest.raises(ApplicationError) as exc:
        convenant_parameters_opslaan(convenant=convenant, jaar=2027, waarden=waarden)
    assert veld in exc.value.extra
    assert list(ConvenantParameters.objects.values_list("jaar", "tarief_cofinanciering")) == voor


def test_parameter_year_must_fall_within_the_convenant():
    convenant = diemen()
    with pytest.raises(ApplicationError) as exc:
        convenant_parameters_opslaan(convenant=convenant, jaar=2018, waarden={})
    assert "jaar" in exc.value.extra
    convenant_opzeggen(convenant=convenant, opgezegd_op=dt.date(2026, 1, 5))
    with pytest.raises(ApplicationError) as exc:
        convenant_parameters_opslaan(convenant=convenant, jaar=2027, waarden={})
    assert "eindigt" in exc.value.extra["jaar"][0]


def test_create_validates_participants_and_fields():
    gemeente = OrganisatieFactory(gemeente=True)
    uitvoerder = OrganisatieFactory(uitvoerder=True)
    partner = OrganisatieFactory(partner=True)
    with pytest.raises(ApplicationError) as exc:
        convenant_create(
            naam="",
            gemeente=partner,
            uitvoerder=gemeente,
            partners=[uitvoerder],
            startdatum=dt.date(2026, 1, 1),
            fg_email="geen-adres",
            opzegtermijn_maanden=12,
        )
    assert set(exc.value.extra) >= {"naam", "gemeente", "uitvoerder", "partners", "fg_email", "opzegtermijn_maanden"}
    assert not Convenant.objects.exists()
    convenant = convenant_create(
        naam="Convenant Test",
        gemeente=gemeente,
        uitvoerder=uitvoerder,
        partners=[partner],
        startdatum=dt.date(2026, 1, 1),
        fg_email="FG@Test.nl",
        parameters={"tarief_cofinanciering": "250"},
    )
    assert convenant.slug == "convenant-test"
    assert convenant.fg_email == "fg@test.nl"
    assert convenant.parameters_voor(2026).tarief_cofinanciering == Decimal("250.00")
    with pytest.raises(ApplicationError) as exc:
        convenant_create(
            naam="Convenant Test",
            gemeente=gemeente,
            uitvoerder=uitvoerder,
            partners=[partner],
            startdatum=dt.date(2026, 1, 1),
            fg_email="fg@test.nl",
        )
    assert "slug" in exc.value.extra


def test_only_platformbeheer_manages_convenants():
    convenant = diemen()
    fg = UserFactory(organisatie=convenant.gemeente, rollen=["fg"])
    with pytest.raises(ApplicationError, match="platformbeheer"):
        convenant_parameters_opslaan(convenant=convenant, jaar=2027, waarden={}, door=fg)
    with pytest.raises(ApplicationError, match="platformbeheer"):
        convenant_opzeggen(convenant=convenant, opgezegd_op=dt.date(2026, 1, 1), door=fg)


def test_partners_can_join_and_leave():
    convenant = diemen()
    nieuw = OrganisatieFactory(partner=True)
    oud = list(convenant.partners.all())
    convenant_update(
        convenant=convenant,
        naam="Nieuwe naam",
        uitvoerder=convenant.uitvoerder,
        partners=[nieuw],
        fg_email="fg@diemen.nl",
        looptijd_maanden=12,
        stilzwijgend_verlengen=True,
        verlenging_maanden=12,
        opzegtermijn_maanden=3,
    )
    convenant.refresh_from_db()
    assert list(convenant.partners.all()) == [nieuw]
    assert convenant.deelnames.get().sinds == dt.date(2026, 11, 22)
    assert oud and oud[0] not in convenant.partners.all()
