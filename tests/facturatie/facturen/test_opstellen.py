"""Drafting a year: which dossiers, at which rate, exactly once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from convenants.models import ConvenantParameters
from facturatie.facturen.models import Factuur, FactuurRegel, Opstelronde
from facturatie.facturen.opstellen import facturen_opstellen, jaarronde_uitvoeren
from facturatie.facturen.tasks import jaarlijks_opstellen, opsteldatum
from facturatie.facturen.workflow import FactuurSoort
from meldpunt.core.exceptions import ApplicationError
from tests.facturatie.helpers import bereikt_dossier

pytestmark = pytest.mark.django_db


def _financien(tenant):
    return tenant.gebruikers["financien"]


def test_cofinanciering_and_subsidie_per_year_exact_to_the_cent(tenant_a, tenant_b):
    veo = [bereikt_dossier(tenant_a) for _ in range(3)]
    eo = bereikt_dossier(tenant_a, type="EO")
    bereikt_dossier(tenant_a, bereikt=False)  # not reached: nowhere
    bereikt_dossier(tenant_a, volledig=False)  # rapportage incomplete: nowhere
    bereikt_dossier(tenant_a, afgesloten=dt.date(2024, 12, 31))  # another year
    bereikt_dossier(tenant_b)  # another Gemeente

    verslag = facturen_opstellen(jaar=2025, door=_financien(tenant_a))

    cof = Factuur.objects.get(soort=FactuurSoort.COFINANCIERING, convenant=tenant_a.convenant)
    sub = Factuur.objects.get(soort=FactuurSoort.SUBSIDIE, convenant=tenant_a.convenant)
    assert cof.ontvanger == tenant_a.partner and sub.ontvanger == tenant_a.uitvoerder
    assert {r.dossier_id for r in cof.regels.all()} == {d.pk for d in veo}  # EO not on the co-financing invoice
    assert {r.dossier_id for r in sub.regels.all()} == {d.pk for d in [*veo, eo]}
    assert sum(r.bedrag for r in cof.regels.all()) == Decimal("702.00")
    assert sum(r.bedrag for r in sub.regels.all()) == Decimal("2496.00")
    assert all(isinstance(r.bedrag, Decimal) for r in sub.regels.all())
    assert verslag.nieuwe_regels == 7
    assert not Factuur.objects.filter(convenant=tenant_b.convenant).exists()
    regel = cof.regels.first()
    assert regel.omschrijving.startswith("VEO bereikt, dossier D-2025-")


def test_the_rates_of_that_years_convenant_version(tenant_a):
    ConvenantParameters.objects.create(
        convenant=tenant_a.convenant, jaar=2025, tarief_cofinanciering=Decimal("250.50"), tarief_interventie="630.25"
    )
    bereikt_dossier(tenant_a, afgesloten=dt.date(2024, 3, 1))
    bereikt_dossier(tenant_a, afgesloten=dt.date(2025, 3, 1))
    bereikt_dossier(tenant_a, afgesloten=dt.date(2025, 4, 1))
    facturen_opstellen(jaar=2024, door=_financien(tenant_a))
    facturen_opstellen(jaar=2025, door=_financien(tenant_a))
    cof = {f.jaar: f for f in Factuur.objects.filter(soort=FactuurSoort.COFINANCIERING)}
    assert [r.bedrag for r in cof[2024].regels.all()] == [Decimal("234.00")]
    assert sum(r.bedrag for r in cof[2025].regels.all()) == Decimal("501.00")
    sub2025 = Factuur.objects.get(soort=FactuurSoort.SUBSIDIE, jaar=2025)
    assert sum(r.bedrag for r in sub2025.regels.all()) == Decimal("1260.50")


def test_drafting_again_changes_nothing_and_adds_only_new_dossiers(tenant_a):
    bereikt_dossier(tenant_a)
    facturen_opstellen(jaar=2025, door=_financien(tenant_a))
    voor = list(FactuurRegel.objects.values_list("pk", "factuur_id", "bedrag").order_by("pk"))
    assert facturen_opstellen(jaar=2025, door=_financien(tenant_a)).nieuwe_regels == 0
    assert list(FactuurRegel.objects.values_list("pk", "factuur_id", "bedrag").order_by("pk")) == voor
    assert Factuur.objects.count() == 2
    bereikt_dossier(tenant_a)
    assert facturen_opstellen(jaar=2025, door=_financien(tenant_a)).nieuwe_regels == 2
    assert Factuur.objects.count() == 2


def test_a_dossier_reopened_and_closed_in_a_later_year_is_invoiced_once(tenant_a):
    dossier = bereikt_dossier(tenant_a, afgesloten=dt.date(2024, 11, 1))
    facturen_opstellen(jaar=2024, door=_financien(tenant_a))
    dossier.afgesloten_op = dossier.afgesloten_op.replace(year=2025)
    dossier.save(update_fields=["afgesloten_op"])
    facturen_opstellen(jaar=2025, door=_financien(tenant_a))
    assert FactuurRegel.objects.filter(dossier=dossier, soort=FactuurSoort.COFINANCIERING).count() == 1
    assert FactuurRegel.objects.filter(dossier=dossier, soort=FactuurSoort.SUBSIDIE).count() == 1
    assert not Factuur.objects.filter(jaar=2025).exists()


def test_only_financien_drafts_and_only_past_years(tenant_a):
    with pytest.raises(ApplicationError):
        facturen_opstellen(jaar=2025, door=tenant_a.gebruikers["teamleider"])
    with pytest.raises(ApplicationError) as fout:
        facturen_opstellen(jaar=2099, door=_financien(tenant_a))
    assert "jaar" in fout.value.field_errors()


def test_the_beat_sweep_drafts_the_previous_year_once_from_the_configured_day(tenant_a, tenant_b, settings):
    bereikt_dossier(tenant_a)
    bereikt_dossier(tenant_b)
    assert jaarronde_uitvoeren(vandaag=dt.date(2026, 1, 14), maand=1, dag=15) is None
    assert not Factuur.objects.exists()
    ronde = jaarronde_uitvoeren(vandaag=dt.date(2026, 3, 1), maand=1, dag=15)  # a missed tick: drafted later
    assert ronde is not None and ronde.jaar == 2025
    assert Factuur.objects.filter(jaar=2025).count() == 4  # both Gemeenten
    assert jaarronde_uitvoeren(vandaag=dt.date(2026, 3, 2), maand=1, dag=15) is None
    assert Opstelronde.objects.count() == 1
    settings.FACTURATIE_OPSTELDATUM = "02-01"
    assert opsteldatum() == (2, 1)


def test_the_task_runs_the_sweep(tenant_a, settings):
    settings.FACTURATIE_OPSTELDATUM = "01-01"
    bereikt_dossier(tenant_a, afgesloten=dt.date(dt.date.today().year - 1, 5, 5))
    assert jaarlijks_opstellen() == dt.date.today().year - 1
    assert jaarlijks_opstellen() is None


def test_a_destroyed_dossier_is_still_invoiced_from_its_anonymous_record(tenant_a):
    from meldingen.bewaring.services import dossier_vernietigen
    from meldingen.dossiers.models import Dossier

    dossier = bereikt_dossier(tenant_a)
    dossier_vernietigen(dossier=dossier, reden="Termijn verstreken", door=None)
    assert Dossier.objects.get(pk=dossier.pk).vernietigd_op is not None

    facturen_opstellen(jaar=2025, door=_financien(tenant_a))

    cof = Factuur.objects.get(soort=FactuurSoort.COFINANCIERING, convenant=tenant_a.convenant)
    sub = Factuur.objects.get(soort=FactuurSoort.SUBSIDIE, convenant=tenant_a.convenant)
    assert [r.dossier_id for r in cof.regels.all()] == [dossier.pk]
    assert [r.dossier_id for r in sub.regels.all()] == [dossier.pk]
    assert cof.regels.get().bedrag == Decimal("234.00") and sub.regels.get().bedrag == Decimal("624.00")
