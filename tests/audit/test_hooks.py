"""What the existing screens and services write to the log."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import OperationalError, transaction
from django.test import RequestFactory
from django.urls import reverse

from convenants.services import convenant_opzeggen, convenant_parameters_opslaan, convenant_update
from meldpunt.audit.models import HERKOMST_BEHEER_COMMANDO, Actie, Doel, LogRegel, Resultaat
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.services import gebruiker_create, gebruiker_update, organisatie_create
from meldpunt.core.views.errors import server_error
from tests.audit.hulp import regels
from tests.core.test_login import code
from tests.factories import WACHTWOORD, TOTPDeviceFactory, UserFactory

LOGIN = reverse("core:login")
TWEEDE = reverse("core:tweede_factor")


@pytest.fixture
def gebruiker(tenant_a):
    user = tenant_a.gebruikers["melder"]
    TOTPDeviceFactory(user=user)
    return user


# --- logging in and out ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_completed_login_is_logged(client, gebruiker):
    client.post(LOGIN, {"username": gebruiker.username, "password": WACHTWOORD})
    assert regels() == []  # the password alone is not a login
    client.post(TWEEDE, {"token": code(gebruiker.totpdevice_set.get())})
    (regel,) = regels()
    assert regel.actie == Actie.INLOGGEN and regel.resultaat == Resultaat.GELUKT
    assert (regel.gebruiker_id, regel.organisatie_id) == (gebruiker.pk, gebruiker.organisatie_id)
    assert (regel.object_type, regel.object_id) == ("core.user", str(gebruiker.pk))
    assert (regel.herkomst, regel.doel) == ("127.0.0.1", Doel.BEVEILIGING)


@pytest.mark.django_db
def test_a_wrong_password_is_logged_with_the_account_id_only(client, gebruiker):
    client.post(LOGIN, {"username": gebruiker.username, "password": "fout"}, HTTP_X_FORWARDED_FOR="203.0.113.9")
    (regel,) = regels()
    assert regel.actie == Actie.INLOGGEN_MISLUKT and regel.resultaat == Resultaat.GEWEIGERD
    assert (regel.gebruiker_id, regel.organisatie_id) == (gebruiker.pk, gebruiker.organisatie_id)
    assert regel.herkomst == "127.0.0.1"  # X-Forwarded-For is not trusted


@pytest.mark.django_db
def test_an_unknown_username_leaves_nothing_identifying(client):
    client.post(LOGIN, {"username": "jan.jansen@example.nl", "password": "fout"})
    (regel,) = regels()
    assert regel.actie == Actie.INLOGGEN_MISLUKT
    assert (regel.gebruiker_id, regel.organisatie_id, regel.object_type, regel.object_id) == (None, None, "", "")
    waarden = " ".join(str(v) for v in LogRegel.objects.values().get(pk=regel.pk).values())
    assert "jansen" not in waarden


@pytest.mark.django_db
def test_a_wrong_code_is_logged(client, gebruiker):
    client.post(LOGIN, {"username": gebruiker.username, "password": WACHTWOORD})
    device = gebruiker.totpdevice_set.get()
    client.post(TWEEDE, {"token": f"{(int(code(device)) + 1) % 1_000_000:06d}"})
    (regel,) = regels()
    assert (regel.actie, regel.gebruiker_id) == (Actie.INLOGGEN_MISLUKT, gebruiker.pk)


@pytest.mark.django_db
def test_attempts_during_a_lockout_are_logged_once_each(client, gebruiker):
    for _ in range(6):
        client.post(LOGIN, {"username": gebruiker.username, "password": "fout"})
    assert [r.actie for r in regels()] == [Actie.INLOGGEN_MISLUKT] * 6
    assert {r.gebruiker_id for r in regels()} == {gebruiker.pk}


@pytest.mark.django_db
def test_logout_is_logged(client, inloggen, gebruiker):
    inloggen(gebruiker)
    client.post(reverse("core:logout"))
    (regel,) = regels()
    assert (regel.actie, regel.gebruiker_id, regel.herkomst) == (Actie.UITLOGGEN, gebruiker.pk, "127.0.0.1")


# --- refusals -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_403_is_logged_as_refused(client, inloggen, tenant_a):
    melder = tenant_a.gebruikers["melder"]
    inloggen(melder)
    assert client.get(reverse("audit:list")).status_code == 403
    (regel,) = regels()
    assert (regel.actie, regel.resultaat) == (Actie.AUTORISATIE_GEWEIGERD, Resultaat.GEWEIGERD)
    assert (regel.gebruiker_id, regel.organisatie_id) == (melder.pk, melder.organisatie_id)
    assert (regel.object_type, regel.object_id, regel.herkomst) == ("url:audit:list", "", "127.0.0.1")


@pytest.mark.django_db
def test_probing_another_organisations_object_is_logged(client, inloggen, tenant_a, tenant_b):
    beheer = tenant_a.gebruikers["partner_beheer"]
    ander = tenant_b.gebruikers["melder"]
    inloggen(beheer)
    assert client.get(reverse("core:gebruiker_detail", args=[ander.pk])).status_code == 404
    (regel,) = regels()
    assert (regel.actie, regel.resultaat, regel.gebruiker_id) == (
        Actie.AUTORISATIE_GEWEIGERD,
        Resultaat.GEWEIGERD,
        beheer.pk,
    )
    assert (regel.object_type, regel.object_id) == ("url:core:gebruiker_detail", str(ander.pk))
    assert regel.convenant_id is None  # nothing of the other organisation is looked up


@pytest.mark.django_db
def test_an_anonymous_404_is_not_logged(client):
    assert client.get("/bestaat-niet/").status_code in (302, 404)
    assert client.get("/inloggen/bestaat-niet/").status_code in (302, 404)
    assert regels() == []


@pytest.mark.django_db
def test_a_url_that_matches_no_view_is_not_logged(client, inloggen, tenant_a):
    inloggen(tenant_a.gebruikers["fg"])
    assert client.get("/favicon.ico").status_code == 404
    assert regels() == []


@pytest.mark.django_db
def test_the_error_page_survives_a_failing_log(client, inloggen, tenant_a):
    inloggen(tenant_a.gebruikers["melder"])
    with mock.patch("meldpunt.core.views.errors.logregel_create", side_effect=OperationalError("weg")):
        response = client.get(reverse("audit:list"))
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()


def test_the_500_page_touches_no_database():
    # No django_db mark: any database access here would fail the test.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500


# --- services -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_service_change_is_logged_in_its_own_transaction(tenant_a):
    melder = tenant_a.gebruikers["melder"]
    beheer = tenant_a.gebruikers["partner_beheer"]

    class Terugdraaien(Exception):
        pass

    with pytest.raises(Terugdraaien), transaction.atomic():
        gebruiker_update(
            gebruiker=melder,
            email="nieuw@example.nl",
            voornaam="Test",
            achternaam="Melder",
            rollen=["melder"],
            actief=True,
            door=beheer,
        )
        assert [r.actie for r in regels()] == [Actie.WIJZIGEN, Actie.WIJZIGEN]
        raise Terugdraaien
    melder.refresh_from_db()
    assert melder.email != "nieuw@example.nl"
    assert regels() == []

    gebruiker_update(
        gebruiker=melder,
        email="nieuw@example.nl",
        voornaam="Test",
        achternaam="Melder",
        rollen=["melder"],
        actief=True,
        door=beheer,
    )
    # Once without a convenant and once for the convenant of the organisation (its FG sees it).
    zonder, met = regels()
    assert (zonder.convenant_id, met.convenant_id) == (None, tenant_a.convenant.pk)
    for regel in (zonder, met):
        assert (regel.actie, regel.object_type, regel.object_id) == (Actie.WIJZIGEN, "core.user", str(melder.pk))
        assert (regel.gebruiker_id, regel.organisatie_id) == (beheer.pk, beheer.organisatie_id)
        assert (regel.doel, regel.herkomst) == (Doel.GEBRUIKERSBEHEER, "")


@pytest.mark.django_db
def test_a_refused_service_call_logs_nothing(tenant_a):
    with pytest.raises(ApplicationError):
        gebruiker_update(
            gebruiker=tenant_a.gebruikers["melder"],
            email="geen-adres",
            voornaam="Test",
            achternaam="Melder",
            rollen=["melder"],
            actief=True,
            door=tenant_a.gebruikers["fg"],
        )
    assert regels() == []


@pytest.mark.django_db
def test_a_change_without_actor_comes_from_a_management_command():
    organisatie = organisatie_create(naam="Gemeente Proef", type="gemeente")
    gebruiker = gebruiker_create(
        organisatie=organisatie,
        gebruikersnaam="fg.proef",
        email="fg@proef.nl",
        voornaam="Proef",
        achternaam="Functionaris",
        rollen=["fg"],
        uitnodigen=False,
    )
    eerste, tweede = regels()
    assert (eerste.actie, eerste.object_type, eerste.object_id) == (
        Actie.AANMAKEN,
        "core.organisatie",
        str(organisatie.pk),
    )
    assert (tweede.actie, tweede.object_type, tweede.object_id) == (Actie.AANMAKEN, "core.user", str(gebruiker.pk))
    for regel in (eerste, tweede):
        assert (regel.gebruiker_id, regel.organisatie_id, regel.herkomst) == (None, None, HERKOMST_BEHEER_COMMANDO)


@pytest.mark.django_db
def test_a_change_through_the_screens_records_the_client_address(client, inloggen, tenant_a):
    melder = tenant_a.gebruikers["melder"]
    beheer = tenant_a.gebruikers["partner_beheer"]
    inloggen(beheer)
    response = client.post(
        reverse("core:gebruiker_detail", args=[melder.pk]),
        {"voornaam": "Test", "achternaam": "Melder", "email": "m@example.nl", "rollen": ["melder"], "actief": "on"},
        REMOTE_ADDR="192.0.2.15",
    )
    assert response.status_code == 302
    assert len(regels()) == 2
    for regel in regels():
        assert (regel.actie, regel.gebruiker_id, regel.herkomst) == (Actie.WIJZIGEN, beheer.pk, "192.0.2.15")


@pytest.mark.django_db
def test_convenant_changes_carry_the_convenant(tenant_a, platformbeheerder):
    convenant = tenant_a.convenant
    convenant_update(
        convenant=convenant,
        naam="Convenant alfa (gewijzigd)",
        uitvoerder=tenant_a.uitvoerder,
        partners=[tenant_a.partner],
        fg_email="fg@alfa.nl",
        looptijd_maanden=12,
        stilzwijgend_verlengen=True,
        verlenging_maanden=12,
        opzegtermijn_maanden=3,
        door=platformbeheerder,
    )
    volgend_jaar = dt.date.today().year + 1
    convenant_parameters_opslaan(convenant=convenant, jaar=volgend_jaar, waarden={}, door=platformbeheerder)
    convenant_parameters_opslaan(
        convenant=convenant, jaar=volgend_jaar, waarden={"tarief_interventie": "700.00"}, door=platformbeheerder
    )
    convenant_opzeggen(convenant=convenant, opgezegd_op=dt.date.today(), door=platformbeheerder)
    gelogd = regels()
    assert [(r.actie, r.object_type) for r in gelogd] == [
        (Actie.WIJZIGEN, "convenants.convenant"),
        (Actie.AANMAKEN, "convenants.convenantparameters"),
        (Actie.WIJZIGEN, "convenants.convenantparameters"),
        (Actie.WIJZIGEN, "convenants.convenant"),
    ]
    assert {r.convenant_id for r in gelogd} == {convenant.pk}
    assert {r.doel for r in gelogd} == {Doel.CONVENANTBEHEER}


@pytest.mark.django_db
def test_setting_up_the_authenticator_is_logged(client):
    nieuw = UserFactory(username="nieuw.account")
    client.post(LOGIN, {"username": "nieuw.account", "password": WACHTWOORD})
    client.get(reverse("core:tweede_factor_instellen"))
    device = nieuw.totpdevice_set.get()
    client.post(reverse("core:tweede_factor_instellen"), {"token": code(device)})
    assert [(r.actie, r.object_type) for r in regels()] == [
        (Actie.AANMAKEN, "otp_totp.totpdevice"),
        (Actie.WIJZIGEN, "otp_totp.totpdevice"),
        (Actie.INLOGGEN, "core.user"),
    ]
    assert {r.gebruiker_id for r in regels()} == {nieuw.pk}
