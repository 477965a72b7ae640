"""The sweep destroys a few dossiers per transaction: each still gets its own outcome, report line, log entry
and key destruction, and a failure anywhere in the group leaves every dossier of it as it was."""

from __future__ import annotations

import pytest
import time_machine
from django.utils import timezone

from meldingen.bewaring.models import VernietigingsRegel
from meldingen.bewaring.services import bewaarblokkade_instellen, vernietig_batch, vernietig_een, vernietigingsronde
from meldingen.bewaring.workflow import BlokkadeGrond, RegelUitkomst
from meldingen.dossiers.models import Dossier
from meldpunt.audit.controle import keten_controleren
from meldpunt.audit.models import HERKOMST_BEHEER_COMMANDO, LogRegel
from meldpunt.core.exceptions import ApplicationError
from meldpunt.privacy.models import DataSleutel, Vernietiging
from tests.meldingen.bewaring.helpers import afgesloten_dossier, dag


def dossiers(tenant, aantal):
    with time_machine.travel(dag(2026, 1, 15), tick=False):
        return [afgesloten_dossier(tenant, referentie=f"RC-B{i}") for i in range(aantal)]


@pytest.mark.django_db
def test_a_group_gives_each_dossier_what_destroying_it_alone_gives(tenant_a):
    alleen, eerste, tweede, gehouden = dossiers(tenant_a, 4)
    bewaarblokkade_instellen(dossier=gehouden, grond=BlokkadeGrond.RECHTSZAAK, door=None)
    with time_machine.travel(dag(2027, 1, 20), tick=False):
        assert vernietig_een(dossier_id=alleen.pk, vandaag=timezone.localdate())
        ids = [eerste.pk, gehouden.pk, tweede.pk]
        assert vernietig_batch(dossier_ids=ids, vandaag=timezone.localdate()) == 2
        assert vernietig_batch(dossier_ids=ids, vandaag=timezone.localdate()) == 0  # idempotent
    regels = {r.dossier_id: r for r in VernietigingsRegel.objects.filter(uitkomst=RegelUitkomst.VERNIETIGD)}
    assert set(regels) == {alleen.pk, eerste.pk, tweede.pk}
    assert regels[eerste.pk].categorieen == regels[alleen.pk].categorieen == regels[tweede.pk].categorieen
    assert regels[eerste.pk].categorieen["meldingen"] == 1
    assert regels[eerste.pk].categorieen["datasleutel"] == 1
    assert regels[eerste.pk].dossiernummer == eerste.nummer
    assert VernietigingsRegel.objects.get(dossier=gehouden).uitkomst == RegelUitkomst.TEGENGEHOUDEN
    for dossier in (alleen, eerste, tweede):
        bewaard = Dossier.objects.get(pk=dossier.pk)
        assert bewaard.vernietigd_op is not None
        assert bewaard.meldingen.get().gegevens is None
        vernietiging = Vernietiging.objects.get(sleutel_id=dossier.sleutel_id)
        assert dossier.nummer in vernietiging.omschrijving
        log = LogRegel.objects.get(actie="verwijderen", object_id=str(dossier.pk))
        assert (log.object_type, log.convenant_id, log.herkomst) == (
            "meldingen.dossier",
            dossier.convenant_id,
            HERKOMST_BEHEER_COMMANDO,
        )
    assert keten_controleren().intact
    assert Dossier.objects.get(pk=gehouden.pk).vernietigd_op is None
    assert not DataSleutel.objects.get(pk=gehouden.sleutel_id).vernietigd


@pytest.mark.django_db
def test_a_failure_in_a_group_leaves_every_dossier_of_it_untouched(tenant_a):
    goed, kapot = dossiers(tenant_a, 2)
    DataSleutel.objects.filter(pk=kapot.sleutel_id).update(
        verpakte_sleutel=None, master_versie=None, vernietigd_op=timezone.now()
    )
    with time_machine.travel(dag(2027, 1, 20), tick=False), pytest.raises(ApplicationError, match="al vernietigd"):
        vernietigingsronde(per_transactie=10)
    bewaard = Dossier.objects.get(pk=goed.pk)
    assert bewaard.vernietigd_op is None
    assert bewaard.meldingen.get().gegevens is not None
    assert not DataSleutel.objects.get(pk=goed.sleutel_id).vernietigd
    assert not VernietigingsRegel.objects.exists()
    assert not LogRegel.objects.filter(actie="verwijderen", object_type="meldingen.dossier").exists()


@pytest.mark.django_db
def test_the_maximum_holds_across_groups(tenant_a):
    dossiers(tenant_a, 3)
    with time_machine.travel(dag(2027, 1, 20), tick=False):
        assert vernietigingsronde(per_transactie=2, maximum=1) == 1
        assert vernietigingsronde(per_transactie=2) == 2
