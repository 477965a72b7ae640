"""Each party's term, with frozen time: end of month, leap year, a term changed between convenant years,
a reopened dossier; and each party's access ending at its own term."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from meldingen.bewaring.services import toegang_beeindigen
from meldingen.bewaring.termijnen import termijnen_berekenen
from meldingen.ddas import Eindresultaat
from meldingen.dossiers.models import Dossier
from meldingen.toestemming.models import ToestemmingEinde
from tests.meldingen.bewaring.helpers import afgesloten_dossier, dag
from tests.meldingen.helpers import geclaimd_dossier, geef_toestemming

pytestmark = pytest.mark.django_db


def sluit_op(tenant, moment, **kwargs):
    with time_machine.travel(moment, tick=False):
        return afgesloten_dossier(tenant, **kwargs)


def test_closure_sets_every_partys_term_from_the_closing_years_parameters(tenant_a):
    tenant_a.convenant.parameters.filter(jaar=tenant_a.convenant.parameters.get().jaar).update(
        bewaartermijn_uitvoerder_maanden=12, bewaartermijn_gemeente_maanden=6, bewaartermijn_partner_maanden=18
    )
    dossier = sluit_op(tenant_a, dag(2026, 3, 15))
    assert dossier.toegang_uitvoerder_tot == dt.date(2027, 3, 15)
    assert dossier.toegang_gemeente_tot == dt.date(2026, 9, 15)
    assert dossier.toegang_partner_tot == dt.date(2027, 9, 15)
    assert dossier.vernietigen_vanaf == dt.date(2027, 9, 15)


def test_end_of_month_and_leap_day_follow_the_calendar(tenant_a):
    parameters = tenant_a.convenant.parameters.get()
    parameters.bewaartermijn_gemeente_maanden = 1
    parameters.save()
    eind_januari = sluit_op(tenant_a, dag(2028, 1, 31), referentie="RC-1")
    assert eind_januari.toegang_gemeente_tot == dt.date(2028, 2, 29)  # leap year
    assert eind_januari.toegang_uitvoerder_tot == dt.date(2029, 1, 31)
    schrikkeldag = sluit_op(tenant_a, dag(2028, 2, 29), referentie="RC-2")
    assert schrikkeldag.toegang_uitvoerder_tot == dt.date(2029, 2, 28)
    # Closed late in the evening of 31 December local time: the local date counts, not UTC's.
    oudjaar = sluit_op(tenant_a, dt.datetime(2027, 12, 31, 23, 30, tzinfo=dt.UTC), referentie="RC-3")
    assert oudjaar.toegang_uitvoerder_tot == dt.date(2029, 1, 1)


def test_the_version_of_the_closing_year_counts_when_the_term_changed_between_years(tenant_a):
    from convenants.models import ConvenantParameters

    eerste = tenant_a.convenant.parameters.get()
    ConvenantParameters.objects.create(
        convenant=tenant_a.convenant,
        jaar=eerste.jaar + 1,
        bewaartermijn_uitvoerder_maanden=6,
        bewaartermijn_gemeente_maanden=6,
        bewaartermijn_partner_maanden=3,
    )
    oud = sluit_op(tenant_a, dag(eerste.jaar, 12, 20), referentie="RC-OUD")
    nieuw = sluit_op(tenant_a, dag(eerste.jaar + 1, 1, 5), referentie="RC-NIEUW")
    assert oud.vernietigen_vanaf == dt.date(eerste.jaar + 1, 12, 20)
    assert nieuw.vernietigen_vanaf == dt.date(eerste.jaar + 1, 7, 5)
    assert nieuw.toegang_partner_tot == dt.date(eerste.jaar + 1, 4, 5)


def test_reopening_clears_the_dates_and_closing_again_starts_them_anew(tenant_a):
    from meldingen.dossiers.services import dossier_heropenen

    dossier = sluit_op(tenant_a, dag(2026, 1, 10))
    with time_machine.travel(dag(2026, 5, 1), tick=False):
        dossier = dossier_heropenen(dossier=dossier, door=tenant_a.gebruikers["teamleider"], reden="Nieuwe schuld")
    dossier.refresh_from_db()
    assert (dossier.toegang_uitvoerder_tot, dossier.toegang_partner_tot, dossier.vernietigen_vanaf) == (None,) * 3
    from tests.meldingen.bewaring.helpers import sluit

    with time_machine.travel(dag(2026, 6, 2), tick=False):
        sluit(tenant_a, dossier)
    dossier.refresh_from_db()
    assert dossier.vernietigen_vanaf == dt.date(2027, 6, 2)


def test_an_open_dossier_has_no_terms(tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    assert termijnen_berekenen(dossier) is None
    assert dossier.vernietigen_vanaf is None


def test_a_melding_never_picked_up_follows_its_dossier(tenant_a):
    from meldingen.dossiers.services import dossier_afsluiten
    from tests.meldingen.helpers import maak_melding

    with time_machine.travel(dag(2026, 2, 1), tick=False):
        melding = maak_melding(tenant_a)
        dossier_afsluiten(
            dossier=melding.dossier,
            door=tenant_a.gebruikers["teamleider"],
            eindresultaat=Eindresultaat.NIET_OPGEPAKT_ANDERE_REDEN,
        )
    dossier = Dossier.objects.get(pk=melding.dossier_id)
    assert dossier.vernietigen_vanaf == dt.date(2027, 2, 1)


def test_gemeente_and_partner_lose_access_at_their_own_term_before_destruction(tenant_a, inloggen):
    parameters = tenant_a.convenant.parameters.get()
    parameters.bewaartermijn_gemeente_maanden = 3
    parameters.bewaartermijn_partner_maanden = 6
    parameters.save()
    with time_machine.travel(dag(2026, 1, 10), tick=False):
        dossier = geclaimd_dossier(tenant_a)
        gemeente = geef_toestemming(tenant_a, dossier, "gemeente", "rapportage")
        partner = geef_toestemming(tenant_a, dossier, "partner", "status")
        from tests.meldingen.bewaring.helpers import sluit

        dossier = sluit(tenant_a, dossier)
    melding = dossier.meldingen.get()
    with time_machine.travel(dag(2026, 4, 9), tick=False):
        gem = inloggen(tenant_a.gebruikers["gemeente_medewerker"])
        assert gem.get(reverse("gemeente:detail", args=[dossier.pk])).status_code == 200
        assert toegang_beeindigen() == 0
    with time_machine.travel(dag(2026, 4, 10), tick=False):
        gem = inloggen(tenant_a.gebruikers["gemeente_medewerker"])
        # The selector excludes it from the first day, before the sweep ends the consent.
        assert gem.get(reverse("gemeente:detail", args=[dossier.pk])).status_code == 404
        assert toegang_beeindigen() == 1
        assert toegang_beeindigen() == 0
    gemeente.refresh_from_db()
    partner.refresh_from_db()
    assert gemeente.einde == ToestemmingEinde.BEWAARTERMIJN and partner.beeindigd_op is None
    from meldingen.toestemming.models import DossierGroepRecht

    assert not DossierGroepRecht.objects.filter(content_object=dossier, group=tenant_a.gemeente.groep).exists()
    assert DossierGroepRecht.objects.filter(content_object=dossier, group=tenant_a.partner.groep).exists()

    with time_machine.travel(dag(2026, 7, 9), tick=False):
        melder = inloggen(tenant_a.gebruikers["melder"])
        assert melder.get(reverse("meldingen:detail", args=[melding.pk])).status_code == 200
    with time_machine.travel(dag(2026, 7, 10), tick=False):
        melder = inloggen(tenant_a.gebruikers["melder"])
        assert melder.get(reverse("meldingen:detail", args=[melding.pk])).status_code == 404
        lijst = melder.get(reverse("meldingen:list"))
        assert str(melding.pk) not in lijst.content.decode()
        assert toegang_beeindigen() == 1
    assert not DossierGroepRecht.objects.filter(content_object=dossier).exists()
