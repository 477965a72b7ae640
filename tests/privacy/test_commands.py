"""Management commands of the privacy core."""

from __future__ import annotations

import base64
import io

import pytest
from django.core.management import call_command

from meldpunt.privacy.services import datasleutel_create, sleutelstatus

pytestmark = pytest.mark.django_db


def test_rotation_command_reports_and_tells_when_the_old_key_can_go(settings):
    for _ in range(3):
        datasleutel_create(doel="dossier")
    oud = settings.MELDPUNT_MASTER_KEYS
    out = io.StringIO()
    call_command("sleutels_roteren", "--status", stdout=out)
    assert "versie 1: 3 levende datasleutel(s)" in out.getvalue()
    nieuw = io.StringIO()
    call_command("sleutel_genereren", stdout=nieuw)
    sleutel = nieuw.getvalue().strip()
    assert len(base64.b64decode(sleutel)) == 32
    settings.MELDPUNT_MASTER_KEYS = f"2:{sleutel},{oud}"
    out = io.StringIO()
    call_command("sleutels_roteren", "--batch", "2", stdout=out)
    tekst = out.getvalue()
    assert "3 datasleutel(s) opnieuw verpakt met hoofdsleutel versie 2" in tekst
    assert "Hoofdsleutel versie 1 wordt niet meer gebruikt" in tekst
    assert sleutelstatus() == {2: 3}


def test_no_admin_is_mounted(client):
    assert client.get("/admin/").status_code in (302, 404)
