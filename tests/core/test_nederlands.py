"""Every message a user can see is Dutch, including the ones Django and Django REST framework ship."""

from __future__ import annotations

import inspect

import pytest
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework import exceptions, fields, serializers

from tests.factories import UserFactory


def _foutmeldingen(klassen: list[type]) -> dict[str, object]:
    meldingen: dict[str, object] = {}
    for klasse in klassen:
        for basis in klasse.__mro__:
            for sleutel, melding in (getattr(basis, "default_error_messages", None) or {}).items():
                meldingen[f"{klasse.__name__}.{sleutel}"] = melding
    return meldingen


def _onvertaald(meldingen: dict[str, object]) -> list[str]:
    fout = []
    for naam, melding in meldingen.items():
        with translation.override("en"):
            engels = str(melding)
        with translation.override("nl"):
            nederlands = str(melding)
        if nederlands == engels and any(c.isalpha() for c in engels):
            fout.append(f"{naam}: {engels}")
    return fout


def test_the_error_messages_of_form_and_api_fields_are_dutch():
    klassen = [
        k
        for module in (forms.fields, fields, serializers)
        for k in vars(module).values()
        if inspect.isclass(k) and hasattr(k, "default_error_messages")
    ]
    meldingen = _foutmeldingen(klassen)
    meldingen["ValidationError.default_detail"] = exceptions.ValidationError.default_detail
    assert _onvertaald(meldingen) == []


@pytest.mark.django_db
def test_the_password_rules_speak_dutch():
    with translation.override("nl"):
        with pytest.raises(Exception) as exc:
            password_validation.validate_password("kort")
        berichten = exc.value.messages
    assert "Dit wachtwoord is te kort: gebruik ten minste 12 tekens." in berichten
    assert all("password" not in b.lower() for b in berichten)


@pytest.mark.django_db
def test_the_activation_page_refuses_a_short_password_in_dutch(client):
    gebruiker = UserFactory(username="nieuw.account")
    url = reverse(
        "core:account_activeren",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(gebruiker.pk)),
            "token": default_token_generator.make_token(gebruiker),
        },
    )
    formulier = client.get(url, follow=True).redirect_chain[-1][0]
    pagina = client.post(formulier, {"new_password1": "kort", "new_password2": "kort"}).content.decode()
    assert "Dit wachtwoord is te kort" in pagina
    assert "This password" not in pagina


def test_links_in_mail_point_to_the_port_bin_run_serves_on():
    import subprocess
    from pathlib import Path

    lib = Path(__file__).resolve().parents[2] / "bin" / "lib.sh"
    script = f'source "{lib}"; export_site_url 8123; printf %s "$MELDPUNT_BASE_URL"'
    assert subprocess.run(["bash", "-c", script], capture_output=True, text=True, env={}).stdout == (
        "http://127.0.0.1:8123"
    )
    # A configured address wins.
    gezet = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, env={"MELDPUNT_BASE_URL": "https://meldpunt.example.nl"}
    )
    assert gezet.stdout == "https://meldpunt.example.nl"


def test_logging_out_by_address_asks_first(client, inloggen, tenant_a):
    inloggen(tenant_a.gebruikers["melder"])
    pagina = client.get(reverse("core:logout"))
    assert pagina.status_code == 200 and "Wilt u uitloggen?" in pagina.content.decode()
    assert client.get(reverse("core:home")).status_code == 200  # still logged in
    assert client.post(reverse("core:logout"))["Location"] == reverse("core:login")
    assert client.get(reverse("core:logout"))["Location"] == reverse("core:login")


def test_bin_run_shows_the_dutch_error_pages_not_djangos_debug_pages():
    import os
    import subprocess
    import sys

    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    omgeving = {**os.environ, "DJANGO_SETTINGS_MODULE": "meldpunt.settings.dev"}
    omgeving.pop("DJANGO_DEBUG", None)
    uit = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=omgeving, check=True)
    assert uit.stdout.strip() == "False"
