"""Writes of the breach register: reporting, completing, linking dossiers, the progress logbook, closing.

Every write locks the breach, validates, appends to the progress logbook and the Logboek in the same
transaction; e-mail goes out after commit (:mod:`datalekken.register.tasks`). The decisions of the FG are in
:mod:`datalekken.register.besluiten`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from convenants.models import Convenant
from convenants.selectors import convenant_list
from meldingen.bewaring.models import Bewaarblokkade
from meldingen.bewaring.services import (
    bewaarblokkade_instellen,
    bewaarblokkade_opheffen,
    bewaarblokkaden_voor_bron_opheffen,
)
from meldingen.bewaring.workflow import BlokkadeGrond
from meldingen.dossiers.models import Dossier
from meldpunt.audit.services import logregel_voor_door
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import User
from meldpunt.privacy.services import datasleutel_create

from ..doelen import DOEL_DATALEK
from .inhoud import VELDEN, inhoud_lezen, inhoud_zetten
from .models import Datalek, DatalekDossier, Voortgang
from .toegang import is_fg_van, mag_aanvullen, mag_dossiers_koppelen
from .voortgang import voortgang_schrijven
from .workflow import Aard, Categorie, DatalekStatus, Oorzaak, Soort, Versleuteling, overgang_toegestaan

#: The source of the retention holds a breach sets on the dossiers it links (meldingen.bewaring).
BRON_DATALEK = "datalek"

#: Structured fields the reporter and the FG complete after the first report.
REGISTER_VELDEN = (
    "aard",
    "oorzaak",
    "periode_van",
    "periode_tot",
    "voortdurend",
    "categorieen",
    "aantal_min",
    "aantal_max",
    "betreft_kinderen",
    "betreft_kwetsbaren",
    "contactgegevens_bekend",
    "versleuteling",
    "organisatieonderdeel",
    "soort",
)
#: Free text the reporter and the FG complete (the decision texts are the FG's, in besluiten.py).
REGISTER_TEKSTEN = (
    "omschrijving",
    "systeem",
    "contact_naam",
    "contact_telefoon",
    "contact_email",
    "groepen",
    "gevolgen",
    "maatregelen_genomen",
    "maatregelen_gepland",
)
_KEUZES: dict[str, set[str]] = {
    "soort": set(Soort.values),
    "aard": set(Aard.values),
    "categorieen": set(Categorie.values),
}


def vergrendeld(datalek: Datalek) -> Datalek:
    """The breach locked for a write; refused once closed."""
    datalek = (
        Datalek.objects.select_for_update(of=("self",))
        .select_related("sleutel", "melder_organisatie")
        .prefetch_related("convenanten")
        .get(pk=datalek.pk)
    )
    if datalek.status != DatalekStatus.OPEN:
        raise ApplicationError("Dit datalek is afgesloten en kan niet meer worden gewijzigd.")
    return datalek


def _teksten_controleren(teksten: dict[str, str], fouten: dict[str, list[str]]) -> dict[str, str]:
    schoon = {}
    for veld, waarde in teksten.items():
        waarde = (waarde or "").strip()
        if len(waarde) > VELDEN[veld]:
            fouten.setdefault(veld, []).append(f"Ten hoogste {VELDEN[veld]} tekens.")
        schoon[veld] = waarde
    return schoon


def _uren(convenanten: Iterable[Convenant], jaar: int) -> tuple[int, int]:
    """The strictest deadlines of the convenants concerned (processor → controller, controller → AP)."""
    verwerker, ap = 24, 72
    for convenant in convenanten:
        parameters = convenant.parameters_voor(jaar)
        if parameters is not None:
            verwerker = min(verwerker, parameters.datalek_verwerker_uren)
            ap = min(ap, parameters.datalek_ap_uren)
    return verwerker, ap


@transaction.atomic
def datalek_melden(
    *,
    door: User,
    convenanten: Iterable[Convenant],
    omschrijving: str,
    ontdekt_op: dt.datetime,
    soort: list[str],
    contact_naam: str,
    contact_telefoon: str,
    contact_email: str = "",
) -> Datalek:
    """Register a breach with the first, short answers; the FG addresses are e-mailed after commit."""
    nu = timezone.now()
    fouten: dict[str, list[str]] = {}
    eigen = {c.pk: c for c in convenant_list(user=door)}
    gekozen = [eigen[c.pk] for c in convenanten if c.pk in eigen]
    if not gekozen or len(gekozen) != len(list(convenanten)):
        fouten["convenanten"] = ["Kies het convenant (of de convenanten) waarbinnen het datalek plaatsvond."]
    if ontdekt_op > nu + dt.timedelta(minutes=5):
        fouten["ontdekt_op"] = ["Het tijdstip van ontdekking ligt in de toekomst."]
    elif ontdekt_op < nu - dt.timedelta(days=366):
        fouten["ontdekt_op"] = ["Het tijdstip van ontdekking ligt meer dan een jaar terug; controleer de datum."]
    if not soort or not set(soort) <= _KEUZES["soort"]:
        fouten["soort"] = ["Kies wat voor soort datalek het is."]
    teksten = _teksten_controleren(
        {
            "omschrijving": omschrijving,
            "contact_naam": contact_naam,
            "contact_telefoon": contact_telefoon,
            "contact_email": contact_email,
        },
        fouten,
    )
    for veld, melding in (
        ("omschrijving", "Beschrijf kort wat er is gebeurd."),
        ("contact_naam", "Vul de naam van de contactpersoon in."),
        ("contact_telefoon", "Vul een telefoonnummer in waarop de FG u kan bereiken."),
    ):
        if not teksten[veld]:
            fouten.setdefault(veld, []).append(melding)
    if fouten:
        raise ApplicationError("Het datalek is niet gemeld. Verbeter de gemarkeerde velden.", extra=fouten)
    verwerker_uren, ap_uren = _uren(gekozen, timezone.localtime(ontdekt_op).year)
    datalek = Datalek(
        melder=door,
        melder_organisatie=door.organisatie,
        sleutel=datasleutel_create(doel="datalek"),
        ontdekt_op=ontdekt_op,
        gemeld_op=nu,
        fg_geinformeerd_op=nu,
        verwerker_uren=verwerker_uren,
        ap_uren=ap_uren,
        soort=sorted(set(soort)),
    )
    inhoud_zetten(datalek, teksten)
    datalek.save(force_insert=True)
    datalek.convenanten.set(gekozen)
    voortgang_schrijven(datalek=datalek, door=door, gebeurtenis="Datalek gemeld; de FG is per e-mail gewaarschuwd")
    logregel_voor_door(door=door, actie="aanmaken", obj=datalek, doel=DOEL_DATALEK)
    from .tasks import stuur_datalek_registratie

    transaction.on_commit(lambda: stuur_datalek_registratie.delay(datalek.pk))
    return datalek


def zeven_vragen_beantwoord(datalek: Datalek, teksten: dict[str, str]) -> bool:
    """The seven questions of bijlage 3 of the processor agreement (seed 001) are answered."""
    return bool(
        teksten.get("omschrijving")
        and datalek.categorieen
        and datalek.aantal_min is not None
        and datalek.aantal_max is not None
        and (teksten.get("groepen") or datalek.betreft_kinderen is not None)
        and datalek.contactgegevens_bekend is not None
        and datalek.oorzaak
        and datalek.periode_van is not None
    )


def _register_controleren(velden: dict[str, Any], fouten: dict[str, list[str]]) -> None:
    for veld in ("soort", "aard", "categorieen"):
        if veld in velden and not set(velden[veld] or []) <= _KEUZES[veld]:
            fouten[veld] = ["Kies uit de lijst."]
    if velden.get("oorzaak") and velden["oorzaak"] not in Oorzaak.values:
        fouten["oorzaak"] = ["Kies een oorzaak uit de lijst."]
    if velden.get("versleuteling") and velden["versleuteling"] not in Versleuteling.values:
        fouten["versleuteling"] = ["Kies uit de lijst."]
    if "soort" in velden and not velden["soort"]:
        fouten["soort"] = ["Kies wat voor soort datalek het is."]
    laag, hoog = velden.get("aantal_min"), velden.get("aantal_max")
    if laag is not None and hoog is not None and laag > hoog:
        fouten["aantal_max"] = ["Het maximum is kleiner dan het minimum."]
    van, tot = velden.get("periode_van"), velden.get("periode_tot")
    if van and tot and tot < van:
        fouten["periode_tot"] = ["Het einde van de periode ligt vóór het begin."]
    if van and van > timezone.now():
        fouten["periode_van"] = ["Het begin van de periode ligt in de toekomst."]
    if tot and velden.get("voortdurend"):
        fouten["voortdurend"] = ["Een datalek dat nog voortduurt heeft geen einde van de periode."]


@transaction.atomic
def datalek_aanvullen(*, datalek: Datalek, door: User, **velden: Any) -> Datalek:
    """Complete the register (reporter or FG). Answering the seven questions of bijlage 3 ends the 24h clock;
    the FG may also correct when the controller became aware (the start of the 72h clock)."""
    datalek = vergrendeld(datalek)
    if not mag_aanvullen(door, datalek):
        raise ApplicationError("Alleen de melder of de FG vult dit datalek aan.")
    onbekend = set(velden) - set(REGISTER_VELDEN) - set(REGISTER_TEKSTEN) - {"fg_geinformeerd_op"}
    if onbekend:
        raise ApplicationError("Onbekende velden: " + ", ".join(sorted(onbekend)))
    fouten: dict[str, list[str]] = {}
    _register_controleren(velden, fouten)
    teksten = _teksten_controleren({k: v for k, v in velden.items() if k in REGISTER_TEKSTEN}, fouten)
    if "omschrijving" in teksten and not teksten["omschrijving"]:
        fouten["omschrijving"] = ["Beschrijf kort wat er is gebeurd."]
    bewust = velden.get("fg_geinformeerd_op")
    if bewust is not None:
        if not is_fg_van(door, datalek):
            fouten["fg_geinformeerd_op"] = ["Alleen de FG legt vast wanneer de verwerkingsverantwoordelijke het wist."]
        elif bewust > timezone.now() or bewust < datalek.ontdekt_op:
            fouten["fg_geinformeerd_op"] = ["Kies een tijdstip tussen de ontdekking en nu."]
    if fouten:
        raise ApplicationError("Het register is niet bijgewerkt. Verbeter de gemarkeerde velden.", extra=fouten)
    for veld in REGISTER_VELDEN:
        if veld in velden:
            waarde = velden[veld]
            if veld in _KEUZES:
                waarde = sorted(set(waarde or []))
            elif veld in ("oorzaak", "versleuteling", "organisatieonderdeel"):
                waarde = (waarde or "").strip()
            setattr(datalek, veld, waarde)
    if bewust is not None:
        datalek.fg_geinformeerd_op = bewust
    inhoud_zetten(datalek, teksten)
    alle_teksten = inhoud_lezen(datalek)
    gebeurtenis = "Register aangevuld"
    if datalek.verwerker_compleet_op is None and zeven_vragen_beantwoord(datalek, alle_teksten):
        datalek.verwerker_compleet_op = timezone.now()
        gebeurtenis += "; de zeven vragen van bijlage 3 zijn beantwoord"
    datalek.save()
    voortgang_schrijven(datalek=datalek, door=door, gebeurtenis=gebeurtenis)
    logregel_voor_door(door=door, actie="wijzigen", obj=datalek, doel=DOEL_DATALEK)
    return datalek


@transaction.atomic
def voortgang_toevoegen(*, datalek: Datalek, door: User, notitie: str) -> Voortgang:
    """A note in the progress logbook (reporter or FG), encrypted."""
    datalek = vergrendeld(datalek)
    if not mag_aanvullen(door, datalek):
        raise ApplicationError("Alleen de melder of de FG schrijft in het voortgangslogboek.")
    notitie = (notitie or "").strip()
    if not notitie:
        raise ApplicationError("De notitie is niet opgeslagen.", extra={"notitie": ["Schrijf wat er is gebeurd."]})
    if len(notitie) > 5000:
        raise ApplicationError("De notitie is niet opgeslagen.", extra={"notitie": ["Ten hoogste 5000 tekens."]})
    voortgang = voortgang_schrijven(datalek=datalek, door=door, gebeurtenis="Notitie", notitie=notitie)
    logregel_voor_door(door=door, actie="wijzigen", obj=datalek, doel=DOEL_DATALEK)
    return voortgang


def _nummers(tekst: str) -> list[str]:
    return sorted({n.strip() for n in tekst.replace(";", ",").replace("\n", ",").split(",") if n.strip()})


@transaction.atomic
def datalek_dossiers_koppelen(*, datalek: Datalek, door: User, nummers: str) -> list[DatalekDossier]:
    """Link the dossiers concerned, by dossier number, within the breach's convenants.

    Retention hold: while the breach is open, each newly linked dossier is kept beyond its term (grond and
    bron "datalek", bron_id the breach's pk); unlinking or closing the breach lifts it.
    """
    datalek = vergrendeld(datalek)
    if not mag_dossiers_koppelen(door, datalek):
        raise ApplicationError("Alleen de FG of de melder van de uitvoerder koppelt dossiers.")
    gevraagd = _nummers(nummers)
    if not gevraagd:
        raise ApplicationError("Er is niets gekoppeld.", extra={"nummers": ["Vul een of meer dossiernummers in."]})
    dossiers = {
        d.nummer: d
        for d in Dossier.objects.filter(
            nummer__in=gevraagd, convenant__in=list(datalek.convenanten.all()), vernietigd_op__isnull=True
        )
    }
    onbekend = [n for n in gevraagd if n not in dossiers]
    if onbekend:
        raise ApplicationError(
            "Er is niets gekoppeld.",
            extra={"nummers": ["Onbekend dossiernummer binnen de convenanten van dit datalek: " + ", ".join(onbekend)]},
        )
    al = set(datalek.koppelingen.values_list("dossier_id", flat=True))
    nieuw = []
    nu = timezone.now()
    for nummer in gevraagd:
        dossier = dossiers[nummer]
        if dossier.pk in al:
            continue
        nieuw.append(
            DatalekDossier.objects.create(datalek=datalek, dossier=dossier, gekoppeld_op=nu, gekoppeld_door=door)
        )
        bewaarblokkade_instellen(
            dossier=dossier,
            grond=BlokkadeGrond.DATALEK,
            door=door,
            reden="Onderzoek van een datalek",
            bron=BRON_DATALEK,
            bron_id=str(datalek.pk),
        )
    if nieuw:
        voortgang_schrijven(
            datalek=datalek, door=door, gebeurtenis="Dossiers gekoppeld: " + ", ".join(k.dossier.nummer for k in nieuw)
        )
        logregel_voor_door(door=door, actie="wijzigen", obj=datalek, doel=DOEL_DATALEK)
    return nieuw


@transaction.atomic
def datalek_dossier_ontkoppelen(*, datalek: Datalek, door: User, koppeling_id: int) -> None:
    """Unlink one dossier (linked by mistake); the breach's retention hold on it is lifted."""
    datalek = vergrendeld(datalek)
    if not mag_dossiers_koppelen(door, datalek):
        raise ApplicationError("Alleen de FG of de melder van de uitvoerder ontkoppelt dossiers.")
    koppeling = datalek.koppelingen.select_related("dossier").filter(pk=koppeling_id).first()
    if koppeling is None:
        raise ApplicationError("Dit dossier is niet aan het datalek gekoppeld.")
    nummer = koppeling.dossier.nummer
    for blokkade in Bewaarblokkade.objects.filter(
        dossier=koppeling.dossier, bron=BRON_DATALEK, bron_id=str(datalek.pk), opgeheven_op__isnull=True
    ):
        bewaarblokkade_opheffen(blokkade=blokkade, door=door)
    koppeling.delete()
    voortgang_schrijven(datalek=datalek, door=door, gebeurtenis=f"Dossier ontkoppeld: {nummer}")
    logregel_voor_door(door=door, actie="wijzigen", obj=datalek, doel=DOEL_DATALEK)


@transaction.atomic
def datalek_afsluiten(*, datalek: Datalek, door: User, evaluatie: str) -> Datalek:
    """Close the breach with an evaluation (the FG only), once both decisions are taken.

    Closing lifts the breach's retention holds on its dossiers.
    """
    datalek = vergrendeld(datalek)
    if not is_fg_van(door, datalek):
        raise ApplicationError("Alleen de FG sluit een datalek af.")
    fouten: dict[str, list[str]] = {}
    evaluatie = (evaluatie or "").strip()
    if not evaluatie:
        fouten["evaluatie"] = ["Schrijf de evaluatie: wat is er geleerd en wat verandert er?"]
    elif len(evaluatie) > VELDEN["evaluatie"]:
        fouten["evaluatie"] = [f"Ten hoogste {VELDEN['evaluatie']} tekens."]
    if not datalek.ap_besluit:
        fouten.setdefault("__all__", []).append("Besluit eerst of het datalek aan de AP wordt gemeld.")
    elif datalek.ap_besluit == "melden" and datalek.ap_gemeld_op is None:
        fouten.setdefault("__all__", []).append("Leg eerst de melding aan de AP vast.")
    if not datalek.betrokkenen_besluit:
        fouten.setdefault("__all__", []).append("Besluit eerst of de betrokkenen worden geïnformeerd.")
    if fouten:
        raise ApplicationError("Het datalek is niet afgesloten.", extra=fouten)
    if not overgang_toegestaan(datalek.status, DatalekStatus.AFGESLOTEN):  # pragma: no cover - locked as open
        raise ApplicationError("Dit datalek kan niet worden afgesloten.")
    inhoud_zetten(datalek, {"evaluatie": evaluatie})
    datalek.status = DatalekStatus.AFGESLOTEN
    datalek.afgesloten_op = timezone.now()
    datalek.afgesloten_door = door
    datalek.save()
    bewaarblokkaden_voor_bron_opheffen(bron=BRON_DATALEK, bron_id=str(datalek.pk), door=door)
    voortgang_schrijven(datalek=datalek, door=door, gebeurtenis="Datalek afgesloten met evaluatie")
    logregel_voor_door(door=door, actie="wijzigen", obj=datalek, doel=DOEL_DATALEK)
    return datalek
