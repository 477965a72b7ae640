"""Caseload: the transition table, claiming under real concurrency, contact attempts, closing, reopening."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from meldingen.ddas import Eindresultaat, Signaalstatus
from meldingen.dossiers.services import (
    contactpoging_create,
    dossier_afsluiten,
    dossier_claim,
    dossier_heropenen,
    dossier_toewijzen,
)
from meldingen.dossiers.workflow import OVERGANGEN, DossierStatus, overgang_toegestaan
from meldingen.models import Dossier, Melding, StatusWijziging
from meldpunt.core.exceptions import ApplicationError
from meldpunt.privacy.kluis import Kluis
from tests.factories import UserFactory
from tests.meldingen.helpers import maak_melding

pytestmark = pytest.mark.django_db

VERWACHT = {
    ("nieuw", "geclaimd"),
    ("nieuw", "afgesloten"),
    ("geclaimd", "in_contact"),
    ("geclaimd", "afgesloten"),
    ("geclaimd", "nieuw"),
    ("in_contact", "afgesloten"),
    ("afgesloten", "geclaimd"),
}


@pytest.mark.parametrize("van", DossierStatus.values)
@pytest.mark.parametrize("naar", DossierStatus.values)
def test_transition_table(van, naar):
    assert overgang_toegestaan(van, naar) == ((van, naar) in VERWACHT)
    assert set(OVERGANGEN) == set(DossierStatus.values)


def test_claim_picks_up_the_signal_and_keeps_history(tenant_a):
    melding = maak_melding(tenant_a)
    hulpverlener = tenant_a.gebruikers["hulpverlener"]
    dossier = dossier_claim(dossier_id=melding.dossier_id, door=hulpverlener)
    assert dossier.status == DossierStatus.GECLAIMD and dossier.behandelaar == hulpverlener
    melding.refresh_from_db()
    assert melding.status == Signaalstatus.OPGEPAKT
    history = list(StatusWijziging.objects.filter(dossier=dossier).values_list("van", "naar"))
    assert history == [("nieuw", "geclaimd")]
    with pytest.raises(ApplicationError, match="al opgepakt"):
        dossier_claim(dossier_id=dossier.pk, door=tenant_a.gebruikers["teamleider"])


def test_other_uitvoerder_and_other_roles_cannot_claim(tenant_a, tenant_b):
    melding = maak_melding(tenant_a)
    with pytest.raises(ApplicationError):
        dossier_claim(dossier_id=melding.dossier_id, door=tenant_b.gebruikers["hulpverlener"])
    with pytest.raises(ApplicationError):
        dossier_claim(dossier_id=melding.dossier_id, door=tenant_a.gebruikers["gemeente_medewerker"])
    assert Dossier.objects.get(pk=melding.dossier_id).status == DossierStatus.NIEUW


def test_contact_attempts_and_closing(tenant_a):
    melding = maak_melding(tenant_a)
    hv = tenant_a.gebruikers["hulpverlener"]
    dossier = dossier_claim(dossier_id=melding.dossier_id, door=hv)
    vandaag = dt.date.today()
    eerste = contactpoging_create(
        dossier=dossier, door=hv, soort="Telefoon", datum=vandaag, dagdeel="Ochtend", bereikt=False, notitie="Voicemail"
    )
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.GECLAIMD
    assert b"Voicemail" not in bytes(eerste.notitie)
    assert (
        Kluis(dossier.sleutel).ontsleutel(eerste.notitie, context=f"meldingen.contactpoging:{eerste.pk}") == "Voicemail"
    )
    contactpoging_create(dossier=dossier, door=hv, soort="Huisbezoek", datum=vandaag, dagdeel="Middag", bereikt=True)
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.IN_CONTACT
    with pytest.raises(ApplicationError) as exc:
        contactpoging_create(
            dossier=dossier, door=hv, soort="Duif", datum=vandaag + dt.timedelta(days=1), dagdeel="Nacht", bereikt=True
        )
    assert set(exc.value.extra) == {"soort", "dagdeel", "datum"}
    with pytest.raises(ApplicationError):
        contactpoging_create(
            dossier=dossier,
            door=UserFactory(organisatie=tenant_a.uitvoerder, rollen=["hulpverlener"]),
            soort="Telefoon",
            datum=vandaag,
            dagdeel="Avond",
            bereikt=False,
        )
    dossier = dossier_afsluiten(dossier=dossier, door=hv, eindresultaat=Eindresultaat.ADVIES_QUICK_FIX)
    assert dossier.status == DossierStatus.AFGESLOTEN and dossier.afgesloten_op is not None
    with pytest.raises(ApplicationError):
        contactpoging_create(dossier=dossier, door=hv, soort="Telefoon", datum=vandaag, dagdeel="Avond", bereikt=True)


def test_closing_without_pickup_sets_the_ddas_signal_status(tenant_a):
    melding = maak_melding(tenant_a)
    hv = tenant_a.gebruikers["hulpverlener"]
    dossier = Dossier.objects.get(pk=melding.dossier_id)
    with pytest.raises(ApplicationError, match="niet is opgepakt"):
        dossier_afsluiten(dossier=dossier, door=hv, eindresultaat=Eindresultaat.ADVIES_QUICK_FIX)
    dossier_afsluiten(dossier=dossier, door=hv, eindresultaat=Eindresultaat.NIET_OPGEPAKT_ANDERE_REDEN)
    assert Melding.objects.get(pk=melding.pk).status == Signaalstatus.ANDERE_REDEN


def test_only_a_teamleider_reopens_with_a_reason(tenant_a):
    melding = maak_melding(tenant_a)
    hv, tl = tenant_a.gebruikers["hulpverlener"], tenant_a.gebruikers["teamleider"]
    dossier = dossier_claim(dossier_id=melding.dossier_id, door=hv)
    dossier = dossier_afsluiten(dossier=dossier, door=hv, eindresultaat=Eindresultaat.GEEN_CONTACT)
    with pytest.raises(ApplicationError):
        dossier_heropenen(dossier=dossier, door=hv, reden="Toch bereikt")
    with pytest.raises(ApplicationError):
        dossier_heropenen(dossier=dossier, door=tl, reden="  ")
    dossier = dossier_heropenen(dossier=dossier, door=tl, reden="Huurder belde terug")
    assert dossier.status == DossierStatus.GECLAIMD and dossier.eindresultaat == ""
    laatste = StatusWijziging.objects.filter(dossier=dossier).last()
    assert laatste.naar == "geclaimd" and b"Huurder" not in bytes(laatste.reden)


def test_teamleider_assigns_within_the_team(tenant_a, tenant_b):
    melding = maak_melding(tenant_a)
    tl = tenant_a.gebruikers["teamleider"]
    hv = tenant_a.gebruikers["hulpverlener"]
    dossier = Dossier.objects.get(pk=melding.dossier_id)
    dossier = dossier_toewijzen(dossier=dossier, behandelaar=hv, door=tl)
    assert dossier.status == DossierStatus.GECLAIMD and dossier.behandelaar == hv
    with pytest.raises(ApplicationError):
        dossier_toewijzen(dossier=dossier, behandelaar=tenant_b.gebruikers["hulpverlener"], door=tl)
    with pytest.raises(ApplicationError):
        dossier_toewijzen(dossier=dossier, behandelaar=tl, door=hv)


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_never_give_one_dossier_two_owners(tenant_a):
    """1,000 trials: two real database connections claim the same dossier at the same moment."""
    from meldingen.models import Dossier as D

    proeven = 1000
    meldingen = [maak_melding(tenant_a, referentie=f"RACE-{i}") for i in range(proeven)]
    ids = [m.dossier_id for m in meldingen]
    spelers = [tenant_a.gebruikers["hulpverlener"], tenant_a.gebruikers["teamleider"]]
    start = threading.Barrier(2)
    winnaars: list[list[object]] = [[], []]
    fouten: list[BaseException] = []

    def speler(nummer: int) -> None:
        try:
            for dossier_id in ids:
                start.wait()
                try:
                    dossier_claim(dossier_id=dossier_id, door=spelers[nummer])
                    winnaars[nummer].append(dossier_id)
                except ApplicationError:
                    pass
        except BaseException as exc:  # noqa: BLE001 - reported below
            fouten.append(exc)
            start.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=speler, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert fouten == []
    assert len(winnaars[0]) + len(winnaars[1]) == proeven
    assert not set(winnaars[0]) & set(winnaars[1])
    assert D.objects.filter(pk__in=ids, status=DossierStatus.GECLAIMD).count() == proeven
    assert StatusWijziging.objects.filter(dossier_id__in=ids, naar="geclaimd").count() == proeven
