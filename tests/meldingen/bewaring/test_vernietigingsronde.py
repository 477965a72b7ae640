"""The destruction sweep: due dossiers only, holds, a killed worker, immediate destruction, the beat task."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.urls import reverse

from meldingen.bewaring.models import Bewaarblokkade, VernietigingsRegel
from meldingen.bewaring.services import (
    bewaarblokkade_instellen,
    bewaarblokkade_opheffen,
    bewaarblokkaden_voor_bron_opheffen,
    dossier_vernietigen,
    vernietigingsronde,
)
from meldingen.bewaring.workflow import BlokkadeGrond, RegelUitkomst
from meldingen.dossiers.models import Dossier
from meldpunt.audit.models import LogRegel
from meldpunt.core.exceptions import ApplicationError
from meldpunt.privacy.models import Vernietiging
from tests.meldingen.bewaring.helpers import afgesloten_dossier, dag
from tests.meldingen.helpers import geclaimd_dossier


def drie_dossiers(tenant):
    with time_machine.travel(dag(2026, 1, 15), tick=False):
        return [afgesloten_dossier(tenant, referentie=f"RC-{i}") for i in range(3)]


@pytest.mark.django_db
def test_only_dossiers_past_their_last_term_are_destroyed(tenant_a):
    dossiers = drie_dossiers(tenant_a)
    open_dossier = geclaimd_dossier(tenant_a, referentie="RC-OPEN")
    with time_machine.travel(dag(2027, 1, 14), tick=False):
        assert vernietigingsronde() == 0
    with time_machine.travel(dag(2027, 1, 15, 0), tick=False):
        assert vernietigingsronde(batch=2) == 3
    assert all(Dossier.objects.get(pk=d.pk).vernietigd_op for d in dossiers)
    assert Dossier.objects.get(pk=open_dossier.pk).vernietigd_op is None
    regels = VernietigingsRegel.objects.filter(uitkomst=RegelUitkomst.VERNIETIGD)
    assert sorted(regels.values_list("dossiernummer", flat=True)) == sorted(d.nummer for d in dossiers)
    assert regels.first().verklaring.datum == dt.date(2027, 1, 15)
    assert LogRegel.objects.filter(actie="verwijderen", object_type="meldingen.dossier").count() == 3


@pytest.mark.django_db
def test_a_hold_keeps_the_dossier_and_is_shown_until_lifted(tenant_a):
    gehouden, vrij, bron = drie_dossiers(tenant_a)
    tl = tenant_a.gebruikers["teamleider"]
    blokkade = bewaarblokkade_instellen(dossier=gehouden, grond=BlokkadeGrond.BEZWAAR, door=tl, reden="Bezwaar 12")
    bewaarblokkade_instellen(dossier=bron, grond=BlokkadeGrond.AVG_VERZOEK, door=None, bron="avg_verzoek", bron_id="41")
    with time_machine.travel(dag(2027, 1, 20), tick=False):
        assert vernietigingsronde() == 1
        assert vernietigingsronde() == 0
    tegen = VernietigingsRegel.objects.filter(uitkomst=RegelUitkomst.TEGENGEHOUDEN)
    assert sorted(tegen.values_list("dossiernummer", flat=True)) == sorted([gehouden.nummer, bron.nummer])
    assert tegen.get(dossier=gehouden).gronden == ["bezwaar"]
    assert Dossier.objects.get(pk=vrij.pk).vernietigd_op is not None

    with time_machine.travel(dag(2027, 1, 21), tick=False):
        assert bewaarblokkaden_voor_bron_opheffen(bron="avg_verzoek", bron_id="41", door=None) == 1
        assert bewaarblokkaden_voor_bron_opheffen(bron="avg_verzoek", bron_id="41", door=None) == 0
        bewaarblokkade_opheffen(blokkade=blokkade, door=tl)
        with pytest.raises(ApplicationError):
            bewaarblokkade_opheffen(blokkade=blokkade, door=tl)
        assert vernietigingsronde() == 2
    acties = LogRegel.objects.filter(object_type="meldingen.bewaarblokkade").values_list("actie", flat=True)
    assert sorted(acties) == ["aanmaken", "aanmaken", "wijzigen", "wijzigen"]
    with pytest.raises(ApplicationError, match="al vernietigd"):
        bewaarblokkade_instellen(dossier=gehouden, grond=BlokkadeGrond.RECHTSZAAK, door=tl)


@pytest.mark.django_db
def test_a_hold_with_an_end_date_stops_holding_after_it(tenant_a):
    dossier, *_ = drie_dossiers(tenant_a)
    with time_machine.travel(dag(2027, 1, 1), tick=False):
        bewaarblokkade_instellen(dossier=dossier, grond=BlokkadeGrond.RECHTSZAAK, door=None, tot=dt.date(2027, 2, 1))
    with time_machine.travel(dag(2027, 2, 1), tick=False):
        vernietigingsronde()
        assert Dossier.objects.get(pk=dossier.pk).vernietigd_op is None
    with time_machine.travel(dag(2027, 2, 2), tick=False):
        vernietigingsronde()
        assert Dossier.objects.get(pk=dossier.pk).vernietigd_op is not None


@pytest.mark.django_db
def test_a_hold_needs_a_ground_and_a_future_end(tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    with pytest.raises(ApplicationError) as fout:
        bewaarblokkade_instellen(dossier=dossier, grond="", door=None, tot=dt.date(2000, 1, 1), reden="x" * 201)
    assert set(fout.value.extra) == {"grond", "tot", "reden"}
    assert not Bewaarblokkade.objects.exists()
    with pytest.raises(ApplicationError):
        bewaarblokkaden_voor_bron_opheffen(bron="", bron_id="", door=None)


@pytest.mark.django_db
def test_an_erasure_decision_destroys_one_dossier_now_by_the_same_path(tenant_a, inloggen):
    dossier = geclaimd_dossier(tenant_a)
    contactpunt = tenant_a.gebruikers["contactpunt"]
    with pytest.raises(ApplicationError):
        dossier_vernietigen(dossier=dossier, reden=" ", door=contactpunt)
    regel = dossier_vernietigen(dossier=dossier, reden="AVG-verzoek 7: wissing toegewezen", door=contactpunt)
    assert regel.aanleiding == "avg_besluit" and regel.categorieen["datasleutel"] == 1
    assert Vernietiging.objects.get(sleutel=dossier.sleutel).door == contactpunt
    with pytest.raises(ApplicationError, match="al vernietigd"):
        dossier_vernietigen(dossier=dossier, reden="nogmaals", door=contactpunt)
    # Every later write is refused, and the Uitvoerder's page shows the anonymous record.
    from meldingen.dossiers.services import contactpoging_create

    with pytest.raises(ApplicationError, match="vernietigd"):
        contactpoging_create(
            dossier=dossier,
            door=tenant_a.gebruikers["hulpverlener"],
            soort="Telefoon",
            datum=dt.date.today(),
            dagdeel="Ochtend",
            bereikt=False,
        )
    hv = inloggen(tenant_a.gebruikers["hulpverlener"])
    pagina = hv.get(reverse("meldingen:dossier", args=[dossier.pk]), follow=True)
    assert pagina.status_code == 200
    assert "vernietigd op" in pagina.content.decode()


KIND = """
import sys, time, django
django.setup()
from django.db import transaction
from meldingen.bewaring.services import te_vernietigen
from meldingen.bewaring.vernietiging import dossier_wissen
import datetime as dt
with transaction.atomic():
    qs = te_vernietigen(dt.date(2027, 2, 1)).select_for_update(of=("self",)).select_related("sleutel")
    dossier = qs.get(pk=sys.argv[1])
    dossier_wissen(dossier=dossier, reden="bewaartermijn verstreken", door=None)
    print("gewist", flush=True)
    time.sleep(120)
"""


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_dossier_loses_nothing_and_nothing_is_destroyed_twice(tenant_a):
    dossiers = drie_dossiers(tenant_a)
    instellingen = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(
            **{**instellingen, "HOST": instellingen["HOST"] or "127.0.0.1"}
        ),
        "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
    }
    kind = subprocess.Popen(
        [sys.executable, "-c", KIND, str(dossiers[0].pk)], env=env, stdout=subprocess.PIPE, cwd=settings.BASE_DIR
    )
    try:
        assert kind.stdout is not None
        assert kind.stdout.readline().strip() == b"gewist"
        with time_machine.travel(dag(2027, 2, 1), tick=False):
            # The dossier the killed worker holds is skipped (SKIP LOCKED); the others are destroyed.
            assert vernietigingsronde() == 2
    finally:
        kind.send_signal(signal.SIGKILL)
        kind.wait()
    time.sleep(0.5)
    eerste = Dossier.objects.get(pk=dossiers[0].pk)
    assert eerste.vernietigd_op is None
    assert not eerste.sleutel.vernietigd  # rolled back whole: nothing half-wiped
    assert eerste.meldingen.get().gegevens is not None
    with time_machine.travel(dag(2027, 2, 1, 11), tick=False):
        assert vernietigingsronde() == 1
        assert vernietigingsronde() == 0
    for dossier in dossiers:
        assert VernietigingsRegel.objects.filter(dossier=dossier, uitkomst=RegelUitkomst.VERNIETIGD).count() == 1
        assert Vernietiging.objects.filter(sleutel_id=dossier.sleutel_id).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_beat_task_runs_on_the_real_worker(celery_worker, tenant_a):
    from meldingen.bewaring.tasks import vernietigingsronde_taak

    assert "vernietigingsronde" in settings.CELERY_BEAT_SCHEDULE
    dossier = afgesloten_dossier(tenant_a)
    Dossier.objects.filter(pk=dossier.pk).update(vernietigen_vanaf=dt.date.today() - dt.timedelta(days=1))
    vernietigingsronde_taak.delay()
    einde = time.monotonic() + 60
    while Dossier.objects.get(pk=dossier.pk).vernietigd_op is None and time.monotonic() < einde:
        time.sleep(0.5)
    assert Dossier.objects.get(pk=dossier.pk).vernietigd_op is not None
