"""Fictitious households for the demo meldingen (loaded by ``manage.py demo_data``).

The test run scans every log line for these names and addresses (they must never be logged).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from meldpunt.core.models import Organisatie

from .ddas import Contactsoort, Dagdeel
from .dossiers.models import Dossier
from .dossiers.services import contactpoging_create, dossier_claim
from .dossiers.workflow import DossierStatus
from .intake.models import Kanaal
from .intake.services import melding_create
from .intake.validatie import MeldingInvoer, valideer_melding
from .intake.voorbereiding import referentie_index
from .toestemming.services import toestemming_create

#: (convenant, partner slug, referentie, achternaam, voornamen, straat, huisnummer, postcode, woonplaats,
#:  kinderen, bedrag, maanden, type)
HUISHOUDENS = [
    (
        "diemen",
        "rochdale",
        "DEMO-RC-0001",
        "Oudkerk-Vlaskamp",
        "Hendrika",
        "Ouddiemerlaan",
        104,
        "1111 AB",
        "Diemen",
        2,
        "1300.00",
        2,
        "VEO",
    ),
    (
        "diemen",
        "rochdale",
        "DEMO-RC-0002",
        "van der Kwartelhof",
        "Jurriaan",
        "Arent Krijtsstraat",
        7,
        "1111 AM",
        "Diemen",
        0,
        "2150.50",
        3,
        "VEO",
    ),
    (
        "diemen",
        "rochdale",
        "DEMO-RC-0003",
        "El Ouarzazi-Bremer",
        "Samira",
        "Burgemeester de Kievietstraat",
        33,
        "1111 AN",
        "Diemen",
        3,
        "4100.00",
        6,
        "EO",
    ),
    (
        "ouder-amstel",
        "woonzorg-amstel",
        "DEMO-WA-0001",
        "Tjoa-Roozendaal",
        "Lieke",
        "Dorpsstraat",
        12,
        "1191 BK",
        "Ouderkerk aan de Amstel",
        1,
        "1480.00",
        2,
        "VEO",
    ),
]

#: Every personal value above, for the log scan of the test run.
DEMO_PERSOONSGEGEVENS = [h[3] for h in HUISHOUDENS] + [h[4] for h in HUISHOUDENS] + [h[5] for h in HUISHOUDENS]


def demo_meldingen_laden() -> int:
    """Submit the demo meldingen that are not there yet; returns how many were added."""
    vandaag = timezone.localdate()
    toegevoegd = 0
    for (
        slug,
        partner_slug,
        ref,
        achternaam,
        voornamen,
        straat,
        nr,
        postcode,
        plaats,
        kinderen,
        bedrag,
        mnd,
        soort,
    ) in HUISHOUDENS:
        partner = Organisatie.objects.get(slug=partner_slug)
        from convenants.models import Convenant

        convenant = Convenant.objects.get(slug=slug)
        if partner.meldingen.filter(referentie_index=referentie_index(convenant.pk, ref)).exists():
            continue
        invoer = MeldingInvoer(
            convenant=slug,
            type=soort,
            referentie=ref,
            achternaam=achternaam,
            voornamen=voornamen,
            geboortedatum=dt.date(1979, 3, 14),
            straat=straat,
            huisnummer=nr,
            postcode=postcode,
            woonplaats=plaats,
            minderjarige_kinderen=kinderen,
            bedrag=Decimal(bedrag),
            maanden=mnd,
            maandhuur=Decimal("675.00"),
            herinnering_op=vandaag - dt.timedelta(days=35),
            contactpoging_op=vandaag - dt.timedelta(days=21),
            informatie_doorgifte_op=vandaag - dt.timedelta(days=21),
            vonnisdatum=vandaag - dt.timedelta(days=20) if soort == "EO" else None,
            ontruimingsdatum=vandaag + dt.timedelta(days=14) if soort == "EO" else None,
        )
        uitkomst = valideer_melding(invoer, partner=partner, vandaag=vandaag)
        if uitkomst.geldig:
            melding_create(uitkomst=uitkomst, partner=partner, kanaal=Kanaal.FORMULIER)
            toegevoegd += 1
    demo_toestemming_laden()
    return toegevoegd


def demo_toestemming_laden() -> None:
    """The second Diemen household: claimed by MaDiZo, reached, and consent for the Gemeente (rapportage).

    So that gemeente_medewerker.diemen finds one dossier under *Dossiers met toestemming*. Idempotent.
    """
    from convenants.models import Convenant
    from meldpunt.core.models import User

    convenant = Convenant.objects.filter(slug="diemen").first()
    hulpverlener = User.objects.filter(username="hulpverlener.madizo").first()
    if convenant is None or hulpverlener is None:
        return
    dossier = Dossier.objects.filter(
        convenant=convenant, referentie_index=referentie_index(convenant.pk, "DEMO-RC-0002")
    ).first()
    if dossier is None or dossier.toestemmingen.exists() or dossier.afgeschermd_sinds is not None:
        return
    if dossier.status == DossierStatus.NIEUW:
        dossier = dossier_claim(dossier_id=dossier.pk, door=hulpverlener)
    if dossier.behandelaar_id != hulpverlener.pk:
        return
    vandaag = timezone.localdate()
    if dossier.status == DossierStatus.GECLAIMD:
        contactpoging_create(
            dossier=dossier,
            door=hulpverlener,
            soort=Contactsoort.HUISBEZOEK,
            datum=vandaag,
            dagdeel=Dagdeel.OCHTEND,
            bereikt=True,
        )
    toestemming_create(
        dossier=dossier,
        door=hulpverlener,
        ontvanger_soort="gemeente",
        scope="rapportage",
        gegeven_op=vandaag,
        wijze="mondeling",
        bewijs="Demo: toestemming mondeling gegeven tijdens het huisbezoek.",
    )
