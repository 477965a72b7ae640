"""A bezwaar against the decision on a request, handled by the contactpunt (seed 002 §2.9, Awb ch. 7).

Registering it tells every participant that supplied or received the data (the consulted organisations) and
asks whether it wants to attend the hearing and/or send a written view; the requester's dossiers are kept
beyond their retention term until it is decided (holds with grond ``bezwaar``, bron ``avg_bezwaar``, bron_id the
bezwaar's pk). The contactpunt plans and holds the hearing — or dispenses with it on a ground of art. 7:3 Awb —
and decides; the holds are lifted then. Mails carry the kenmerk and dates only.
"""

from __future__ import annotations

import datetime as dt

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from meldingen.bewaring.services import bewaarblokkade_instellen, bewaarblokkaden_voor_bron_opheffen
from meldingen.bewaring.workflow import BlokkadeGrond
from meldingen.doelen import DOEL_AVG_VERZOEK
from meldpunt.audit.services import logregel_voor_door
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import User
from meldpunt.privacy.kluis import Kluis

from ..besluiten.models import bezwaartermijn_einde
from ..raadpleging.models import Raadpleging
from ..raadpleging.selectors import DEELNEMER_ROLLEN, deelnemer_adressen
from ..verzoeken.models import Verzoek, VerzoekDossier
from ..verzoeken.services import BRON_BEZWAAR, MAX_TEKST, vereis_contactpunt, vergrendel
from .models import AfzienVanHoren, Belanghebbende, Bezwaar, BezwaarUitkomst
from .selectors import wacht_op

#: Default term for the interested parties to react.
REACTIE_DAGEN = 14


def _mail_na_commit(onderwerp: str, tekst: str, adressen: list[str]) -> None:
    if adressen:
        transaction.on_commit(lambda: send_mail(onderwerp, tekst, None, adressen))


def _vergrendel(bezwaar: Bezwaar, door: User) -> Bezwaar:
    bezwaar = Bezwaar.objects.select_for_update(of=("self",)).select_related("verzoek__sleutel").get(pk=bezwaar.pk)
    vereis_contactpunt(door, bezwaar.verzoek.gemeente_id)
    if bezwaar.beslist_op is not None:
        raise ApplicationError("Op dit bezwaar is al beslist.")
    return bezwaar


@transaction.atomic
def bezwaar_registreren(
    *, verzoek: Verzoek, door: User, ontvangen_op: dt.date | None, reactie_termijn_op: dt.date | None = None
) -> Bezwaar:
    """Register a bezwaar against the decision, tell the participants and hold the dossiers."""
    verzoek = vergrendel(verzoek)
    vereis_contactpunt(door, verzoek.gemeente_id)
    if verzoek.besloten_op is None:
        raise ApplicationError("Bezwaar kan pas tegen een besluit.")
    vandaag = timezone.localdate()
    if not isinstance(ontvangen_op, dt.date):
        raise ApplicationError("Vul de datum van ontvangst in.", extra={"ontvangen_op": ["Vul de datum in."]})
    if ontvangen_op > vandaag or ontvangen_op < verzoek.besloten_op:
        raise ApplicationError(
            "De datum klopt niet.", extra={"ontvangen_op": ["Tussen de datum van het besluit en vandaag."]}
        )
    reactie_termijn_op = reactie_termijn_op or vandaag + dt.timedelta(days=REACTIE_DAGEN)
    if reactie_termijn_op < vandaag:
        raise ApplicationError(
            "De termijn ligt in het verleden.", extra={"reactie_termijn_op": ["Kies een datum vanaf vandaag."]}
        )
    if Bezwaar.objects.filter(verzoek=verzoek, beslist_op__isnull=True).exists():
        raise ApplicationError("Er loopt al een bezwaar tegen dit besluit.")
    nu = timezone.now()
    bezwaar = Bezwaar.objects.create(
        verzoek=verzoek,
        ontvangen_op=ontvangen_op,
        binnen_termijn=ontvangen_op <= bezwaartermijn_einde(verzoek.besloten_op),
        geregistreerd_door=door,
        geregistreerd_op=nu,
        reactie_termijn_op=reactie_termijn_op,
    )
    logregel_voor_door(door=door, actie="aanmaken", obj=bezwaar, doel=DOEL_AVG_VERZOEK)
    organisaties = Raadpleging.objects.filter(verzoek=verzoek).values_list("organisatie_id", flat=True)
    for organisatie_id in sorted(set(organisaties)):
        Belanghebbende.objects.create(bezwaar=bezwaar, organisatie_id=organisatie_id, geinformeerd_op=nu)
        _mail_na_commit(
            "AVG-verzoek: bezwaar tegen het besluit",
            f"Tegen het besluit op AVG-verzoek {verzoek.nummer} is bezwaar gemaakt.\n"
            f"Laat uiterlijk {reactie_termijn_op:%d-%m-%Y} in het Centraal Meldpunt (AVG-raadplegingen) weten of u "
            "bij de hoorzitting aanwezig wilt zijn, en dien zo nodig een schriftelijke zienswijze in.\n",
            deelnemer_adressen(organisatie_id),
        )
    for koppeling in VerzoekDossier.objects.filter(verzoek=verzoek, dossier__vernietigd_op__isnull=True):
        bewaarblokkade_instellen(
            dossier=koppeling.dossier,
            grond=BlokkadeGrond.BEZWAAR,
            door=door,
            reden=f"Bezwaar tegen besluit op AVG-verzoek {verzoek.nummer}",
            bron=BRON_BEZWAAR,
            bron_id=str(bezwaar.pk),
        )
    return bezwaar


@transaction.atomic
def belanghebbende_reageren(
    *, belanghebbende: Belanghebbende, door: User, wil_gehoord_worden: bool | None, zienswijze: str
) -> Belanghebbende:
    """The participant's reaction: whether it wants to attend the hearing, and its written view (optional)."""
    belanghebbende = (
        Belanghebbende.objects.select_for_update(of=("self",))
        .select_related("bezwaar__verzoek__sleutel")
        .get(pk=belanghebbende.pk)
    )
    if door.organisatie_id != belanghebbende.organisatie_id or not door.heeft_rol(*DEELNEMER_ROLLEN):
        raise ApplicationError("Alleen de organisatie zelf reageert op dit bezwaar.")
    bezwaar = belanghebbende.bezwaar
    if bezwaar.beslist_op is not None or bezwaar.gehoord_op is not None:
        raise ApplicationError("Reageren kan niet meer: de hoorzitting is gehouden of op het bezwaar is beslist.")
    fouten: dict[str, list[str]] = {}
    if wil_gehoord_worden is None:
        fouten["wil_gehoord_worden"] = ["Geef aan of u bij de hoorzitting aanwezig wilt zijn."]
    zienswijze = (zienswijze or "").strip()
    if len(zienswijze) > MAX_TEKST:
        fouten["zienswijze"] = [f"Ten hoogste {MAX_TEKST} tekens."]
    if fouten:
        raise ApplicationError("Uw reactie is niet vastgelegd. Controleer de gemarkeerde velden.", extra=fouten)
    belanghebbende.wil_gehoord_worden = wil_gehoord_worden
    belanghebbende.zienswijze = (
        Kluis(bezwaar.verzoek.sleutel).versleutel(zienswijze, context=belanghebbende.zienswijze_context)
        if zienswijze
        else None
    )
    belanghebbende.gereageerd_op = timezone.now()
    belanghebbende.gereageerd_door = door
    belanghebbende.save(update_fields=["wil_gehoord_worden", "zienswijze", "gereageerd_op", "gereageerd_door"])
    logregel_voor_door(door=door, actie="wijzigen", obj=bezwaar, doel=DOEL_AVG_VERZOEK)
    return belanghebbende


@transaction.atomic
def hoorzitting_plannen(*, bezwaar: Bezwaar, door: User, op: dt.datetime | None, plaats: str) -> Bezwaar:
    """Plan (or move) the hearing; the participants that want to attend are invited by e-mail, once per date."""
    bezwaar = _vergrendel(bezwaar, door)
    fouten: dict[str, list[str]] = {}
    if bezwaar.gehoord_of_afgezien:
        raise ApplicationError("De hoorzitting is al gehouden of er is van horen afgezien.")
    if not isinstance(op, dt.datetime):
        fouten["op"] = ["Vul datum en tijd van de hoorzitting in."]
    elif op < timezone.now():
        fouten["op"] = ["De hoorzitting ligt in het verleden."]
    plaats = (plaats or "").strip()
    if not plaats:
        fouten["plaats"] = ["Vul de plaats in (adres of videoverbinding)."]
    elif len(plaats) > 200:
        fouten["plaats"] = ["Ten hoogste 200 tekens."]
    if fouten:
        raise ApplicationError("De hoorzitting is niet gepland.", extra=fouten)
    assert op is not None
    verplaatst = bezwaar.hoorzitting_op is not None and bezwaar.hoorzitting_op != op
    bezwaar.hoorzitting_op = op
    bezwaar.hoorzitting_plaats = plaats
    bezwaar.save(update_fields=["hoorzitting_op", "hoorzitting_plaats"])
    logregel_voor_door(door=door, actie="wijzigen", obj=bezwaar, doel=DOEL_AVG_VERZOEK)
    tijdstip = timezone.localtime(op)
    uit_te_nodigen = Belanghebbende.objects.filter(bezwaar=bezwaar, wil_gehoord_worden=True)
    if not verplaatst:
        uit_te_nodigen = uit_te_nodigen.filter(uitgenodigd_op__isnull=True)
    for belanghebbende in uit_te_nodigen:
        _mail_na_commit(
            "AVG-verzoek: hoorzitting over het bezwaar",
            f"De hoorzitting over het bezwaar bij AVG-verzoek {bezwaar.verzoek.nummer} is op "
            f"{tijdstip:%d-%m-%Y} om {tijdstip:%H:%M} uur. Plaats: zie het Centraal Meldpunt (AVG-raadplegingen).\n",
            deelnemer_adressen(belanghebbende.organisatie_id),
        )
    uit_te_nodigen.update(uitgenodigd_op=timezone.now())
    return bezwaar


@transaction.atomic
def hoorzitting_vastleggen(*, bezwaar: Bezwaar, door: User, gehoord_op: dt.date | None, verslag: str) -> Bezwaar:
    """The hearing was held: its date and report (encrypted under the request's key)."""
    bezwaar = _vergrendel(bezwaar, door)
    if bezwaar.gehoord_of_afgezien:
        raise ApplicationError("De hoorzitting is al vastgelegd of er is van horen afgezien.")
    fouten: dict[str, list[str]] = {}
    if not isinstance(gehoord_op, dt.date):
        fouten["gehoord_op"] = ["Vul de datum van de hoorzitting in."]
    elif gehoord_op > timezone.localdate() or gehoord_op < bezwaar.ontvangen_op:
        fouten["gehoord_op"] = ["Tussen de ontvangst van het bezwaar en vandaag."]
    verslag = (verslag or "").strip()
    if not verslag:
        fouten["verslag"] = ["Vat samen wat de indiener en de belanghebbenden naar voren brachten."]
    elif len(verslag) > MAX_TEKST:
        fouten["verslag"] = [f"Ten hoogste {MAX_TEKST} tekens."]
    if fouten:
        raise ApplicationError("De hoorzitting is niet vastgelegd.", extra=fouten)
    bezwaar.gehoord_op = gehoord_op
    bezwaar.verslag = Kluis(bezwaar.verzoek.sleutel).versleutel(verslag, context=bezwaar.verslag_context)
    bezwaar.save(update_fields=["gehoord_op", "verslag"])
    logregel_voor_door(door=door, actie="wijzigen", obj=bezwaar, doel=DOEL_AVG_VERZOEK)
    return bezwaar


@transaction.atomic
def horen_afzien(*, bezwaar: Bezwaar, door: User, grond: str) -> Bezwaar:
    """Dispense with the hearing on a ground of art. 7:3 Awb."""
    bezwaar = _vergrendel(bezwaar, door)
    if bezwaar.gehoord_of_afgezien:
        raise ApplicationError("De hoorzitting is al vastgelegd of er is van horen afgezien.")
    if grond not in AfzienVanHoren.values:
        raise ApplicationError("Kies de grond.", extra={"grond": ["Kies een grond van artikel 7:3 Awb."]})
    bezwaar.horen_afgezien = grond
    bezwaar.save(update_fields=["horen_afgezien"])
    logregel_voor_door(door=door, actie="wijzigen", obj=bezwaar, doel=DOEL_AVG_VERZOEK)
    return bezwaar


@transaction.atomic
def bezwaar_beslissen(*, bezwaar: Bezwaar, door: User, uitkomst: str, beslist_op: dt.date | None) -> Bezwaar:
    """The decision on the bezwaar, after the hearing (or dispensing with it) and the participants' reactions;
    the holds it set are lifted."""
    bezwaar = _vergrendel(bezwaar, door)
    redenen = wacht_op(bezwaar)
    if redenen:
        raise ApplicationError(" ".join(redenen))
    fouten: dict[str, list[str]] = {}
    if uitkomst not in BezwaarUitkomst.values:
        fouten["uitkomst"] = ["Kies de uitkomst."]
    if not isinstance(beslist_op, dt.date):
        fouten["beslist_op"] = ["Vul de datum in."]
    elif beslist_op > timezone.localdate() or beslist_op < bezwaar.ontvangen_op:
        fouten["beslist_op"] = ["Tussen de ontvangst van het bezwaar en vandaag."]
    if fouten:
        raise ApplicationError("De beslissing is niet vastgelegd.", extra=fouten)
    bezwaar.uitkomst = uitkomst
    bezwaar.beslist_op = beslist_op
    bezwaar.beslist_door = door
    bezwaar.save(update_fields=["uitkomst", "beslist_op", "beslist_door"])
    bewaarblokkaden_voor_bron_opheffen(bron=BRON_BEZWAAR, bron_id=str(bezwaar.pk), door=door)
    logregel_voor_door(door=door, actie="wijzigen", obj=bezwaar, doel=DOEL_AVG_VERZOEK)
    for belanghebbende in Belanghebbende.objects.filter(bezwaar=bezwaar):
        _mail_na_commit(
            "AVG-verzoek: beslissing op bezwaar",
            f"Op het bezwaar bij AVG-verzoek {bezwaar.verzoek.nummer} is op {beslist_op:%d-%m-%Y} beslist: "
            f"{BezwaarUitkomst(uitkomst).label.lower()}.\n",
            deelnemer_adressen(belanghebbende.organisatie_id),
        )
    return bezwaar
