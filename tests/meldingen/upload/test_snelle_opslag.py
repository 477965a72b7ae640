"""The bulk path of the upload stores exactly what the single-melding path would: same rows, keys, log."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.db import transaction

from meldingen.intake.services import melding_gegevens
from meldingen.intake.validatie import leeftijd
from meldingen.intake.voorbereiding import canonieke_gegevens, melding_voorbereiden
from meldingen.models import Dossier, Melding, StatusWijziging
from meldingen.upload.services import upload_create
from meldingen.upload.verwerking import upload_verwerken
from meldpunt.audit.controle import keten_controleren
from meldpunt.audit.models import LogRegel
from meldpunt.audit.services import canonieke_inhoud
from meldpunt.core.bulk import nieuwe_uuids
from meldpunt.privacy.blind import index_naam_geboortedatum, index_postcode_huisnummer
from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.models import BlindeIndex
from tests.meldingen.upload.helpers import csv_bytes, rij

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vaste_datum():
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


def verwerkt(tenant, rijen, **kwargs):
    upload = upload_create(bestand_bytes=csv_bytes(rijen), bestandsnaam="m.csv", door=tenant.gebruikers["melder"])
    upload_verwerken(upload_id=upload.pk, **kwargs)
    upload.refresh_from_db()
    return upload


def test_rows_written_with_copy_get_the_model_defaults_and_no_status_change_yet(tenant_a):
    verwerkt(tenant_a, [rij(referentie=f"R-{i}", type="EO" if i == 1 else "VEO", **_eo(i)) for i in range(3)])
    for dossier in Dossier.objects.all():
        nieuw = Dossier()
        for veld in Dossier._meta.concrete_fields:
            if veld.name in ("behandelaar", "eindresultaat", "geclaimd_op", "afgesloten_op", "vernietigd_op"):
                assert getattr(dossier, veld.attname) == getattr(nieuw, veld.attname), veld.name
        assert dossier.status == "nieuw" and dossier.sleutel.doel == "dossier" and dossier.nummer.startswith("2026-")
        # Being opened is not a status change: the history starts at the dossier's creation time.
        assert dossier.aangemaakt_op == dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
        assert not StatusWijziging.objects.filter(dossier=dossier).exists()
    assert len({d.sleutel_id for d in Dossier.objects.all()}) == 3
    assert Dossier.objects.get(type="EO").ontruimingsdatum == dt.date(2026, 12, 1)


def _eo(i: int) -> dict[str, str]:
    return {"vonnisdatum": "01-11-2026", "ontruimingsdatum": "01-12-2026"} if i == 1 else {}


def test_each_melding_is_encrypted_under_its_own_dossier_key_with_blind_indexes(tenant_a):
    verwerkt(tenant_a, [rij(referentie=f"R-{i}", huisnummer=str(10 + i)) for i in range(4)], blokgrootte=3)
    for melding in Melding.objects.select_related("dossier__sleutel"):
        gegevens = melding_gegevens(melding)
        assert bytes(melding.gegevens)[:1] == b"\x01"
        assert json.loads(canonieke_gegevens(gegevens)) == gegevens
        huurder, adres = gegevens["huurder"], gegevens["adres"]
        verwacht = {
            ("naam_geboortedatum", index_naam_geboortedatum(huurder["achternaam"], dt.date(1980, 5, 17))),
            (
                "postcode_huisnummer",
                index_postcode_huisnummer(adres["postcode"], adres["huisnummer"], adres["toevoeging"]),
            ),
        }
        assert set(BlindeIndex.objects.filter(sleutel=melding.dossier.sleutel).values_list("soort", "waarde")) == (
            verwacht
        )
        # Another dossier's key does not open it.
        ander = Dossier.objects.exclude(pk=melding.dossier_id).select_related("sleutel").first()
        with pytest.raises(Exception):  # noqa: B017 - OntsleutelFout from the GCM tag check
            Kluis(ander.sleutel).ontsleutel(melding.gegevens, context=melding.context)


def test_the_log_chain_over_bulk_entries_verifies(tenant_a):
    upload = verwerkt(tenant_a, [rij(referentie=f"R-{i}") for i in range(7)], blokgrootte=3)
    regels = list(LogRegel.objects.filter(object_type="meldingen.melding").order_by("id"))
    assert len(regels) == 7 == Melding.objects.filter(upload=upload).count()
    assert {r.object_id for r in regels} == {str(pk) for pk in Melding.objects.values_list("pk", flat=True)}
    assert all(r.herkomst == f"upload:{upload.pk}" and r.gebruiker_id == upload.door_id for r in regels)
    assert all(r.convenant_id == tenant_a.convenant.pk and r.organisatie_id == tenant_a.partner.pk for r in regels)
    assert canonieke_inhoud(regels[0].__dict__).startswith('{"actie":"aanmaken","convenant_id":')
    assert keten_controleren().intact


def test_a_vervolgmelding_in_a_later_block_joins_the_dossier_of_an_earlier_block(tenant_a):
    rijen = [rij(referentie=f"R-{i}") for i in range(4)]
    rijen.append(rij(referentie="R-1", achterstand_bedrag="1950,00", achterstand_maanden="3"))
    rijen.append(rij(referentie="R-2"))  # identical to row 3: al ontvangen
    upload = verwerkt(tenant_a, rijen, blokgrootte=2)
    assert (upload.opgeslagen, upload.vervolgmeldingen, upload.al_ontvangen, upload.afgewezen) == (4, 1, 1, 0)
    vervolg = Melding.objects.get(vervolgmelding=True)
    assert Melding.objects.filter(dossier=vervolg.dossier).count() == 2
    assert melding_gegevens(vervolg)["achterstand"]["bedrag"] == "1950.00"
    assert str(Dossier.objects.get(pk=vervolg.dossier_id).achterstand_bedrag) == "1950.00"


def test_keys_made_in_advance_are_used_only_by_rows_that_open_a_dossier(tenant_a):
    """Rows opening a dossier use the key and encryption made while checking; the others are dropped."""
    from meldpunt.privacy.models import DataSleutel

    rijen = [rij(referentie="R-1"), rij(referentie="R-1", achterstand_bedrag="1950,00"), rij(referentie="R-2")]
    rijen.append(rij(referentie="R-2"))  # identical: al ontvangen
    upload = verwerkt(tenant_a, rijen)
    assert (upload.opgeslagen, upload.vervolgmeldingen, upload.al_ontvangen) == (2, 1, 1)
    # One data key per dossier (and the upload's own): the keys made for rows 2 and 4 were never stored.
    dossiers = list(Dossier.objects.select_related("sleutel"))
    assert DataSleutel.objects.filter(doel="dossier").count() == len(dossiers) == 2
    for melding in Melding.objects.select_related("dossier__sleutel"):
        # Decrypts under its own dossier's key, bound to its own id (the vervolgmelding included).
        assert melding_gegevens(melding)["referentie"] in ("R-1", "R-2")
        assert Kluis(melding.dossier.sleutel).ontsleutel_bytes(melding.gegevens, context=melding.context)
    vervolg = Melding.objects.get(vervolgmelding=True)
    assert melding_gegevens(vervolg)["achterstand"]["bedrag"] == "1950.00"


def test_derived_values_depend_on_the_partner(tenant_a, tenant_b):
    from meldingen.intake.validatie import valideer_melding
    from meldingen.upload.parser import invoer_uit_waarden

    invoer, _ = invoer_uit_waarden(rij(tenant_a.convenant.slug))
    uitkomst = valideer_melding(invoer, partner=tenant_a.partner, vandaag=dt.date(2026, 11, 22))
    a = melding_voorbereiden(uitkomst, partner_id=tenant_a.partner.pk)
    b = melding_voorbereiden(uitkomst, partner_id=tenant_b.partner.pk)
    assert a.canoniek == b.canoniek and a.referentie_index == b.referentie_index
    assert a.inhoud_index != b.inhoud_index


@pytest.mark.parametrize(
    ("vandaag", "geboortedatum"),
    [
        (dt.date(2026, 2, 28), dt.date(2000, 2, 29)),
        (dt.date(2028, 2, 28), dt.date(2000, 2, 29)),
        (dt.date(2028, 2, 29), dt.date(2000, 2, 29)),
        (dt.date(2026, 3, 1), dt.date(2008, 2, 29)),
        (dt.date(2026, 11, 22), dt.date(2008, 11, 22)),
        (dt.date(2026, 11, 22), dt.date(2008, 11, 23)),
        (dt.date(2026, 1, 31), dt.date(1906, 1, 31)),
        (dt.date(2026, 4, 30), dt.date(1980, 5, 17)),
    ],
)
def test_age_is_counted_as_relativedelta_does(vandaag, geboortedatum):
    assert leeftijd(vandaag, geboortedatum) == relativedelta(vandaag, geboortedatum).years


def test_new_ids_are_time_ordered_version_7_uuids_with_a_random_part():
    voor = time.time_ns() // 1_000_000
    ids = nieuwe_uuids(1000)
    na = time.time_ns() // 1_000_000
    assert len(set(ids)) == 1000
    for i in ids:
        u = uuid.UUID(i)
        assert str(u) == i and u.version == 7 and u.variant == uuid.RFC_4122
        assert voor <= u.int >> 80 <= na  # the first 48 bits: Unix time in milliseconds
    # 74 random bits: the part after the time differs between ids made together.
    assert len({uuid.UUID(i).int & ((1 << 80) - 1) for i in ids}) == 1000
    later = nieuwe_uuids(1)[0]
    assert later >= max(ids)[:13]


# --- one batch stores what the same meldingen one by one store ------------------------------------------
class _Terugdraaien(Exception):
    pass


def _uitkomst(tenant, referentie, **wijzigingen):
    from meldingen.intake.validatie import valideer_melding
    from tests.meldingen.helpers import VANDAAG, api_melding, invoer_uit

    data = api_melding(tenant.convenant.slug, referentie=referentie, **wijzigingen)
    uitkomst = valideer_melding(invoer_uit(data), partner=tenant.partner, vandaag=VANDAAG)
    assert uitkomst.geldig, uitkomst.fouten
    return uitkomst


def _stand_van_zaken():
    """Everything intake stored, without ids and times: per dossier and per melding, decrypted where needed."""
    dossiers = {}
    for dossier in Dossier.objects.select_related("sleutel", "vorig_dossier").order_by("nummer"):
        meldingen = list(dossier.meldingen.order_by("ontvangen_op", "id"))
        ref = melding_gegevens(meldingen[0])["referentie"]
        vorig = dossier.vorig_dossier
        dossiers[(ref, dossier.status)] = (
            dossier.type,
            dossier.herhaald,
            dossier.achterstand_bedrag,
            dossier.heeft_minderjarigen,
            dossier.ontruimingsdatum,
            dossier.postcode_cijfers,
            dossier.sleutel.doel,
            melding_gegevens(vorig.meldingen.first())["referentie"] if vorig else None,
            frozenset(BlindeIndex.objects.filter(sleutel=dossier.sleutel).values_list("soort", "waarde")),
            sorted(  # the time is frozen here: meldingen of one dossier in any order
                [
                    (
                        m.status,
                        m.vervolgmelding,
                        m.type,
                        m.achterstand_bedrag,
                        m.achterstand_maanden,
                        m.herhaald,
                        m.maandhuur,
                        m.minderjarige_kinderen,
                        m.postcode_cijfers,
                        m.vonnisdatum,
                        m.ontruimingsdatum,
                        m.kanaal,
                        m.partner_id,
                        m.convenant_id,
                        m.ingediend_door_id,
                        json.dumps(melding_gegevens(m), sort_keys=True),
                    )
                    for m in meldingen
                ],
                key=repr,
            ),
        )
    logregels = LogRegel.objects.filter(object_type="meldingen.melding", actie="aanmaken").count()
    return dossiers, logregels


def _door_de_pijp(voorbereid, tenant):
    """The batch as the file upload's checking process sends it (:meth:`Voorbereid.inpakken`, pickled
    through a pipe) and the storing process receives it."""
    import pickle

    from meldingen.intake.voorbereiding import Voorbereid

    delen = pickle.loads(pickle.dumps(voorbereid.inpakken()))  # noqa: S301 - made here
    return Voorbereid.uitpakken(delen, {tenant.convenant.pk: tenant.convenant})


def test_a_packed_batch_reads_back_every_value_of_its_voorbereidingen(tenant_a):
    """What the checking process leaves out (all but the canonical JSON and the raw data keys) is read
    back from the rows of the batch, equal to what was made: field by field, on every kind of row."""
    from meldingen.intake.voorbereiding import meldingen_voorbereiden

    eo = {"type": "EO", "eo": {"vonnisdatum": "2026-11-01", "ontruimingsdatum": "2026-12-15"}}
    batch = [
        _uitkomst(tenant_a, "R-1"),
        _uitkomst(tenant_a, "R-2", achterstand__bedrag="12345.67", achterstand__maandhuur="1001.10", **eo),
        _uitkomst(tenant_a, "R-3", huishouden__minderjarige_kinderen=0, achterstand__herhaald=True),
        _uitkomst(tenant_a, "R-4", adres__toevoeging="", huurder__achternaam="Ĳzerman-Çelik"),
    ]
    voorbereid = meldingen_voorbereiden(batch, partner_id=tenant_a.partner.pk)
    ontvangen = _door_de_pijp(voorbereid, tenant_a)
    assert len(ontvangen) == len(batch)
    for i in range(len(batch)):
        gemaakt, terug = voorbereid.voorbereiding(i), ontvangen.voorbereiding(i)
        assert terug.kluis is not None and gemaakt.kluis is not None
        assert terug.kluis.delen() == gemaakt.kluis.delen()
        assert terug.uitkomst.convenant == gemaakt.uitkomst.convenant
        assert terug.uitkomst.invoer == gemaakt.uitkomst.invoer
        for veld in ("canoniek", "referentie_index", "inhoud_index", "blinde_indexen", "melding_midden"):
            assert getattr(terug, veld) == getattr(gemaakt, veld), veld
        assert (terug.bedrag_veld, terug.gegevens) == (gemaakt.bedrag_veld, gemaakt.gegevens)
        context = f"meldingen.melding:{voorbereid.melding_ids[i]}:gegevens"
        assert terug.kluis.ontsleutel_bytes(terug.gegevens, context=context).decode() == terug.canoniek
    assert all(len(ontvangen.voorbereiding(i).blinde_indexen) == 2 for i in range(len(batch)))


@pytest.mark.parametrize("ingepakt", [False, True], ids=["in-dit-proces", "door-de-pijp"])
def test_one_batch_stores_exactly_what_the_same_meldingen_one_by_one_store(tenant_a, ingepakt):
    """Every path of the batch: new tenancies, a later row joining a dossier the batch opened (turning it
    into an EO with more arrears and minors), content repeated within the batch and from before, a
    vervolgmelding for a dossier that was open before, a tenancy whose earlier dossier is closed. Made in
    this process, or packed as the checking process sends it and read back from its rows."""
    from meldingen.ddas import Eindresultaat
    from meldingen.dossiers.services import dossier_afsluiten
    from meldingen.intake.models import Kanaal
    from meldingen.intake.services import melding_create, meldingen_bulk_create
    from meldingen.intake.voorbereiding import meldingen_voorbereiden

    melder = tenant_a.gebruikers["melder"]

    def opslaan_een_voor_een(uitkomsten):
        return [
            melding_create(uitkomst=u, partner=tenant_a.partner, kanaal=Kanaal.BESTAND, door=melder) for u in uitkomsten
        ]

    eerder = [_uitkomst(tenant_a, "R-OPEN"), _uitkomst(tenant_a, "R-DICHT"), _uitkomst(tenant_a, "R-AL")]
    opslaan_een_voor_een(eerder)
    dicht = Melding.objects.get(
        referentie_index=melding_voorbereiden(eerder[1], partner_id=tenant_a.partner.pk).referentie_index
    )
    dossier_afsluiten(
        dossier=dicht.dossier,
        door=tenant_a.gebruikers["teamleider"],
        eindresultaat=Eindresultaat.NIET_OPGEPAKT_ANDERE_REDEN,
    )
    eo = {"type": "EO", "eo": {"vonnisdatum": "2026-11-01", "ontruimingsdatum": "2026-12-15"}}
    batch = [
        _uitkomst(tenant_a, "R-NIEUW", huishouden__minderjarige_kinderen=0),
        _uitkomst(tenant_a, "R-NIEUW", achterstand__bedrag="1950.00", achterstand__maanden=3, **eo),
        _uitkomst(tenant_a, "R-NIEUW", achterstand__bedrag="1950.00", achterstand__maanden=3, **eo),  # repeated
        _uitkomst(tenant_a, "R-OPEN", achterstand__bedrag="900.00", huurder__achternaam="Pietersen"),
        _uitkomst(tenant_a, "R-DICHT", achterstand__maanden=4),  # after the closed dossier: a new one
        _uitkomst(tenant_a, "R-DICHT", adres__huisnummer=12, achterstand__bedrag="1400.00"),
        _uitkomst(tenant_a, "R-AL"),  # identical to a melding stored before the batch
        _uitkomst(tenant_a, "R-ANDER", huishouden__minderjarige_kinderen=3, achterstand__herhaald=True),
    ]

    try:
        with transaction.atomic():
            los = opslaan_een_voor_een(batch)
            verwacht = _stand_van_zaken(), [(r.nieuw, r.vervolgmelding) for r in los]
            raise _Terugdraaien
    except _Terugdraaien:
        pass
    if ingepakt:
        voorbereid = _door_de_pijp(meldingen_voorbereiden(batch, partner_id=tenant_a.partner.pk), tenant_a)
        resultaten = meldingen_bulk_create(
            voorbereid=voorbereid, partner=tenant_a.partner, kanaal=Kanaal.BESTAND, door=melder
        )
    else:
        resultaten = meldingen_bulk_create(
            uitkomsten=batch, partner=tenant_a.partner, kanaal=Kanaal.BESTAND, door=melder
        )
    assert (_stand_van_zaken(), [(r.nieuw, r.vervolgmelding) for r in resultaten]) == verwacht
    assert [(r.nieuw, r.vervolgmelding) for r in resultaten] == [
        (True, False),
        (True, True),
        (False, True),
        (True, True),
        (True, False),
        (True, True),
        (False, False),
        (True, False),
    ]
    # The meldingen asked for are the stored ones, with their dossier.
    for resultaat in resultaten:
        melding = Melding.objects.select_related("dossier").get(pk=resultaat.melding.pk)
        assert resultaat.melding.dossier_id == melding.dossier_id
        assert (resultaat.melding.status, resultaat.melding.vervolgmelding) == (melding.status, melding.vervolgmelding)
    assert keten_controleren().intact
