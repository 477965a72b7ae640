"""Writes for organisations and users. Keyword-only arguments; failures raise ApplicationError."""

from __future__ import annotations

from collections.abc import Iterable

from axes.utils import reset as axes_reset
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldpunt.audit.models import Actie, Doel
from meldpunt.audit.services import logregel_voor_door

from .accountlog import accountwijziging_loggen
from .accountwijziging import accountwijziging_aanvragen, beheert_organisatie
from .exceptions import ApplicationError
from .models import (
    BEHEERROL_PER_TYPE,
    ROLLEN_PER_TYPE,
    AccountWijzigingSoort,
    Organisatie,
    OrganisatieType,
    Rol,
    User,
)

EERSTE_BEHEERDER_FOUT = (
    "Platformbeheer maakt alleen de eerste beheerder van een organisatie aan; "
    "verdere gebruikers maakt de beheerder van de organisatie zelf aan."
)


def _mag_gebruikers_beheren(door: User | None, organisatie: Organisatie) -> bool:
    """Only an organisation's own beheerder manages its users (management commands: everyone)."""
    return door is None or beheert_organisatie(door, organisatie)


def _als_platformbeheer_van_buiten(door: User | None, organisatie: Organisatie) -> bool:
    """``door`` is platformbeheer acting on an organisation that is not its own."""
    return door is not None and door.heeft_rol(Rol.PLATFORMBEHEER) and not beheert_organisatie(door, organisatie)


def heeft_actieve_beheerder(organisatie: Organisatie) -> bool:
    beheerrol = BEHEERROL_PER_TYPE[organisatie.type]
    return User.objects.filter(organisatie=organisatie, is_active=True, rollen__contains=[beheerrol]).exists()


def _vereis_platformbeheer(door: User | None) -> None:
    if door is not None and not door.heeft_rol(Rol.PLATFORMBEHEER):
        raise ApplicationError("Alleen platformbeheer mag dit doen.")


@transaction.atomic
def organisatie_create(*, naam: str, type: str, slug: str = "", door: User | None = None) -> Organisatie:
    _vereis_platformbeheer(door)
    naam = naam.strip()
    slug = slugify(slug or naam)
    fouten: dict[str, list[str]] = {}
    if not naam:
        fouten["naam"] = ["Vul de naam van de organisatie in."]
    if type not in OrganisatieType.values:
        fouten["type"] = ["Kies een geldige soort organisatie."]
    if not slug:
        fouten["slug"] = ["Vul een korte naam in (letters, cijfers en streepjes)."]
    if Organisatie.objects.filter(naam__iexact=naam).exists():
        fouten["naam"] = ["Er bestaat al een organisatie met deze naam."]
    if Organisatie.objects.filter(slug=slug).exists():
        fouten["slug"] = ["Deze korte naam is al in gebruik."]
    if fouten:
        raise ApplicationError("De organisatie is niet aangemaakt.", extra=fouten)
    groep = Group.objects.create(name=f"organisatie:{slug}")
    organisatie = Organisatie.objects.create(naam=naam, slug=slug, type=type, groep=groep)
    logregel_voor_door(door=door, actie=Actie.AANMAKEN, obj=organisatie, doel=Doel.ORGANISATIEBEHEER)
    return organisatie


#: The invoice details of an organisation (facturatie), all optional text.
FACTUURGEGEVENS = (
    "postadres",
    "postcode",
    "plaats",
    "kvk_nummer",
    "oin",
    "iban",
    "financieel_contact",
    "financieel_email",
)


def _factuurgegevens_normaliseren(waarden: dict[str, str]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Check and normalise the invoice details: field errors in Dutch, values as invoices print them."""
    from stdnum import iban as stdnum_iban
    from stdnum.exceptions import ValidationError as StdnumFout

    schoon = {veld: " ".join(str(waarden.get(veld) or "").split()) for veld in FACTUURGEGEVENS}
    fouten: dict[str, list[str]] = {}
    if schoon["postcode"]:
        postcode = schoon["postcode"].replace(" ", "").upper()
        if len(postcode) != 6 or not postcode[:4].isdigit() or not postcode[4:].isalpha() or postcode[0] == "0":
            fouten["postcode"] = ["Vul een postcode in als 1234 AB."]
        else:
            schoon["postcode"] = f"{postcode[:4]} {postcode[4:]}"
    for veld, lengte, naam in (("kvk_nummer", 8, "Het KvK-nummer"), ("oin", 20, "Het OIN")):
        waarde = schoon[veld].replace(" ", "")
        schoon[veld] = waarde
        if waarde and (len(waarde) != lengte or not waarde.isdigit()):
            fouten[veld] = [f"{naam} bestaat uit {lengte} cijfers."]
    if schoon["iban"]:
        try:
            schoon["iban"] = stdnum_iban.validate(schoon["iban"])
        except StdnumFout:
            fouten["iban"] = ["Dit IBAN klopt niet; controleer het nummer."]
    if schoon["financieel_email"]:
        try:
            validate_email(schoon["financieel_email"])
        except ValidationError:
            fouten["financieel_email"] = ["Vul een geldig e-mailadres in."]
    return schoon, fouten


@transaction.atomic
def organisatie_update(
    *, organisatie: Organisatie, naam: str, actief: bool, door: User | None = None, **factuurgegevens: str
) -> Organisatie:
    """Change name and active flag, and any of the invoice details (``FACTUURGEGEVENS``) given."""
    _vereis_platformbeheer(door)
    onbekend = set(factuurgegevens) - set(FACTUURGEGEVENS)
    if onbekend:
        raise TypeError(f"onbekende velden: {sorted(onbekend)}")
    organisatie = Organisatie.objects.select_for_update().get(pk=organisatie.pk)
    naam = naam.strip()
    fouten: dict[str, list[str]] = {}
    if not naam:
        fouten["naam"] = ["Vul de naam in."]
    elif Organisatie.objects.filter(naam__iexact=naam).exclude(pk=organisatie.pk).exists():
        fouten["naam"] = ["Er bestaat al een organisatie met deze naam."]
    gegeven = {veld: factuurgegevens[veld] for veld in FACTUURGEGEVENS if veld in factuurgegevens}
    schoon, factuurfouten = _factuurgegevens_normaliseren(
        {**{v: getattr(organisatie, v) for v in FACTUURGEGEVENS}, **gegeven}
    )
    fouten.update(factuurfouten)
    if fouten:
        raise ApplicationError("De organisatie is niet gewijzigd.", extra=fouten)
    organisatie.naam = naam
    organisatie.actief = actief
    for veld in FACTUURGEGEVENS:
        setattr(organisatie, veld, schoon[veld])
    organisatie.save(update_fields=["naam", "actief", *FACTUURGEGEVENS])
    if not actief:
        organisatie.gebruikers.update(is_active=False)
    logregel_voor_door(door=door, actie=Actie.WIJZIGEN, obj=organisatie, doel=Doel.ORGANISATIEBEHEER)
    return organisatie


def _valideer_rollen(organisatie: Organisatie, rollen: Iterable[str], door: User | None) -> list[str]:
    rollen = list(dict.fromkeys(rollen))
    if not rollen:
        raise ApplicationError("Kies ten minste één rol.", extra={"rollen": ["Kies ten minste één rol."]})
    toegestaan = ROLLEN_PER_TYPE[organisatie.type]
    ongeldig = [rol for rol in rollen if rol not in toegestaan]
    if ongeldig:
        labels = ", ".join(Rol(r).label if r in Rol.values else r for r in ongeldig)
        raise ApplicationError(
            "Deze rollen passen niet bij de organisatie.",
            extra={"rollen": [f"Niet toegestaan voor een {organisatie.get_type_display().lower()}: {labels}."]},
        )
    if door is not None and not door.heeft_rol(Rol.PLATFORMBEHEER) and Rol.PLATFORMBEHEER in rollen:
        raise ApplicationError("U mag deze rol niet toekennen.", extra={"rollen": ["Rol niet toegestaan."]})
    return rollen


@transaction.atomic
def gebruiker_create(
    *,
    organisatie: Organisatie,
    gebruikersnaam: str,
    email: str,
    voornaam: str,
    achternaam: str,
    rollen: Iterable[str],
    door: User | None = None,
    wachtwoord: str | None = None,
    uitnodigen: bool = True,
) -> User:
    """Create a user. Without a password the user receives an invitation e-mail to choose one.

    Platformbeheer creates only the first beheerder of an organisation that has none (with that role only);
    every other user is created by the organisation's own beheerder.
    """
    if _als_platformbeheer_van_buiten(door, organisatie):
        if list(dict.fromkeys(rollen)) != [BEHEERROL_PER_TYPE[organisatie.type]] or heeft_actieve_beheerder(
            organisatie
        ):
            raise ApplicationError(EERSTE_BEHEERDER_FOUT, extra={"rollen": [EERSTE_BEHEERDER_FOUT]})
    elif not _mag_gebruikers_beheren(door, organisatie):
        raise ApplicationError("U mag geen gebruikers van deze organisatie beheren.")
    fouten: dict[str, list[str]] = {}
    gebruikersnaam = gebruikersnaam.strip()
    try:
        UnicodeUsernameValidator()(gebruikersnaam)
    except ValidationError:
        fouten["gebruikersnaam"] = ["Gebruik alleen letters, cijfers en de tekens @ . + - _."]
    if not gebruikersnaam:
        fouten["gebruikersnaam"] = ["Vul een gebruikersnaam in."]
    elif User.objects.filter(username__iexact=gebruikersnaam).exists():
        fouten["gebruikersnaam"] = ["Deze gebruikersnaam is al in gebruik."]
    try:
        validate_email(email)
    except ValidationError:
        fouten["email"] = ["Vul een geldig e-mailadres in."]
    if not organisatie.actief:
        fouten["organisatie"] = ["De organisatie is niet actief."]
    try:
        rollen = _valideer_rollen(organisatie, rollen, door)
    except ApplicationError as exc:
        fouten.update(exc.field_errors())
    gebruiker = User(
        username=gebruikersnaam,
        email=email.strip().lower(),
        first_name=voornaam.strip(),
        last_name=achternaam.strip(),
        organisatie=organisatie,
        rollen=list(rollen),
    )
    if wachtwoord:
        try:
            validate_password(wachtwoord, user=gebruiker)
        except ValidationError as exc:
            fouten["wachtwoord"] = list(exc.messages)
    if fouten:
        raise ApplicationError("De gebruiker is niet aangemaakt.", extra=fouten)
    if wachtwoord:
        gebruiker.set_password(wachtwoord)
    else:
        gebruiker.set_unusable_password()
    try:
        with transaction.atomic():
            gebruiker.save()
    except IntegrityError as exc:
        raise ApplicationError(
            "De gebruiker is niet aangemaakt.", extra={"gebruikersnaam": ["Deze gebruikersnaam is al in gebruik."]}
        ) from exc
    gebruiker.groups.add(organisatie.groep)
    if uitnodigen and not wachtwoord:
        from .tasks import stuur_uitnodiging

        stuur_uitnodiging.delay_on_commit(gebruiker.pk)
    accountwijziging_loggen(door=door, organisatie=organisatie, obj=gebruiker, actie=Actie.AANMAKEN)
    return gebruiker


@transaction.atomic
def gebruiker_update(
    *,
    gebruiker: User,
    email: str,
    voornaam: str,
    achternaam: str,
    rollen: Iterable[str],
    actief: bool,
    door: User | None = None,
) -> User:
    """Change a user. Platformbeheer may change another organisation's user's name, take roles away and
    deactivate; a new e-mail address or a new role becomes a request that the organisation's beheerder
    approves (:mod:`meldpunt.core.accountwijziging`)."""
    gebruiker = User.objects.select_for_update().select_related("organisatie").get(pk=gebruiker.pk)
    van_buiten = _als_platformbeheer_van_buiten(door, gebruiker.organisatie)
    if not van_buiten and not _mag_gebruikers_beheren(door, gebruiker.organisatie):
        raise ApplicationError("U mag geen gebruikers van deze organisatie beheren.")
    fouten: dict[str, list[str]] = {}
    try:
        validate_email(email)
    except ValidationError:
        fouten["email"] = ["Vul een geldig e-mailadres in."]
    try:
        rollen = _valideer_rollen(gebruiker.organisatie, rollen, door)
    except ApplicationError as exc:
        fouten.update(exc.field_errors())
    if door is not None and door.pk == gebruiker.pk:
        if not actief:
            fouten["actief"] = ["U kunt uw eigen account niet deactiveren."]
        beheerrol = BEHEERROL_PER_TYPE[gebruiker.organisatie.type]
        if beheerrol in gebruiker.rollen and beheerrol not in rollen:
            fouten["rollen"] = ["U kunt uw eigen beheerrol niet intrekken."]
    if fouten:
        raise ApplicationError("De gebruiker is niet gewijzigd.", extra=fouten)
    email = email.strip().lower()
    rollen = list(rollen)
    if van_buiten:
        assert door is not None
        if email != gebruiker.email:
            accountwijziging_aanvragen(
                gebruiker=gebruiker, door=door, soort=AccountWijzigingSoort.EMAIL, nieuwe_email=email
            )
            email = gebruiker.email
        if set(rollen) - set(gebruiker.rollen):
            accountwijziging_aanvragen(
                gebruiker=gebruiker, door=door, soort=AccountWijzigingSoort.ROLLEN, nieuwe_rollen=rollen
            )
            rollen = [rol for rol in gebruiker.rollen if rol in rollen]
            if not rollen:
                rollen = list(gebruiker.rollen)
    gebruiker.email = email
    gebruiker.first_name = voornaam.strip()
    gebruiker.last_name = achternaam.strip()
    gebruiker.rollen = rollen
    gebruiker.is_active = actief
    gebruiker.save(update_fields=["email", "first_name", "last_name", "rollen", "is_active"])
    accountwijziging_loggen(door=door, organisatie=gebruiker.organisatie, obj=gebruiker, actie=Actie.WIJZIGEN)
    return gebruiker


@transaction.atomic
def gebruiker_uitnodigen(*, gebruiker: User, door: User | None = None) -> None:
    """(Re)send the invitation to choose a password; the current password stops working.

    The invitation goes to the address the account has; platformbeheer may resend it (the address itself
    changes only with the organisation's approval)."""
    if not _mag_gebruikers_beheren(door, gebruiker.organisatie) and not _als_platformbeheer_van_buiten(
        door, gebruiker.organisatie
    ):
        raise ApplicationError("U mag geen gebruikers van deze organisatie beheren.")
    gebruiker.set_unusable_password()
    gebruiker.save(update_fields=["password"])
    from .tasks import stuur_uitnodiging

    stuur_uitnodiging.delay_on_commit(gebruiker.pk)
    accountwijziging_loggen(door=door, organisatie=gebruiker.organisatie, obj=gebruiker, actie=Actie.WIJZIGEN)


@transaction.atomic
def gebruiker_tweede_factor_resetten(*, gebruiker: User, door: User | None = None) -> bool:
    """Remove the user's authenticator; the next login asks to set up a new one.

    Asked by platformbeheer for another organisation's user, it becomes a request for the organisation's
    beheerder to approve; returns whether the reset took effect now."""
    if _als_platformbeheer_van_buiten(door, gebruiker.organisatie):
        assert door is not None
        accountwijziging_aanvragen(gebruiker=gebruiker, door=door, soort=AccountWijzigingSoort.TWEEDE_FACTOR)
        return False
    if not _mag_gebruikers_beheren(door, gebruiker.organisatie):
        raise ApplicationError("U mag geen gebruikers van deze organisatie beheren.")
    TOTPDevice.objects.filter(user=gebruiker).delete()
    accountwijziging_loggen(door=door, organisatie=gebruiker.organisatie, obj=gebruiker, actie=Actie.WIJZIGEN)
    return True


@transaction.atomic
def gebruiker_ontgrendelen(*, gebruiker: User, door: User | None = None) -> None:
    """Lift a lockout after too many failed login attempts (also by platformbeheer: it grants nothing)."""
    if not _mag_gebruikers_beheren(door, gebruiker.organisatie) and not _als_platformbeheer_van_buiten(
        door, gebruiker.organisatie
    ):
        raise ApplicationError("U mag geen gebruikers van deze organisatie beheren.")
    axes_reset(username=gebruiker.username)
    accountwijziging_loggen(door=door, organisatie=gebruiker.organisatie, obj=gebruiker, actie=Actie.WIJZIGEN)


@transaction.atomic
def totp_apparaat_aanmaken(*, gebruiker: User) -> TOTPDevice:
    """Start setting up an authenticator app: a new, unconfirmed TOTP device."""
    if TOTPDevice.objects.filter(user=gebruiker, confirmed=True).exists():
        raise ApplicationError("Er is al een authenticator-app ingesteld.")
    TOTPDevice.objects.filter(user=gebruiker, confirmed=False).delete()
    apparaat = TOTPDevice.objects.create(user=gebruiker, name="Authenticator-app", confirmed=False)
    logregel_voor_door(door=gebruiker, actie=Actie.AANMAKEN, obj=apparaat, doel=Doel.BEVEILIGING)
    return apparaat


@transaction.atomic
def totp_apparaat_bevestigen(*, apparaat: TOTPDevice, token: str) -> bool:
    apparaat = TOTPDevice.objects.select_for_update().get(pk=apparaat.pk)
    if not apparaat.verify_token(token):
        return False
    apparaat.confirmed = True
    apparaat.save(update_fields=["confirmed"])
    logregel_voor_door(door=apparaat.user, actie=Actie.WIJZIGEN, obj=apparaat, doel=Doel.BEVEILIGING)
    return True
