"""The national DDAS vroegsignalering vocabulary (exchange model v1.2), see standards/ddas-vroegsignalering/."""

from __future__ import annotations

from django.db import models


class Signaalstatus(models.TextChoices):
    """DDAS EnumSignaalstatus; the value is our API code, the label the DDAS term."""

    NOG_NIET_OPGEPAKT = "nog_niet_opgepakt", "Nog niet opgepakt"
    OPGEPAKT = "opgepakt", "Opgepakt"
    ONTERECHT_SIGNAAL = "niet_opgepakt_onterecht_signaal", "Niet opgepakt: onterecht signaal"
    HERHAALDE_MELDING = "niet_opgepakt_herhaalde_melding", "Niet opgepakt: herhaalde melding"
    ANDERE_REDEN = "niet_opgepakt_andere_reden", "Niet opgepakt: andere reden"
    OVERLEDEN = "inwoner_overleden", "Inwoner is overleden"
    GEEN_INWONER = "geen_inwoner", "Persoon is geen inwoner (meer) in de gemeente"
    AL_BEKEND = "al_bekend_bij_schuldhulpverlening", "Inwoner al bekend bij schuldhulpverlening"


#: Statuses the Partner sees as they are (they concern the signal itself). Every other not-picked-up
#: status says something about the tenant and reaches the Partner only as "niet_opgepakt".
ZICHTBAAR_VOOR_PARTNER = {
    Signaalstatus.NOG_NIET_OPGEPAKT,
    Signaalstatus.OPGEPAKT,
    Signaalstatus.ONTERECHT_SIGNAAL,
    Signaalstatus.HERHAALDE_MELDING,
}
NIET_OPGEPAKT_VOOR_PARTNER = "niet_opgepakt"
PARTNER_STATUS_LABELS = {
    **{s.value: s.label for s in ZICHTBAAR_VOOR_PARTNER},
    NIET_OPGEPAKT_VOOR_PARTNER: "Niet opgepakt",
}


def status_voor_partner(status: str) -> str:
    return status if status in ZICHTBAAR_VOOR_PARTNER else NIET_OPGEPAKT_VOOR_PARTNER


class Eindresultaat(models.TextChoices):
    """DDAS EnumEindresultaat: value and label are the DDAS term itself, as the vocabulary writes it."""

    ADVIES_QUICK_FIX = "(Budget)advies en/of quick fix", "(Budget)advies en/of quick fix"
    GEEN_CONTACT = "Definitief geen contact kunnen krijgen", "Definitief geen contact kunnen krijgen"
    GEEN_REACTIE = "Geen reactie na eerder contact", "Geen reactie na eerder contact"
    AL_BEKEND = "Inwoner al bekend bij schuldhulpverlening", "Inwoner al bekend bij schuldhulpverlening"
    ANDER_TRAJECT = "Inwoner heeft al een ander lopend traject", "Inwoner heeft al een ander lopend traject"
    ZELF_BETAALD = (
        "Inwoner heeft zelf al betaald/betalingsregeling getroffen",
        "Inwoner heeft zelf al betaald/betalingsregeling getroffen",
    )
    OVERLEDEN = "Inwoner is overleden", "Inwoner is overleden"
    REGELT_ZELF = (
        "Inwoner regelt het zelf/hoeft geen hulp vanuit vroegsignalering",
        "Inwoner regelt het zelf/hoeft geen hulp vanuit vroegsignalering",
    )
    NIET_OPGEPAKT_ANDERE_REDEN = "Niet opgepakt: andere reden", "Niet opgepakt: andere reden"
    NIET_OPGEPAKT_HERHAALD = "Niet opgepakt: herhaalde melding", "Niet opgepakt: herhaalde melding"
    NIET_OPGEPAKT_ONTERECHT = "Niet opgepakt: onterecht signaal", "Niet opgepakt: onterecht signaal"
    GEEN_INWONER = "Persoon is geen inwoner (meer) in de gemeente", "Persoon is geen inwoner (meer) in de gemeente"
    VERVOLGHULP = "Vervolghulp en/of verwijzing", "Vervolghulp en/of verwijzing"
    VERVOLGHULP_FINANCIEEL = "Vervolghulp en/of verwijzing financieel", "Vervolghulp en/of verwijzing financieel"
    VERVOLGHULP_NIET_FINANCIEEL = (
        "Vervolghulp en/of verwijzing niet financieel",
        "Vervolghulp en/of verwijzing niet financieel",
    )
    VERWIJZING_ZONDER_INWONER = "Verwijzing zonder tussenkomst inwoner", "Verwijzing zonder tussenkomst inwoner"


class Contactsoort(models.TextChoices):
    """DDAS EnumContactsoort (value and label: the DDAS term)."""

    ADMINISTRATIEF = "Administratief", "Administratief"
    AFSPRAAK_OP_LOCATIE = "Afspraak op locatie", "Afspraak op locatie"
    BRIEF = "Brief", "Brief"
    HUISBEZOEK = "Huisbezoek", "Huisbezoek"
    KAARTJE = "Kaartje", "Kaartje"
    MAIL = "Mail", "Mail"
    ONBEKEND = "Onbekend", "Onbekend"
    OVERIGE = "Overige", "Overige"
    SMS_WHATSAPP = "SMS/Whatsapp", "SMS/Whatsapp"
    TELEFOON = "Telefoon", "Telefoon"


class Dagdeel(models.TextChoices):
    """DDAS EnumDagdeel (value and label: the DDAS term)."""

    OCHTEND = "Ochtend", "Ochtend"
    MIDDAG = "Middag", "Middag"
    AVOND = "Avond", "Avond"
