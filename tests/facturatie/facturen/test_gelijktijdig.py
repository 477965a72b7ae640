"""Two invoices issued at the same moment from real parallel connections: consecutive numbers, no gap, no
duplicate."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from facturatie.facturen.models import Factuur
from facturatie.facturen.opstellen import facturen_opstellen
from facturatie.facturen.services import factuur_uitgeven
from facturatie.facturen.workflow import FactuurStatus
from tests.conftest import maak_tenant
from tests.factories import OrganisatieFactory
from tests.facturatie.helpers import bereikt_dossier, factuurgegevens_invullen


@pytest.mark.django_db(transaction=True)
def test_parallel_issues_get_consecutive_numbers():
    tenant = maak_tenant("gelijk")
    factuurgegevens_invullen(tenant)
    # Four partners: four co-financing drafts and one subsidy statement in one Gemeente's series.
    partners = [tenant.partner]
    for i in range(3):
        partner = OrganisatieFactory(partner=True, naam=f"Corporatie extra {i}", slug=f"extra-{i}")
        partner.postadres, partner.postcode, partner.plaats, partner.kvk_nummer = (
            "Straat 1",
            "1000 AA",
            "Amsterdam",
            "1234567" + str(i),
        )
        partner.save()
        tenant.convenant.deelnames.create(partner=partner, sinds=tenant.convenant.startdatum)
        partners.append(partner)
    for partner in partners:
        for _ in range(2):
            bereikt_dossier(tenant, partner=partner)
    financien = tenant.gebruikers["financien"]
    facturen_opstellen(jaar=2025, door=financien)
    concepten = list(Factuur.objects.filter(status=FactuurStatus.CONCEPT))
    assert len(concepten) == 5

    start = threading.Barrier(len(concepten))
    nummers: list[str] = []
    fouten: list[BaseException] = []

    def uitgeven(factuur: Factuur) -> None:
        try:
            start.wait()
            nummers.append(factuur_uitgeven(factuur=factuur, door=financien).nummer)
        except BaseException as exc:  # noqa: BLE001  # reported below
            fouten.append(exc)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=uitgeven, args=(f,)) for f in concepten]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not fouten, fouten
    assert sorted(nummers) == [f"GELIJK-2025-{n:04d}" for n in range(1, 6)]
    assert sorted(Factuur.objects.values_list("volgnummer", flat=True)) == [1, 2, 3, 4, 5]
