"""The operator cannot take over an account (issue: platformbeheer reads personal data through a user it
creates or changes). Each test reproduces one step of the attack and checks it is refused or held for the
organisation's own beheerder."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldpunt.audit.models import LogRegel
from meldpunt.audit.selectors import logregel_list
from meldpunt.core.accountwijziging import accountwijziging_aanvragen, accountwijziging_goedkeuren
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import AccountWijziging, AccountWijzigingSoort, AccountWijzigingStatus, User
from meldpunt.core.services import gebruiker_create, gebruiker_tweede_factor_resetten, gebruiker_update
from tests.factories import OrganisatieFactory, TOTPDeviceFactory

pytestmark = pytest.mark.django_db


def _nieuw(organisatie, rollen, door, naam="indringer"):
    return gebruiker_create(
        organisatie=organisatie,
        gebruikersnaam=naam,
        email=f"{naam}@aanvaller.example",
        voornaam="I",
        achternaam="N",
        rollen=rollen,
        door=door,
    )


@pytest.mark.parametrize("rol", ["hulpverlener", "teamleider", "uitvoerder_beheer"])
def test_platformbeheer_cannot_create_a_hulpverlener_in_an_uitvoerder_with_a_beheerder(
    tenant_a, platformbeheerder, rol
):
    with pytest.raises(ApplicationError) as exc:
        _nieuw(tenant_a.uitvoerder, [rol], platformbeheerder)
    assert "eerste beheerder" in exc.value.message
    assert not User.objects.filter(username="indringer").exists()


def test_platformbeheer_creates_only_the_first_beheerder(platformbeheerder):
    gemeente = OrganisatieFactory(gemeente=True)
    with pytest.raises(ApplicationError):
        _nieuw(gemeente, ["fg"], platformbeheerder)
    with pytest.raises(ApplicationError):
        _nieuw(gemeente, ["gemeente_beheer", "fg"], platformbeheerder)
    eerste = _nieuw(gemeente, ["gemeente_beheer"], platformbeheerder, naam="eerste")
    assert eerste.rollen == ["gemeente_beheer"]
    with pytest.raises(ApplicationError):
        _nieuw(gemeente, ["gemeente_beheer"], platformbeheerder, naam="tweede")
    # The beheerder of the gemeente creates the others.
    assert _nieuw(gemeente, ["fg"], eerste, naam="fg.nieuw").rollen == ["fg"]


def test_each_organisation_type_has_its_own_beheerder(tenant_a, tenant_b):
    for rol, org in (("uitvoerder_beheer", tenant_a.uitvoerder), ("gemeente_beheer", tenant_a.gemeente)):
        beheer = tenant_a.gebruikers[rol]
        assert _nieuw(org, [org.toegestane_rollen[0]], beheer, naam=f"nieuw.{rol}").organisatie == org
        with pytest.raises(ApplicationError):
            _nieuw(tenant_b.organisatie_van(rol), [org.toegestane_rollen[0]], beheer, naam=f"ander.{rol}")
        with pytest.raises(ApplicationError):
            _nieuw(tenant_a.partner, ["melder"], beheer, naam=f"partner.{rol}")


def test_email_change_by_platformbeheer_waits_for_the_organisations_approval(tenant_a, platformbeheerder):
    hulpverlener = tenant_a.gebruikers["hulpverlener"]
    oud = hulpverlener.email
    gebruiker_update(
        gebruiker=hulpverlener,
        email="overname@aanvaller.example",
        voornaam="H",
        achternaam="V",
        rollen=["hulpverlener", "teamleider"],
        actief=True,
        door=platformbeheerder,
    )
    hulpverlener.refresh_from_db()
    assert hulpverlener.email == oud and hulpverlener.rollen == ["hulpverlener"]
    email, rollen = AccountWijziging.objects.filter(gebruiker=hulpverlener).order_by("soort")
    assert (email.soort, email.nieuwe_email, email.status) == ("email", "overname@aanvaller.example", "aangevraagd")
    assert rollen.nieuwe_rollen == ["hulpverlener", "teamleider"]
    # Platformbeheer cannot approve its own request, nor can another organisation's beheerder.
    for door in (platformbeheerder, tenant_a.gebruikers["partner_beheer"], tenant_a.gebruikers["teamleider"]):
        with pytest.raises(ApplicationError):
            accountwijziging_goedkeuren(wijziging=email, door=door)
    accountwijziging_goedkeuren(wijziging=email, door=tenant_a.gebruikers["uitvoerder_beheer"])
    hulpverlener.refresh_from_db()
    assert hulpverlener.email == "overname@aanvaller.example"
    with pytest.raises(ApplicationError):
        accountwijziging_goedkeuren(wijziging=email, door=tenant_a.gebruikers["uitvoerder_beheer"])


def test_second_factor_reset_by_platformbeheer_waits_for_approval(client, inloggen, tenant_a, platformbeheerder):
    fg = tenant_a.gebruikers["fg"]
    TOTPDeviceFactory(user=fg)
    assert gebruiker_tweede_factor_resetten(gebruiker=fg, door=platformbeheerder) is False
    assert TOTPDevice.objects.filter(user=fg).exists()
    wijziging = AccountWijziging.objects.get(gebruiker=fg, soort=AccountWijzigingSoort.TWEEDE_FACTOR)

    inloggen(tenant_a.gebruikers["gemeente_beheer"])
    lijst = client.get(reverse("core:accountwijziging_list")).content.decode()
    assert fg.username in lijst and "Goedkeuren" in lijst
    response = client.post(reverse("core:accountwijziging_beoordelen", args=[wijziging.pk, "afwijzen"]))
    assert response.status_code == 302
    wijziging.refresh_from_db()
    assert wijziging.status == AccountWijzigingStatus.AFGEWEZEN
    assert TOTPDevice.objects.filter(user=fg).exists()

    gebruiker_tweede_factor_resetten(gebruiker=fg, door=platformbeheerder)
    nieuwe = AccountWijziging.objects.get(gebruiker=fg, status=AccountWijzigingStatus.AANGEVRAAGD)
    client.post(reverse("core:accountwijziging_beoordelen", args=[nieuwe.pk, "goedkeuren"]))
    assert not TOTPDevice.objects.filter(user=fg).exists()


def test_the_browser_shows_that_the_change_waits(client, inloggen, tenant_a, platformbeheerder):
    melder = tenant_a.gebruikers["melder"]
    inloggen(platformbeheerder)
    response = client.post(
        reverse("core:gebruiker_detail", args=[melder.pk]),
        {"voornaam": "M", "achternaam": "D", "email": "x@aanvaller.example", "rollen": ["melder"], "actief": "on"},
        follow=True,
    )
    assert "pas in als de beheerder" in response.content.decode()
    response = client.post(reverse("core:gebruiker_actie", args=[melder.pk, "tweede-factor-resetten"]), follow=True)
    assert "wacht op goedkeuring" in response.content.decode()
    lijst = client.get(reverse("core:accountwijziging_list")).content.decode()
    assert "x@aanvaller.example" in lijst and "Goedkeuren" not in lijst
    wijziging = AccountWijziging.objects.filter(gebruiker=melder).first()
    client.post(reverse("core:accountwijziging_beoordelen", args=[wijziging.pk, "goedkeuren"]))
    wijziging.refresh_from_db()
    assert wijziging.status == AccountWijzigingStatus.AANGEVRAAGD
    response = client.post(reverse("core:accountwijziging_beoordelen", args=[wijziging.pk, "onzin"]), follow=True)
    assert "Onbekende actie" in response.content.decode()


def test_another_organisations_request_answers_404(client, inloggen, tenant_a, tenant_b, platformbeheerder):
    wijziging = accountwijziging_aanvragen(
        gebruiker=tenant_b.gebruikers["melder"], door=platformbeheerder, soort="email", nieuwe_email="a@b.nl"
    )
    inloggen(tenant_a.gebruikers["partner_beheer"])
    url = reverse("core:accountwijziging_beoordelen", args=[wijziging.pk, "goedkeuren"])
    assert client.post(url).status_code == 404
    assert "a@b.nl" not in client.get(reverse("core:accountwijziging_list")).content.decode()


def test_a_request_needs_a_beheerder_to_approve_it(platformbeheerder):
    partner = OrganisatieFactory(partner=True)
    melder = gebruiker_create(
        organisatie=partner, gebruikersnaam="m", email="m@x.nl", voornaam="m", achternaam="m", rollen=["melder"]
    )
    with pytest.raises(ApplicationError):
        accountwijziging_aanvragen(gebruiker=melder, door=platformbeheerder, soort="email", nieuwe_email="n@x.nl")
    with pytest.raises(ApplicationError):
        accountwijziging_aanvragen(gebruiker=melder, door=melder, soort="email", nieuwe_email="n@x.nl")


def test_account_changes_are_in_the_logboek_of_every_fg_of_the_organisations_convenants(tenant_a, platformbeheerder):
    beheer = tenant_a.gebruikers["uitvoerder_beheer"]
    nieuw = _nieuw(tenant_a.uitvoerder, ["hulpverlener"], beheer, naam="nieuwe.hulpverlener")
    accountwijziging_aanvragen(gebruiker=nieuw, door=platformbeheerder, soort="tweede_factor")
    zichtbaar = logregel_list(user=tenant_a.gebruikers["fg"])
    assert zichtbaar.filter(object_type="core.user", object_id=str(nieuw.pk), gebruiker=beheer).exists()
    assert zichtbaar.filter(object_type="core.accountwijziging", gebruiker=platformbeheerder).exists()
    assert LogRegel.objects.filter(object_type="core.user", object_id=str(nieuw.pk)).count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_the_organisations_beheerders_are_mailed(tenant_a, platformbeheerder, celery_worker, mailbox):
    accountwijziging_aanvragen(
        gebruiker=tenant_a.gebruikers["hulpverlener"], door=platformbeheerder, soort="email", nieuwe_email="n@x.nl"
    )
    (bericht,) = mailbox.wait_for(1)
    assert bericht["To"] == tenant_a.gebruikers["uitvoerder_beheer"].email
    body = bericht.get_payload(decode=True).decode()
    assert "hulpverlener.alfa" in body and "n@x.nl" not in body
