"""The demo data command is idempotent and prints how to log in."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from convenants.models import Convenant, ConvenantParameters, ConvenantPartner
from meldingen.models import Dossier, DossierGroepRecht, Melding, Toestemming
from meldpunt.core.models import Organisatie, Rol, User

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Organisatie,
            User,
            Convenant,
            ConvenantPartner,
            ConvenantParameters,
            TOTPDevice,
            Melding,
            Dossier,
            Toestemming,
            DossierGroepRecht,
        )
    }


def test_demo_data_twice_gives_the_same_counts():
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    eerste = counts()
    call_command("demo_data", stdout=io.StringIO())
    assert counts() == eerste
    assert eerste["Convenant"] == 2
    assert eerste["Organisatie"] == 7
    # One user per role per organisation: 1 platform + 2 × (5 gemeente + 2 partner + 3 uitvoerder).
    assert eerste["User"] == 21
    assert eerste["Melding"] == 4 and eerste["Dossier"] == 4
    # One Diemen dossier carries consent for the Gemeente, so its medewerker has something to see.
    assert eerste["Toestemming"] == 1 and eerste["DossierGroepRecht"] == 2
    from meldingen.gemeente.selectors import dossier_list_voor_gemeente

    assert dossier_list_voor_gemeente(user=User.objects.get(username="gemeente_medewerker.diemen")).count() == 1
    assert dossier_list_voor_gemeente(user=User.objects.get(username="gemeente_medewerker.ouderamstel")).count() == 0
    for rol in Rol.values:
        assert User.objects.filter(rollen__contains=[rol]).exists()
    text = out.getvalue()
    assert "melder.rochdale" in text and "Meldpunt-demo-2026" in text and "totp_code" in text


def test_demo_diemen_matches_the_convenant():
    call_command("demo_data", stdout=io.StringIO())
    diemen = Convenant.objects.get(slug="diemen")
    assert diemen.gemeente.naam == "Gemeente Diemen"
    assert [p.naam for p in diemen.partners.all()] == ["Woningstichting Rochdale"]
    assert diemen.uitvoerder.naam == "MaDiZo"
    assert diemen.fg_email == "fg@diemen.nl"
    params = diemen.parameters_voor(2026)
    assert (str(params.tarief_cofinanciering), str(params.tarief_interventie)) == ("234.00", "624.00")
    ander = Convenant.objects.exclude(slug="diemen").get()
    assert {ander.gemeente_id, ander.uitvoerder_id}.isdisjoint({diemen.gemeente_id, diemen.uitvoerder_id})
    assert set(ander.partners.all()).isdisjoint(set(diemen.partners.all()))


def test_totp_code_command_prints_the_current_code():
    call_command("demo_data", stdout=io.StringIO())
    out = io.StringIO()
    call_command("totp_code", "beheer", stdout=out)
    code = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    device = TOTPDevice.objects.get(user__username="beheer")
    assert device.verify_token(code)
    with pytest.raises(CommandError):
        call_command("totp_code", "bestaat-niet")


def test_demo_data_is_refused_where_disabled(settings):
    settings.MELDPUNT_DEMO_DATA_TOEGESTAAN = False
    with pytest.raises(CommandError):
        call_command("demo_data", stdout=io.StringIO())
