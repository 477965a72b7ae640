"""The needle test: a unique marker in every personal-data field of a dossier (the field list derived from
the models' encrypted columns), destroyed by the sweep; then every table (a real pg_dump), every file under
the media root, the Logboek and the Redis broker are searched for the marker and for the dossier's
ciphertext: zero hits. What stays is the anonymous record, and the other dossier still decrypts."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import redis
import time_machine
from django.conf import settings
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from meldingen.bewaring.services import bewaarblokkade_instellen, vernietigingsronde
from meldingen.bewaring.vernietiging import versleutelde_kolommen
from meldingen.bewaring.workflow import BlokkadeGrond
from meldingen.dossiers.models import Dossier
from meldingen.intake.models import Melding
from meldpunt.privacy.crypto import SleutelVernietigd
from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.models import DataSleutel, Vernietiging, VersleuteldBestand
from tests.meldingen.bewaring.helpers import NAALD, vol_dossier

# transaction=True: pg_dump reads through its own connection, so the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


def blobs_van(dossier: Dossier) -> tuple[set[bytes], dict[str, int]]:
    """Every ciphertext of ``dossier`` and, per encrypted column, how many of its rows fill it."""
    blobs: set[bytes] = set()
    gevuld: dict[str, int] = {}
    for model, pad, binair, bestanden in versleutelde_kolommen():
        for kolom in [*binair, *bestanden]:
            waarden = [
                w
                for w in model._default_manager.filter(**{pad: dossier}).values_list(kolom, flat=True)
                if w is not None
            ]
            gevuld[f"{model._meta.label}.{kolom}"] = len(waarden)
            blobs |= {bytes(w) for w in waarden if isinstance(w, bytes | memoryview)}
    for naam, inhoud in VersleuteldBestand.objects.filter(sleutel=dossier.sleutel).values_list("naam", "inhoud"):
        blobs |= {bytes(naam), bytes(inhoud)}
    blobs.add(bytes(DataSleutel.objects.get(pk=dossier.sleutel_id).verpakte_sleutel))
    return blobs, gevuld


def pg_dump() -> str:
    instellingen = connection.settings_dict
    omgeving = {**os.environ, "PGPASSWORD": instellingen.get("PASSWORD") or ""}
    return subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "-h",
            instellingen["HOST"] or "127.0.0.1",
            "-p",
            str(instellingen["PORT"]),
            "-U",
            instellingen["USER"],
            instellingen["NAME"],
        ],
        check=True,
        capture_output=True,
        env=omgeving,
    ).stdout.decode()


def redis_inhoud() -> bytes:
    r = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    inhoud = b""
    for sleutel in r.scan_iter():
        soort = r.type(sleutel)
        if soort == b"string":
            inhoud += r.get(sleutel) or b""
        elif soort == b"list":
            inhoud += b"".join(r.lrange(sleutel, 0, -1))
        elif soort == b"hash":
            inhoud += b"".join(v for v in r.hgetall(sleutel).values())
        elif soort == b"set":
            inhoud += b"".join(r.smembers(sleutel))
        elif soort == b"zset":
            inhoud += b"".join(r.zrange(sleutel, 0, -1))
    return inhoud


def media_inhoud() -> bytes:
    root = Path(settings.MEDIA_ROOT)
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file()) if root.exists() else b""


def test_no_trace_of_the_needle_after_destruction(tenant_a, tenant_b, inloggen):
    controle = vol_dossier(tenant_b, merk="CONTROLEm8Vw")
    # The other dossier is due on the same day; a hold keeps it.
    bewaarblokkade_instellen(dossier=controle, grond=BlokkadeGrond.RECHTSZAAK, door=None, reden="Zaak 2026/1")
    naald = vol_dossier(tenant_a)
    blobs, gevuld = blobs_van(naald)
    blobs_controle, _ = blobs_van(controle)
    # The fields come from the models: every encrypted column of the meldingen app is filled for the needle
    # (a new encrypted field without a value here fails this test until it is covered).
    leeg = [kolom for kolom, aantal in gevuld.items() if kolom.startswith("meldingen.") and not aantal]
    assert leeg == [], f"vul deze versleutelde velden in vol_dossier: {leeg}"
    assert len(blobs) > 10
    assert (
        NAALD
        in Kluis(naald.sleutel).ontsleutel(naald.meldingen.get().gegevens, context=naald.meldingen.get().context)[
            "huurder"
        ]["achternaam"]
    )
    voor = {
        "nummer": naald.nummer,
        "convenant": naald.convenant_id,
        "partner": naald.partner_id,
        "type": naald.type,
        "status": naald.status,
        "eindresultaat": naald.eindresultaat,
        "afgesloten_op": naald.afgesloten_op,
        "aangemaakt_op": naald.aangemaakt_op,
        "heeft_minderjarigen": naald.heeft_minderjarigen,
    }
    assert naald.resultaat_bereikt
    melding = naald.meldingen.get()

    with time_machine.travel(naald.vernietigen_vanaf, tick=False):
        assert vernietigingsronde() == 1
        assert vernietigingsronde() == 0  # idempotent

    dump = pg_dump()
    assert NAALD not in dump and NAALD.lower() not in dump
    for blob in blobs:
        assert blob.hex() not in dump, "ciphertext of the destroyed dossier is still in the database"
    # The search would have found them: the kept dossier's ciphertexts are all in the dump.
    ontbrekend = [len(blob) for blob in blobs_controle if blob.hex() not in dump]
    assert ontbrekend == [], ontbrekend
    for bron in (media_inhoud(), redis_inhoud()):
        assert NAALD.encode() not in bron and NAALD.lower().encode() not in bron
        for blob in blobs:
            assert blob not in bron
    # The Logboek's entries stay and hold no personal data (they are in the dump as well).
    from meldpunt.audit.models import LogRegel

    assert LogRegel.objects.filter(object_id=str(naald.pk)).exists()
    assert not [r for r in LogRegel.objects.values_list() if NAALD in str(r) or NAALD.lower() in str(r)]

    # The anonymous record: the plain columns invoicing and statistics read are unchanged.
    naald.refresh_from_db()
    assert {k: getattr(naald, k if k not in ("convenant", "partner") else f"{k}_id") for k in voor} == voor
    assert naald.vernietigd_op is not None
    assert naald.resultaat_bereikt
    assert naald.achterstand_klasse == "€ 1.000 – 2.500"
    assert naald.contactpogingen.filter(bereikt=True, soort="Telefoon").count() == 1
    assert naald.referentie_index is None and naald.postcode_cijfers == 0
    with pytest.raises(SleutelVernietigd):
        Kluis(naald.sleutel)
    assert Vernietiging.objects.filter(sleutel=naald.sleutel).exists()
    melding = Melding.objects.get(pk=melding.pk)
    assert melding.gegevens is None and melding.minderjarige_kinderen == 1 and melding.achterstand_bedrag == 0

    # The other dossier is untouched and still decrypts.
    c_melding = controle.meldingen.get()
    assert "CONTROLEm8Vw" in str(Kluis(controle.sleutel).ontsleutel(c_melding.gegevens, context=c_melding.context))

    # Everywhere else: the API answers 404 and the Partner's list no longer shows it.
    from meldingen.tokens.services import api_token_create

    _, sleutel = api_token_create(organisatie=tenant_a.partner, naam="naald")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {sleutel}")
    assert api.get(f"/api/v1/meldingen/{melding.pk}/").status_code == 404
    assert str(melding.pk) not in api.get("/api/v1/meldingen/").content.decode()
    melder = inloggen(tenant_a.gebruikers["melder"])
    assert melder.get(reverse("meldingen:detail", args=[melding.pk])).status_code == 404
