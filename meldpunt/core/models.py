"""Tenants and users: organisations of four kinds, users with roles within their organisation."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, Group
from django.contrib.postgres.fields import ArrayField
from django.db import models


class OrganisatieType(models.TextChoices):
    GEMEENTE = "gemeente", "Gemeente"
    PARTNER = "partner", "Partner (corporatie)"
    UITVOERDER = "uitvoerder", "Uitvoerder"
    PLATFORM = "platform", "Platformbeheer"


class Rol(models.TextChoices):
    MELDER = "melder", "Melder"
    PARTNER_BEHEER = "partner_beheer", "Beheerder partner"
    UITVOERDER_BEHEER = "uitvoerder_beheer", "Beheerder uitvoerder"
    GEMEENTE_BEHEER = "gemeente_beheer", "Beheerder gemeente"
    HULPVERLENER = "hulpverlener", "Hulpverlener"
    TEAMLEIDER = "teamleider", "Teamleider"
    GEMEENTE_MEDEWERKER = "gemeente_medewerker", "Medewerker gemeente"
    CONTACTPUNT = "contactpunt", "Contactpunt AVG"
    FG = "fg", "Functionaris gegevensbescherming"
    FINANCIEN = "financien", "Financiën"
    PLATFORMBEHEER = "platformbeheer", "Platformbeheer"


#: Which roles an organisation of each type may hand out (DOMAIN.md, "Organisations, roles").
ROLLEN_PER_TYPE: dict[str, tuple[str, ...]] = {
    OrganisatieType.PARTNER: (Rol.MELDER, Rol.PARTNER_BEHEER),
    OrganisatieType.UITVOERDER: (Rol.HULPVERLENER, Rol.TEAMLEIDER, Rol.UITVOERDER_BEHEER),
    OrganisatieType.GEMEENTE: (
        Rol.GEMEENTE_MEDEWERKER,
        Rol.CONTACTPUNT,
        Rol.FG,
        Rol.FINANCIEN,
        Rol.GEMEENTE_BEHEER,
    ),
    OrganisatieType.PLATFORM: (Rol.PLATFORMBEHEER,),
}

#: The role that manages the users of an organisation of each type; only it manages them (docs/security.md).
BEHEERROL_PER_TYPE: dict[str, str] = {
    OrganisatieType.PARTNER: Rol.PARTNER_BEHEER,
    OrganisatieType.UITVOERDER: Rol.UITVOERDER_BEHEER,
    OrganisatieType.GEMEENTE: Rol.GEMEENTE_BEHEER,
    OrganisatieType.PLATFORM: Rol.PLATFORMBEHEER,
}

#: Every role that manages users (of its own organisation).
BEHEERROLLEN: tuple[str, ...] = tuple(BEHEERROL_PER_TYPE.values())


class Organisatie(models.Model):
    naam = models.CharField("naam", max_length=200, unique=True)
    slug = models.SlugField("korte naam", max_length=60, unique=True)
    type = models.CharField("soort", max_length=20, choices=OrganisatieType.choices)
    actief = models.BooleanField("actief", default=True)
    groep = models.OneToOneField(
        Group,
        on_delete=models.PROTECT,
        related_name="organisatie",
        help_text="De groep waarin alle gebruikers van de organisatie zitten; objectrechten worden hieraan gegeven.",
    )
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    # What an invoice and the information letter need (facturatie; maintained by platformbeheer).
    postadres = models.CharField("postadres", max_length=200, blank=True, help_text="Straat en huisnummer of postbus.")
    postcode = models.CharField("postcode", max_length=7, blank=True)
    plaats = models.CharField("plaats", max_length=100, blank=True)
    kvk_nummer = models.CharField("KvK-nummer", max_length=8, blank=True)
    oin = models.CharField("OIN", max_length=20, blank=True, help_text="Organisatie-identificatienummer (20 cijfers).")
    iban = models.CharField("IBAN", max_length=34, blank=True)
    financieel_contact = models.CharField("financieel contactpersoon", max_length=200, blank=True)
    financieel_email = models.EmailField("e-mailadres financiële administratie", blank=True)

    class Meta:
        verbose_name = "organisatie"
        verbose_name_plural = "organisaties"
        ordering = ["naam"]
        constraints = [
            models.CheckConstraint(condition=models.Q(type__in=OrganisatieType.values), name="organisatie_type_geldig"),
        ]

    def __str__(self) -> str:
        return self.naam

    @property
    def toegestane_rollen(self) -> tuple[str, ...]:
        return ROLLEN_PER_TYPE[self.type]

    @property
    def factuurgegevens_compleet(self) -> bool:
        """Enough to put on an invoice: address, and a KvK number or OIN."""
        return bool(self.postadres and self.postcode and self.plaats and (self.kvk_nummer or self.oin))


class User(AbstractUser):
    """A staff member of one organisation. Holds one or more roles valid for that organisation."""

    organisatie = models.ForeignKey(
        Organisatie, on_delete=models.PROTECT, related_name="gebruikers", verbose_name="organisatie"
    )
    rollen = ArrayField(
        models.CharField(max_length=32, choices=Rol.choices), default=list, blank=True, verbose_name="rollen"
    )

    REQUIRED_FIELDS = ["email", "organisatie"]

    class Meta:
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"
        ordering = ["username"]

    def heeft_rol(self, *rollen: str) -> bool:
        return any(rol in self.rollen for rol in rollen)

    @property
    def rollen_labels(self) -> list[str]:
        return [Rol(rol).label for rol in self.rollen if rol in Rol.values]


class AccountWijzigingSoort(models.TextChoices):
    EMAIL = "email", "Nieuw e-mailadres"
    TWEEDE_FACTOR = "tweede_factor", "Authenticator-app ontkoppelen"
    ROLLEN = "rollen", "Nieuwe rol"


class AccountWijzigingStatus(models.TextChoices):
    AANGEVRAAGD = "aangevraagd", "Wacht op goedkeuring"
    GOEDGEKEURD = "goedgekeurd", "Goedgekeurd en doorgevoerd"
    AFGEWEZEN = "afgewezen", "Afgewezen"


class AccountWijziging(models.Model):
    """A change of an account asked for by platformbeheer; it takes effect only when a beheerder of the
    account's own organisation approves it (four eyes, docs/security.md)."""

    gebruiker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="accountwijzigingen")
    soort = models.CharField("soort", max_length=20, choices=AccountWijzigingSoort.choices)
    nieuwe_email = models.EmailField("nieuw e-mailadres", blank=True)
    nieuwe_rollen = ArrayField(
        models.CharField(max_length=32, choices=Rol.choices), default=list, blank=True, verbose_name="nieuwe rollen"
    )
    status = models.CharField(
        "status", max_length=20, choices=AccountWijzigingStatus.choices, default=AccountWijzigingStatus.AANGEVRAAGD
    )
    aangevraagd_door = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    aangevraagd_op = models.DateTimeField(auto_now_add=True)
    beoordeeld_door = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    beoordeeld_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "accountwijziging"
        verbose_name_plural = "accountwijzigingen"
        ordering = ["-aangevraagd_op", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=AccountWijzigingStatus.values), name="accountwijziging_status_geldig"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_soort_display()} ({self.get_status_display()})"

    @property
    def rollen_labels(self) -> list[str]:
        return [Rol(rol).label for rol in self.nieuwe_rollen if rol in Rol.values]
