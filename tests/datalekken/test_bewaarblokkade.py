"""A breach keeps the dossiers it links beyond their retention term until it is closed or they are unlinked."""

from __future__ import annotations

import pytest
import time_machine
from django.utils import timezone

from datalekken.register.besluiten import ap_melding_vastleggen, datalek_ap_besluiten, datalek_betrokkenen_besluiten
from datalekken.register.services import (
    BRON_DATALEK,
    datalek_afsluiten,
    datalek_dossier_ontkoppelen,
    datalek_dossiers_koppelen,
)
from meldingen.bewaring.models import Bewaarblokkade
from meldingen.bewaring.services import vernietigingsronde
from meldingen.dossiers.models import Dossier
from tests.datalekken.helpers import maak_datalek
from tests.meldingen.bewaring.helpers import afgesloten_dossier, dag

pytestmark = pytest.mark.django_db


def test_linked_dossiers_are_held_until_unlinked_or_the_breach_is_closed(tenant_a):
    with time_machine.travel(dag(2026, 1, 15), tick=False):
        eerste, tweede, los = (afgesloten_dossier(tenant_a, referentie=f"RC-DL-{i}") for i in range(3))
    fg = tenant_a.gebruikers["fg"]
    datalek = maak_datalek(tenant_a)
    datalek_dossiers_koppelen(datalek=datalek, door=fg, nummers=f"{eerste.nummer}, {tweede.nummer}")
    blokkades = Bewaarblokkade.objects.filter(bron=BRON_DATALEK, bron_id=str(datalek.pk), opgeheven_op__isnull=True)
    assert sorted(blokkades.values_list("dossier_id", flat=True)) == sorted([eerste.pk, tweede.pk])
    assert set(blokkades.values_list("grond", flat=True)) == {"datalek"}

    with time_machine.travel(dag(2027, 1, 20), tick=False):  # every term has passed: only the unlinked one goes
        assert vernietigingsronde() == 1
    assert Dossier.objects.get(pk=los.pk).vernietigd_op is not None
    assert Dossier.objects.filter(pk__in=[eerste.pk, tweede.pk], vernietigd_op__isnull=True).count() == 2

    koppeling = datalek.koppelingen.get(dossier=eerste)
    datalek_dossier_ontkoppelen(datalek=datalek, door=fg, koppeling_id=koppeling.pk)
    assert list(blokkades.values_list("dossier_id", flat=True)) == [tweede.pk]
    with time_machine.travel(dag(2027, 1, 21), tick=False):
        assert vernietigingsronde() == 1
    assert Dossier.objects.get(pk=eerste.pk).vernietigd_op is not None

    datalek_ap_besluiten(datalek=datalek, door=fg, besluit="melden", risicobeoordeling="r")
    datalek_betrokkenen_besluiten(datalek=datalek, door=fg, besluit="niet_informeren", reden="Geen hoog risico")
    ap_melding_vastleggen(datalek=datalek, door=fg, soort="definitief", referentie="AP-9", gemeld_op=timezone.now())
    datalek_afsluiten(datalek=datalek, door=fg, evaluatie="Adrescontrole vóór verzending ingevoerd")
    assert not blokkades.exists()
    with time_machine.travel(dag(2027, 1, 22), tick=False):
        assert vernietigingsronde() == 1
    assert Dossier.objects.get(pk=tweede.pk).vernietigd_op is not None
