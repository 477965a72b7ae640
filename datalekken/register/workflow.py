"""States of a breach and of its decisions, with the explicit transition table, and the register's vocabularies
(the sections of the Autoriteit Persoonsgegevens' notification form)."""

from __future__ import annotations

from django.db import models


class DatalekStatus(models.TextChoices):
    OPEN = "open", "Open"
    AFGESLOTEN = "afgesloten", "Afgesloten"


#: from-state -> the states it may move to. A closed breach stays closed: a new fact is a new breach.
OVERGANGEN: dict[str, frozenset[str]] = {
    DatalekStatus.OPEN: frozenset({DatalekStatus.AFGESLOTEN}),
    DatalekStatus.AFGESLOTEN: frozenset(),
}


def overgang_toegestaan(van: str, naar: str) -> bool:
    return naar in OVERGANGEN.get(van, frozenset())


class ApBesluit(models.TextChoices):
    MELDEN = "melden", "Melden aan de Autoriteit Persoonsgegevens"
    NIET_MELDEN = "niet_melden", "Niet melden (geen risico voor de betrokkenen)"


class BetrokkenenBesluit(models.TextChoices):
    INFORMEREN = "informeren", "De betrokkenen informeren (hoog risico)"
    NIET_INFORMEREN = "niet_informeren", "De betrokkenen niet informeren"


class ApMeldingSoort(models.TextChoices):
    VOORLOPIG = "voorlopig", "Voorlopige melding"
    DEFINITIEF = "definitief", "Definitieve melding"
    AANVULLING = "aanvulling", "Aanvulling"
    INTREKKING = "intrekking", "Intrekking"


class Soort(models.TextChoices):
    VERTROUWELIJKHEID = "vertrouwelijkheid", "Vertrouwelijkheid (gegevens in verkeerde handen)"
    INTEGRITEIT = "integriteit", "Integriteit (gegevens gewijzigd)"
    BESCHIKBAARHEID = "beschikbaarheid", "Beschikbaarheid (gegevens kwijt of niet bereikbaar)"


class Aard(models.TextChoices):
    GELEZEN = "gelezen", "Gelezen"
    GEKOPIEERD = "gekopieerd", "Gekopieerd"
    GEWIJZIGD = "gewijzigd", "Gewijzigd"
    VERWIJDERD = "verwijderd", "Verwijderd of vernietigd"
    GESTOLEN = "gestolen", "Gestolen"
    VERLOREN = "verloren", "Verloren"
    ONBEKEND = "onbekend", "Nog onbekend"


class Oorzaak(models.TextChoices):
    VERKEERDE_ONTVANGER = "verkeerde_ontvanger", "Gegevens naar de verkeerde ontvanger gestuurd"
    CC_IPV_BCC = "cc_ipv_bcc", "E-mail met ontvangers in cc in plaats van bcc"
    APPARAAT = "apparaat_kwijt", "Apparaat of gegevensdrager verloren of gestolen"
    PAPIER = "papier_kwijt", "Papieren documenten verloren of gestolen"
    AUTORISATIE = "autorisatie", "Autorisatie verkeerd ingesteld"
    HACKING = "hacking", "Hacking, malware of phishing"
    INBRAAK = "inbraak", "Inbraak of diefstal op locatie"
    VERKEERD_AFGEVOERD = "verkeerd_afgevoerd", "Gegevens niet veilig vernietigd of afgevoerd"
    MONDELING = "mondeling", "Mondeling aan een onbevoegde verstrekt"
    ANDERS = "anders", "Anders"
    ONBEKEND = "onbekend", "Nog onbekend"


class Categorie(models.TextChoices):
    NAW = "naw", "Naam, adres, woonplaats"
    CONTACT = "contact", "Telefoonnummer en e-mailadres"
    GEBOORTEDATUM = "geboortedatum", "Geboortedatum"
    FINANCIEEL = "financieel", "Financiële gegevens (huur, inkomen)"
    SCHULDEN = "schulden", "Gegevens over (problematische) schulden"
    HUISHOUDEN = "huishouden", "Samenstelling van het huishouden"
    GEZONDHEID = "gezondheid", "Gezondheid (bijzondere persoonsgegevens)"
    STRAFRECHTELIJK = "strafrechtelijk", "Strafrechtelijke gegevens"
    BSN = "bsn", "Burgerservicenummer"
    ANDERS = "anders", "Andere gegevens"


#: Categories that are special categories of art. 9 and 10 AVG (the AP asks about them separately).
BIJZONDERE_CATEGORIEEN = frozenset({Categorie.GEZONDHEID, Categorie.STRAFRECHTELIJK})


class Versleuteling(models.TextChoices):
    VOLLEDIG = "volledig", "Ja, de gegevens waren onleesbaar voor onbevoegden"
    GEDEELTELIJK = "gedeeltelijk", "Gedeeltelijk"
    NEE = "nee", "Nee"
    ONBEKEND = "onbekend", "Nog onbekend"


class Klok(models.TextChoices):
    VERWERKER = "24", "Verwerker aan verwerkingsverantwoordelijke"
    AP = "72", "Verwerkingsverantwoordelijke aan de AP"


class Drempel(models.TextChoices):
    TWAALF_UUR = "12u", "Nog 12 uur"
    TWEE_UUR = "2u", "Nog 2 uur"
    VERLOPEN = "verlopen", "Termijn verstreken"
