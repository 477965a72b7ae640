"""Financien's drafting run: started in the request, done convenant by convenant with progress.

The run is executed here in the test's own process (the function the worker's task calls);
test_opstelrun_worker.py runs it through the real Celery worker.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from convenants.models import ConvenantParameters
from facturatie.facturen.models import Factuur, FactuurRegel, Opstelrun
from facturatie.facturen.opstelrun import ONDERBROKEN, opstelrun_uitvoeren, opstelruns_stilgevallen
from facturatie.facturen.services import opstelrun_start
from facturatie.facturen.tasks import opstelrun_verwerken
from facturatie.facturen.workflow import FactuurSoort, OpstelrunStatus
from meldpunt.audit.models import LogRegel
from meldpunt.core.exceptions import ApplicationError
from tests.factories import ConvenantFactory
from tests.facturatie.helpers import bereikt_dossier

pytestmark = pytest.mark.django_db


def _tweede_convenant(tenant, naam="Zz tweede convenant"):
    return ConvenantFactory(
        naam=naam, gemeente=tenant.gemeente, uitvoerder=tenant.uitvoerder, partners=[tenant.partner]
    )


def test_a_second_start_of_the_same_year_shows_the_running_one(tenant_a, tenant_b):
    financien = tenant_a.gebruikers["financien"]
    run, nieuw = opstelrun_start(jaar=2025, door=financien)
    assert nieuw and run.status == OpstelrunStatus.WACHTRIJ and run.convenanten_totaal == 1
    nog_eens, nieuw = opstelrun_start(jaar=2025, door=financien)
    assert (nog_eens.pk, nieuw) == (run.pk, False)
    ander_jaar, nieuw = opstelrun_start(jaar=2024, door=financien)
    assert nieuw and ander_jaar.pk != run.pk
    andere_gemeente, nieuw = opstelrun_start(jaar=2025, door=tenant_b.gebruikers["financien"])
    assert nieuw and andere_gemeente.gemeente == tenant_b.gemeente
    assert Opstelrun.objects.filter(gemeente=tenant_a.gemeente, jaar=2025).count() == 1
    assert LogRegel.objects.filter(object_type="facturatie.opstelrun", object_id=str(run.pk), actie="aanmaken").exists()


def test_a_finished_run_of_the_year_does_not_block_a_new_one(tenant_a):
    financien = tenant_a.gebruikers["financien"]
    run, _ = opstelrun_start(jaar=2025, door=financien)
    opstelrun_uitvoeren(run_id=run.pk)
    opnieuw, nieuw = opstelrun_start(jaar=2025, door=financien)
    assert nieuw and opnieuw.pk != run.pk


def test_only_financien_starts_and_only_a_past_year(tenant_a):
    with pytest.raises(ApplicationError, match="Alleen financiën"):
        opstelrun_start(jaar=2025, door=tenant_a.gebruikers["partner_beheer"])
    with pytest.raises(ApplicationError) as fout:
        opstelrun_start(jaar=timezone.localdate().year, door=tenant_a.gebruikers["financien"])
    assert "jaar" in fout.value.extra
    assert not Opstelrun.objects.exists()


def test_the_run_drafts_convenant_by_convenant_and_counts_its_progress(tenant_a, tenant_b):
    tweede = _tweede_convenant(tenant_a)
    for _ in range(3):
        bereikt_dossier(tenant_a)
    bereikt_dossier(tenant_a, type="EO")
    bereikt_dossier(tenant_a, convenant=tweede)
    bereikt_dossier(tenant_b)  # another Gemeente: not in this run

    run, _ = opstelrun_start(jaar=2025, door=tenant_a.gebruikers["financien"])
    assert (run.convenanten_totaal, run.convenanten_klaar, run.procent) == (2, 0, 0)
    run = opstelrun_uitvoeren(run_id=run.pk)

    assert run.status == OpstelrunStatus.KLAAR and run.procent == 100
    assert (run.convenanten_totaal, run.convenanten_klaar) == (2, 2)
    assert run.nieuwe_regels == 3 + 4 + 1 + 1  # VEO on both kinds, the EO only on the subsidie-afrekening
    assert run.facturen.count() == 4 and set(run.facturen.values_list("convenant", flat=True)) == {
        tenant_a.convenant.pk,
        tweede.pk,
    }
    assert run.gestart_op and run.klaar_op and run.klaar_op >= run.gestart_op and run.foutmelding == ""
    assert not Factuur.objects.filter(convenant=tenant_b.convenant).exists()
    assert LogRegel.objects.filter(object_type="facturatie.factuur", actie="aanmaken").count() == 4


def test_a_redelivered_task_on_a_finished_run_does_nothing(tenant_a):
    bereikt_dossier(tenant_a)
    run, _ = opstelrun_start(jaar=2025, door=tenant_a.gebruikers["financien"])
    opstelrun_verwerken.apply(args=[run.pk])
    run.refresh_from_db()
    klaar_op, regels = run.klaar_op, FactuurRegel.objects.count()
    bereikt_dossier(tenant_a)  # new since: a redelivery of the finished run must not draft it
    opstelrun_verwerken.apply(args=[run.pk])
    run.refresh_from_db()
    assert (run.status, run.klaar_op, run.nieuwe_regels) == (OpstelrunStatus.KLAAR, klaar_op, 2)
    assert FactuurRegel.objects.count() == regels == 2


def test_a_redelivered_task_on_a_running_run_resumes_without_double_lines(tenant_a):
    bereikt_dossier(tenant_a)
    run, _ = opstelrun_start(jaar=2025, door=tenant_a.gebruikers["financien"])
    opstelrun_uitvoeren(run_id=run.pk)
    # As if the worker crashed after drafting, before ending the run: the redelivered task resumes it.
    Opstelrun.objects.filter(pk=run.pk).update(status=OpstelrunStatus.BEZIG, klaar_op=None)
    run = opstelrun_uitvoeren(run_id=run.pk)
    assert run.status == OpstelrunStatus.KLAAR and (run.convenanten_klaar, run.nieuwe_regels) == (1, 2)
    assert FactuurRegel.objects.count() == 2


def test_a_failing_convenant_ends_the_run_with_a_dutch_message_and_stores_nothing_of_it(tenant_a):
    tweede = _tweede_convenant(tenant_a)
    ConvenantParameters.objects.create(convenant=tweede, jaar=2025)
    # The database refuses this convenant's subsidy lines (a real error, raised after its co-financing lines
    # were written), so the whole convenant must be rolled back. The trigger lives in the test's transaction.
    tabel = FactuurRegel._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION pg_temp.weiger_regel() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF NEW.convenant_id = {int(tweede.pk)} AND NEW.soort = 'subsidie' THEN "
            "RAISE EXCEPTION 'regel geweigerd'; END IF; RETURN NEW; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER weiger_regel BEFORE INSERT ON {tabel} FOR EACH ROW EXECUTE FUNCTION pg_temp.weiger_regel()"
        )
    bereikt_dossier(tenant_a)
    bereikt_dossier(tenant_a, convenant=tweede)

    run, _ = opstelrun_start(jaar=2025, door=tenant_a.gebruikers["financien"])
    run = opstelrun_uitvoeren(run_id=run.pk)

    assert run.status == OpstelrunStatus.MISLUKT and run.klaar_op is not None
    assert "Zz tweede convenant" in run.foutmelding and "niets opgeslagen" in run.foutmelding
    assert (run.convenanten_totaal, run.convenanten_klaar, run.nieuwe_regels) == (2, 1, 2)
    assert not Factuur.objects.filter(convenant=tweede).exists()
    assert not FactuurRegel.objects.filter(convenant=tweede).exists()
    assert Factuur.objects.filter(convenant=tenant_a.convenant).count() == 2  # the first convenant stays drafted
    assert {f.convenant_id for f in run.facturen.all()} == {tenant_a.convenant.pk}
    assert LogRegel.objects.filter(object_type="facturatie.opstelrun", resultaat="fout").count() == 1
    # A failed run does not block: the next start is a new run.
    assert opstelrun_start(jaar=2025, door=tenant_a.gebruikers["financien"])[1] is True


def test_a_run_that_lost_its_financien_role_fails_with_the_reason(tenant_a):
    financien = tenant_a.gebruikers["financien"]
    run, _ = opstelrun_start(jaar=2025, door=financien)
    financien.rollen = ["partner_beheer"]
    financien.save()
    run = opstelrun_uitvoeren(run_id=run.pk)
    assert run.status == OpstelrunStatus.MISLUKT and run.foutmelding == "Alleen financiën stelt facturen op."
    assert not Factuur.objects.exists()


def test_a_stalled_run_blocks_no_new_start_and_the_sweep_ends_it(tenant_a, tenant_b):
    begin = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(begin, tick=False):
        vast, _ = opstelrun_start(jaar=2025, door=tenant_a.gebruikers["financien"])
        ander, _ = opstelrun_start(jaar=2025, door=tenant_b.gebruikers["financien"])
        Opstelrun.objects.filter(pk=vast.pk).update(status=OpstelrunStatus.BEZIG, voortgang_op=begin)
    with time_machine.travel(begin + dt.timedelta(minutes=19), tick=False):
        assert opstelrun_start(jaar=2025, door=tenant_a.gebruikers["financien"]) == (vast, False)
        assert opstelruns_stilgevallen() == 0
    with time_machine.travel(begin + dt.timedelta(minutes=21), tick=False):
        nieuw, is_nieuw = opstelrun_start(jaar=2025, door=tenant_a.gebruikers["financien"])
        assert is_nieuw and nieuw.pk != vast.pk
        vast.refresh_from_db()
        assert vast.status == OpstelrunStatus.MISLUKT and vast.foutmelding == ONDERBROKEN
        assert opstelruns_stilgevallen() == 1  # the other Gemeente's queued run that never started
    ander.refresh_from_db()
    assert ander.status == OpstelrunStatus.MISLUKT
    # A late redelivery of the ended run does nothing.
    assert opstelrun_uitvoeren(run_id=vast.pk).status == OpstelrunStatus.MISLUKT
    assert not Factuur.objects.filter(soort=FactuurSoort.COFINANCIERING).exists()
