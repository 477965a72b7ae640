"""Real Celery worker, real Redis, real SMTP sink: invitations, after-commit enqueueing, health page."""

from __future__ import annotations

import re
import time

import pytest
from django.db import transaction
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldpunt.core.models import User
from meldpunt.core.services import gebruiker_create
from meldpunt.core.tasks import heartbeat
from tests.conftest import maak_tenant
from tests.core.test_login import code
from tests.factories import OrganisatieFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_invited_user_chooses_a_password_and_sets_up_the_authenticator(client, celery_worker, mailbox, inloggen):
    platform = OrganisatieFactory(platform=True)
    beheer = UserFactory(organisatie=platform, rollen=["platformbeheer"])
    partner = OrganisatieFactory(partner=True, naam="Corporatie Uitnodiging")
    inloggen(beheer)
    response = client.post(
        reverse("core:gebruiker_create"),
        {
            "organisatie": partner.pk,
            "gebruikersnaam": "nieuwe.melder",
            "voornaam": "Nieuwe",
            "achternaam": "Melder",
            "email": "nieuwe.melder@example.nl",
            "rollen": ["partner_beheer"],  # platformbeheer creates only the first beheerder
        },
    )
    assert response.status_code == 302
    client.post(reverse("core:logout"))

    (bericht,) = mailbox.wait_for(1)
    assert bericht["To"] == "nieuwe.melder@example.nl"
    assert bericht["Subject"] == "Uitnodiging Centraal Meldpunt"
    body = bericht.get_payload(decode=True).decode()
    link = re.search(r"http://[^\s]+/account/activeren/[^\s]+", body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else "/" + path
    response = client.post(
        form_url, {"new_password1": "Een-lang-wachtwoord-42", "new_password2": "Een-lang-wachtwoord-42"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("core:login")

    response = client.post(reverse("core:login"), {"username": "nieuwe.melder", "password": "Een-lang-wachtwoord-42"})
    assert response["Location"] == reverse("core:tweede_factor_instellen")
    client.get(reverse("core:tweede_factor_instellen"))
    device = TOTPDevice.objects.get(user__username="nieuwe.melder")
    assert client.post(reverse("core:tweede_factor_instellen"), {"token": code(device)}).status_code == 302
    assert client.get(reverse("core:home")).status_code == 200

    # A used link does not work twice.
    response = client.get("/" + path, follow=True)
    assert "ongeldig of verlopen" in response.content.decode()


def test_tasks_are_enqueued_only_after_commit(celery_worker, mailbox):
    partner = OrganisatieFactory(partner=True)

    class Afgebroken(Exception):
        pass

    with pytest.raises(Afgebroken), transaction.atomic():
        gebruiker_create(
            organisatie=partner,
            gebruikersnaam="teruggedraaid",
            email="teruggedraaid@example.nl",
            voornaam="T",
            achternaam="D",
            rollen=["melder"],
        )
        raise Afgebroken
    assert not User.objects.filter(username="teruggedraaid").exists()
    gebruiker_create(
        organisatie=partner,
        gebruikersnaam="vastgelegd",
        email="vastgelegd@example.nl",
        voornaam="V",
        achternaam="L",
        rollen=["melder"],
    )
    berichten = mailbox.wait_for(1)
    time.sleep(1)  # give a wrongly enqueued second message the chance to arrive
    assert [m["To"] for m in mailbox.messages()] == ["vastgelegd@example.nl"]
    assert len(berichten) == 1


def test_status_page_shows_database_redis_worker_and_beat(client, celery_worker, inloggen):
    tenant = maak_tenant("status")
    platform = OrganisatieFactory(platform=True)
    beheer = UserFactory(organisatie=platform, rollen=["platformbeheer"])
    heartbeat.delay()
    inloggen(beheer)
    deadline = time.monotonic() + 20
    while True:
        html = client.get(reverse("core:status")).content.decode()
        rijen = dict(re.findall(r'data-controle="(\w+)">.*?<span class="mp-status-(ok|fout)"', html, re.S))
        if rijen.get("beat") == "ok" or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert rijen == {"database": "ok", "redis": "ok", "worker": "ok", "beat": "ok"}
    assert tenant.convenant.naam not in html
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200 and response.json()["status"] == "ok"
