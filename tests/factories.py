"""Factories with a trait per organisation type / convenant state."""

from __future__ import annotations

import datetime as dt

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from convenants.models import Convenant, ConvenantParameters, ConvenantPartner
from meldpunt.core.models import ROLLEN_PER_TYPE, Organisatie, OrganisatieType, User

WACHTWOORD = "Test-wachtwoord-123"


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.Group"

    name = factory.Sequence(lambda n: f"organisatie:test-{n}")


class OrganisatieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisatie

    naam = factory.Sequence(lambda n: f"Organisatie {n}")
    slug = factory.Sequence(lambda n: f"organisatie-{n}")
    type = OrganisatieType.PARTNER
    groep = factory.SubFactory(GroupFactory)

    class Params:
        gemeente = factory.Trait(type=OrganisatieType.GEMEENTE)
        partner = factory.Trait(type=OrganisatieType.PARTNER)
        uitvoerder = factory.Trait(type=OrganisatieType.UITVOERDER)
        platform = factory.Trait(type=OrganisatieType.PLATFORM)
        inactief = factory.Trait(actief=False)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.nl")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    organisatie = factory.SubFactory(OrganisatieFactory)
    rollen = factory.LazyAttribute(lambda o: [ROLLEN_PER_TYPE[o.organisatie.type][0]])
    password = factory.PostGenerationMethodCall("set_password", WACHTWOORD)

    @factory.post_generation
    def groep(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.groups.add(self.organisatie.groep)
            self.save()


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Test-authenticator"
    confirmed = True


class ConvenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Convenant
        skip_postgeneration_save = True

    naam = factory.Sequence(lambda n: f"Convenant {n}")
    slug = factory.Sequence(lambda n: f"convenant-{n}")
    gemeente = factory.SubFactory(OrganisatieFactory, gemeente=True)
    uitvoerder = factory.SubFactory(OrganisatieFactory, uitvoerder=True)
    startdatum = dt.date(2024, 1, 1)
    fg_email = "fg@example.nl"
    looptijd_maanden = 12
    stilzwijgend_verlengen = True
    opgezegd_op = None
    einddatum = factory.LazyAttribute(
        lambda o: Convenant(
            startdatum=o.startdatum,
            looptijd_maanden=o.looptijd_maanden,
            stilzwijgend_verlengen=o.stilzwijgend_verlengen,
            opgezegd_op=o.opgezegd_op,
        ).bereken_einddatum()
    )

    class Params:
        opgezegd = factory.Trait(opgezegd_op=dt.date(2025, 6, 1))
        afgelopen = factory.Trait(stilzwijgend_verlengen=False)
        toekomstig = factory.Trait(startdatum=dt.date(2099, 1, 1))

    @factory.post_generation
    def partners(self, create: bool, extracted: list[Organisatie] | None, **kwargs: object) -> None:
        if not create:
            return
        for partner in extracted if extracted is not None else [OrganisatieFactory(partner=True)]:
            ConvenantPartner.objects.create(convenant=self, partner=partner, sinds=self.startdatum)

    @factory.post_generation
    def parameters(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            ConvenantParameters.objects.create(convenant=self, jaar=self.startdatum.year)
