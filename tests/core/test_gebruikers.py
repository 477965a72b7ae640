"""User management by platformbeheer and partner_beheer."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Organisatie, User
from meldpunt.core.services import gebruiker_create, gebruiker_update, organisatie_create, organisatie_update
from tests.factories import OrganisatieFactory, TOTPDeviceFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_roles_must_fit_the_organisation(tenant_a):
    with pytest.raises(ApplicationError) as exc:
        gebruiker_create(
            organisatie=tenant_a.partner,
            gebruikersnaam="x",
            email="x@example.nl",
            voornaam="X",
            achternaam="Y",
            rollen=["hulpverlener"],
        )
    assert "rollen" in exc.value.extra
    with pytest.raises(ApplicationError) as exc:
        gebruiker_create(
            organisatie=tenant_a.partner, gebruikersnaam="x", email="x", voornaam="X", achternaam="Y", rollen=[]
        )
    assert {"rollen", "email"} <= set(exc.value.extra)
    assert not User.objects.filter(username="x").exists()


def test_partner_beheer_manages_only_its_own_organisation(tenant_a, tenant_b):
    beheer = tenant_a.gebruikers["partner_beheer"]
    nieuw = gebruiker_create(
        organisatie=tenant_a.partner,
        gebruikersnaam="nieuwe.melder",
        email="nieuw@example.nl",
        voornaam="Nieuwe",
        achternaam="Melder",
        rollen=["melder"],
        door=beheer,
    )
    assert nieuw.groups.filter(pk=tenant_a.partner.groep_id).exists()
    assert not nieuw.has_usable_password()
    with pytest.raises(ApplicationError):
        gebruiker_create(
            organisatie=tenant_b.partner,
            gebruikersnaam="indringer",
            email="i@example.nl",
            voornaam="I",
            achternaam="I",
            rollen=["melder"],
            door=beheer,
        )
    with pytest.raises(ApplicationError):
        gebruiker_update(
            gebruiker=tenant_b.gebruikers["melder"],
            email="x@example.nl",
            voornaam="x",
            achternaam="x",
            rollen=["melder"],
            actief=False,
            door=beheer,
        )


def test_cannot_lock_yourself_out(tenant_a):
    beheer = tenant_a.gebruikers["partner_beheer"]
    with pytest.raises(ApplicationError) as exc:
        gebruiker_update(
            gebruiker=beheer,
            email=beheer.email,
            voornaam="a",
            achternaam="b",
            rollen=["melder"],
            actief=False,
            door=beheer,
        )
    assert {"actief", "rollen"} <= set(exc.value.extra)


def test_partner_beheer_creates_a_user_in_the_browser(client, inloggen, tenant_a, tenant_b):
    inloggen(tenant_a.gebruikers["partner_beheer"])
    form = client.get(reverse("core:gebruiker_create")).content.decode()
    assert "Hulpverlener" not in form and tenant_b.partner.naam not in form
    response = client.post(
        reverse("core:gebruiker_create"),
        {
            "organisatie": tenant_a.partner.pk,
            "gebruikersnaam": "melder2",
            "voornaam": "Tweede",
            "achternaam": "Melder",
            "email": "melder2@example.nl",
            "rollen": ["melder"],
        },
    )
    assert response.status_code == 302
    # Another organisation cannot be chosen.
    response = client.post(
        reverse("core:gebruiker_create"),
        {
            "organisatie": tenant_b.partner.pk,
            "gebruikersnaam": "melder3",
            "voornaam": "Derde",
            "achternaam": "Melder",
            "email": "melder3@example.nl",
            "rollen": ["melder"],
        },
    )
    assert response.status_code == 400
    assert not User.objects.filter(username="melder3").exists()
    lijst = client.get(reverse("core:gebruiker_list")).content.decode()
    assert "melder2" in lijst and tenant_b.gebruikers["melder"].username not in lijst


def test_reset_second_factor(client, inloggen, platformbeheerder, tenant_a):
    user = tenant_a.gebruikers["melder"]
    TOTPDeviceFactory(user=user)
    inloggen(tenant_a.gebruikers["partner_beheer"])
    client.post(reverse("core:gebruiker_actie", args=[user.pk, "tweede-factor-resetten"]))
    assert not TOTPDevice.objects.filter(user=user).exists()
    response = client.post(reverse("core:gebruiker_actie", args=[user.pk, "onzin"]), follow=True)
    assert "Onbekende actie" in response.content.decode()


def test_edit_user_in_the_browser(client, inloggen, tenant_a):
    inloggen(tenant_a.gebruikers["partner_beheer"])
    melder = tenant_a.gebruikers["melder"]
    url = reverse("core:gebruiker_detail", args=[melder.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"voornaam": "A", "achternaam": "B", "email": "ab@example.nl", "rollen": ["melder", "partner_beheer"]}
    )
    assert response.status_code == 302
    melder.refresh_from_db()
    assert melder.rollen == ["melder", "partner_beheer"] and not melder.is_active
    response = client.post(url, {"voornaam": "A", "achternaam": "B", "email": "ab@example.nl", "rollen": ["fg"]})
    assert response.status_code == 400


def test_organisations(client, inloggen, platformbeheerder):
    inloggen(platformbeheerder)
    response = client.post(
        reverse("core:organisatie_create"), {"naam": "Gemeente Weesp", "slug": "weesp", "type": "gemeente"}
    )
    assert response.status_code == 302
    org = Organisatie.objects.get(slug="weesp")
    assert org.groep.name == "organisatie:weesp"
    response = client.post(
        reverse("core:organisatie_create"), {"naam": "gemeente weesp", "slug": "weesp", "type": "gemeente"}
    )
    assert response.status_code == 400
    assert "al een organisatie met deze naam" in response.content.decode()
    user = UserFactory(organisatie=org, rollen=["fg"])
    response = client.post(reverse("core:organisatie_detail", args=[org.pk]), {"naam": "Gemeente Weesp"})
    assert response.status_code == 302
    org.refresh_from_db()
    user.refresh_from_db()
    assert not org.actief and not user.is_active
    assert "Organisaties" in client.get(reverse("core:organisatie_list")).content.decode()


def test_only_platformbeheer_creates_organisations(tenant_a):
    with pytest.raises(ApplicationError):
        organisatie_create(naam="X", type="partner", door=tenant_a.gebruikers["partner_beheer"])
    with pytest.raises(ApplicationError):
        organisatie_update(organisatie=tenant_a.partner, naam="X", actief=True, door=tenant_a.gebruikers["melder"])
    with pytest.raises(ApplicationError) as exc:
        organisatie_create(naam=" ", type="onbekend")
    assert {"naam", "type"} <= set(exc.value.extra)


def test_search_users(client, inloggen, platformbeheerder, tenant_a):
    inloggen(platformbeheerder)
    html = client.get(reverse("core:gebruiker_list"), {"zoek": "melder.alfa"}).content.decode()
    assert "melder.alfa" in html and "fg.alfa" not in html


def test_inactive_organisation_gets_no_new_users():
    org = OrganisatieFactory(inactief=True)
    with pytest.raises(ApplicationError) as exc:
        gebruiker_create(
            organisatie=org, gebruikersnaam="x", email="x@example.nl", voornaam="x", achternaam="x", rollen=["melder"]
        )
    assert "organisatie" in exc.value.extra
