"""Envelope encryption: round trip, tampering, context binding, shredding and master-key rotation."""

from __future__ import annotations

import base64
import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meldpunt.core.exceptions import ApplicationError
from meldpunt.privacy import crypto
from meldpunt.privacy.keys import _parse
from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.models import BlindeIndex, DataSleutel, Vernietiging, VersleuteldBestand
from meldpunt.privacy.services import (
    blinde_indexen_zetten,
    datasleutel_create,
    datasleutel_vernietigen,
    datasleutels_herverpakken,
    sleutelstatus,
    versleuteld_bestand_create,
    versleuteld_bestand_lezen,
)
from tests.persoonsgegevens import ACHTERNAAM, huurder

pytestmark = pytest.mark.django_db


def nieuwe_master() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def test_round_trip_and_ciphertext_holds_no_plaintext():
    sleutel = datasleutel_create(doel="dossier")
    kluis = Kluis(sleutel)
    blob = kluis.versleutel(huurder(), context="test:1:huurder")
    assert ACHTERNAAM.encode() not in blob
    assert kluis.ontsleutel(blob, context="test:1:huurder") == huurder()
    # Same plaintext twice gives different ciphertexts (random nonce).
    assert kluis.versleutel(huurder(), context="test:1:huurder") != blob
    # Reloaded from the database, the key still opens it.
    assert Kluis(DataSleutel.objects.get(pk=sleutel.pk)).ontsleutel(blob, context="test:1:huurder") == huurder()


@pytest.mark.parametrize("positie", [0, 1, 5, 13, 20, -1])
def test_a_flipped_byte_fails_to_decrypt(positie):
    kluis = Kluis(datasleutel_create(doel="dossier"))
    blob = bytearray(kluis.versleutel(huurder(), context="ctx"))
    blob[positie] ^= 0x01
    with pytest.raises(crypto.OntsleutelFout):
        kluis.ontsleutel(bytes(blob), context="ctx")


def test_ciphertext_is_bound_to_its_context_and_key():
    kluis = Kluis(datasleutel_create(doel="dossier"))
    andere = Kluis(datasleutel_create(doel="dossier"))
    blob = kluis.versleutel("geheim", context="meldingen.melding:1:naam")
    with pytest.raises(crypto.OntsleutelFout):
        kluis.ontsleutel(blob, context="meldingen.melding:2:naam")
    with pytest.raises(crypto.OntsleutelFout):
        andere.ontsleutel(blob, context="meldingen.melding:1:naam")
    with pytest.raises(crypto.OntsleutelFout):
        kluis.ontsleutel(b"\x02" + blob[1:], context="meldingen.melding:1:naam")
    with pytest.raises(crypto.OntsleutelFout):
        kluis.ontsleutel(b"kort", context="meldingen.melding:1:naam")


def test_wrapped_key_cannot_be_moved_to_another_row():
    a = datasleutel_create(doel="dossier")
    b = datasleutel_create(doel="dossier")
    DataSleutel.objects.filter(pk=b.pk).update(verpakte_sleutel=a.verpakte_sleutel)
    with pytest.raises(crypto.OntsleutelFout):
        Kluis(DataSleutel.objects.get(pk=b.pk))


def test_a_stored_file_reads_back_the_same_whether_its_content_is_loaded_or_fetched_in_binary():
    sleutel = datasleutel_create(doel="bestandsupload")
    inhoud = os.urandom(3 * 1024 * 1024) + bytes(range(256))  # every byte value, megabytes long
    bestand = versleuteld_bestand_create(
        sleutel=sleutel, soort="upload", naam="meldingen €.csv", mime="text/csv", inhoud=inhoud
    )
    opgeslagen = VersleuteldBestand.objects.get(pk=bestand.pk)
    assert (opgeslagen.sleutel_id, opgeslagen.soort, opgeslagen.mime, opgeslagen.grootte) == (
        sleutel.pk,
        "upload",
        "text/csv",
        len(inhoud),
    )
    assert opgeslagen.aangemaakt_op == bestand.aangemaakt_op
    assert bytes(opgeslagen.inhoud) == bytes(bestand.inhoud) and inhoud not in bytes(opgeslagen.inhoud)
    assert versleuteld_bestand_lezen(bestand) == ("meldingen €.csv", inhoud)
    assert versleuteld_bestand_lezen(opgeslagen) == ("meldingen €.csv", inhoud)
    zonder_inhoud = VersleuteldBestand.objects.defer("inhoud").get(pk=bestand.pk)
    with CaptureQueriesContext(connection) as queries:
        assert versleuteld_bestand_lezen(zonder_inhoud) == ("meldingen €.csv", inhoud)
    assert not any('"inhoud"' in query["sql"] for query in queries)  # not loaded as text by the ORM


def test_shredding_makes_the_data_unreadable_and_is_recorded():
    sleutel = datasleutel_create(doel="dossier")
    blob = Kluis(sleutel).versleutel(huurder(), context="ctx")
    bestand = versleuteld_bestand_create(
        sleutel=sleutel,
        soort="rapportage_pdf",
        naam="rapportage-zwaluwstaart.pdf",
        mime="application/pdf",
        inhoud=b"%PDF",
    )
    assert versleuteld_bestand_lezen(bestand) == ("rapportage-zwaluwstaart.pdf", b"%PDF")
    blinde_indexen_zetten(sleutel=sleutel, indexen={"naam_geboortedatum": ["abc"], "postcode_huisnummer": ["def"]})

    vernietiging = datasleutel_vernietigen(
        sleutel=sleutel, reden="bewaartermijn verstreken", omschrijving="persoonsgegevens dossier D-1"
    )
    sleutel.refresh_from_db()
    assert sleutel.vernietigd and sleutel.verpakte_sleutel is None and sleutel.master_versie is None
    with pytest.raises(crypto.SleutelVernietigd):
        Kluis(sleutel).ontsleutel(blob, context="ctx")
    assert not VersleuteldBestand.objects.filter(sleutel=sleutel).exists()
    assert not BlindeIndex.objects.filter(sleutel=sleutel).exists()
    assert (vernietiging.aantal_bestanden, vernietiging.aantal_blinde_indexen) == (1, 2)
    assert ACHTERNAAM not in Vernietiging.objects.get().omschrijving
    with pytest.raises(ApplicationError):
        datasleutel_vernietigen(sleutel=sleutel, reden="x", omschrijving="x")
    with pytest.raises(ApplicationError):
        blinde_indexen_zetten(sleutel=sleutel, indexen={"x": ["y"]})


def test_rotation_rewraps_every_live_key(settings):
    oud = settings.MELDPUNT_MASTER_KEYS
    sleutels = [datasleutel_create(doel="dossier") for _ in range(7)]
    blobs = [Kluis(s).versleutel({"i": i}, context=f"ctx{i}") for i, s in enumerate(sleutels)]
    datasleutel_vernietigen(sleutel=sleutels[0], reden="test", omschrijving="test")
    assert sleutelstatus() == {1: 6}

    settings.MELDPUNT_MASTER_KEYS = f"2:{nieuwe_master()},{oud}"
    # During the rotation both versions decrypt.
    assert Kluis(DataSleutel.objects.get(pk=sleutels[1].pk)).ontsleutel(blobs[1], context="ctx1") == {"i": 1}
    assert datasleutels_herverpakken(batch=4) == 6
    assert sleutelstatus() == {2: 6}
    assert datasleutels_herverpakken() == 0

    settings.MELDPUNT_MASTER_KEYS = settings.MELDPUNT_MASTER_KEYS.split(",")[0]  # old master key destroyed
    for i, sleutel in enumerate(sleutels[1:], start=1):
        assert Kluis(DataSleutel.objects.get(pk=sleutel.pk)).ontsleutel(blobs[i], context=f"ctx{i}") == {"i": i}


def test_a_key_under_a_destroyed_master_key_cannot_be_opened(settings):
    sleutel = datasleutel_create(doel="dossier")
    settings.MELDPUNT_MASTER_KEYS = f"9:{nieuwe_master()}"
    with pytest.raises(crypto.OntsleutelFout, match="niet \\(meer\\) geconfigureerd"):
        Kluis(DataSleutel.objects.get(pk=sleutel.pk))


@pytest.mark.parametrize(
    "configuratie",
    ["", "zonder-versie", "1:geen base64!", "1:" + base64.b64encode(b"kort").decode(), "1:{k},1:{k}", "x:{k}"],
)
def test_bad_master_key_configuration_is_refused(configuratie):
    sleutel = base64.b64encode(os.urandom(32)).decode()
    with pytest.raises(ImproperlyConfigured):
        _parse(configuratie.format(k=sleutel))


def test_first_master_key_is_current():
    a, b = nieuwe_master(), nieuwe_master()
    bos = _parse(f"3:{a}, 2:{b}")
    assert bos.huidige_versie == 3 and set(bos.sleutels) == {2, 3}
