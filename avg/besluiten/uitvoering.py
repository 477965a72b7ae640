"""Carrying out a decided request through the existing services (DOMAIN.md "AVG requests"):

* beperking / bezwaar (art. 18, 21): :func:`meldingen.afscherming.services.afscherming_instellen`;
* intrekking toestemming (art. 7(3)): :func:`meldingen.toestemming.services.toestemmingen_intrekken_op_verzoek`;
* wissing (art. 17): :func:`wissing_uitvoeren` — the dossier is crypto-shredded at once by
  :func:`meldingen.bewaring.services.dossier_vernietigen` (in the day's destruction report); refused where an
  exception of art. 41 UAVG applies;
* rectificatie (art. 16): :func:`meldingen.rectificatie.services.dossier_rectificeren` (the contactpunt's
  corrections), or the tenant's own statement added to the dossier when refused (``verklaring``);
* inzage / overdraagbaarheid (art. 15, 20): the answer package — an erasure in the same request waits for it.

After a supplementary decision (an exception lapsed), :func:`aanvulling_uitvoeren` carries out an erasure that
was refused before.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from meldingen.afscherming.models import Afscherming
from meldingen.afscherming.services import afscherming_instellen
from meldingen.bewaring.models import Bewaarblokkade
from meldingen.bewaring.services import bewaarblokkade_opheffen, dossier_vernietigen
from meldingen.doelen import DOEL_AVG_VERZOEK
from meldingen.dossiers.models import Dossier
from meldingen.rectificatie.selectors import rectificaties_voor
from meldingen.toestemming.services import toestemmingen_intrekken_op_verzoek
from meldpunt.audit.services import logregel_voor_door
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import User

from ..verzoeken.models import Verzoek, VerzoekDossier, VerzoekSoort
from ..verzoeken.services import BRON_VERZOEK, vereis_contactpunt, vergrendel, verzoek_afsluiten
from ..verzoeken.workflow import VerzoekStatus
from .models import Besluit, Pakket, Uitvoering, UitvoeringStand

MET_PAKKET = {VerzoekSoort.INZAGE, VerzoekSoort.OVERDRAAGBAARHEID}


def _geweigerd(verzoek: Verzoek, dossier: Dossier) -> set[str]:
    betrokken = {dossier.partner_id, dossier.convenant.uitvoerder_id, dossier.convenant.gemeente_id}
    uit: set[str] = set()
    for b in Besluit.objects.filter(verzoek=verzoek, organisatie_id__in=betrokken):
        uit |= set(b.geweigerd)
    return uit


def _vastleggen(
    verzoek: Verzoek, dossier: Dossier, soort: str, stand: str, door: User, toelichting: str = ""
) -> Uitvoering:
    uitvoering, _ = Uitvoering.objects.update_or_create(
        verzoek=verzoek,
        dossier=dossier,
        soort=soort,
        defaults={"stand": stand, "toelichting": toelichting, "vastgelegd_op": timezone.now(), "vastgelegd_door": door},
    )
    logregel_voor_door(door=door, actie="wijzigen", obj=uitvoering, doel=DOEL_AVG_VERZOEK)
    return uitvoering


def vereis_pakket_voor_wissing(verzoek: Verzoek) -> None:
    """An erasure in a request that also asks for inzage waits for the answer package: destroying the data first
    would leave the requester without the copy they asked for. The package row is locked, so that the worker
    cannot be rendering it while the data is being destroyed."""
    if VerzoekSoort.WISSING not in verzoek.soorten or not MET_PAKKET & set(verzoek.soorten):
        return
    pakket = Pakket.objects.select_for_update().filter(verzoek=verzoek).first()
    if pakket is None or pakket.gemaakt_op is None:
        raise ApplicationError(
            "Wacht tot het antwoordpakket klaar is: het bevat de kopie van de gegevens, die daarna worden gewist."
        )


def wissing_uitvoeren(*, verzoek: Verzoek, dossier: Dossier, door: User) -> Uitvoering:
    """Erasure granted for ``dossier``: this request's retention holds on it are lifted and its personal data
    destroyed now, by the same path as the retention sweep (recorded in the day's destruction report)."""
    if dossier.vernietigd_op is not None:
        return _vastleggen(verzoek, dossier, VerzoekSoort.WISSING, UitvoeringStand.UITGEVOERD, door, "al vernietigd")
    for blokkade in Bewaarblokkade.objects.filter(
        dossier=dossier, bron=BRON_VERZOEK, bron_id=str(verzoek.pk), opgeheven_op__isnull=True
    ):
        bewaarblokkade_opheffen(blokkade=blokkade, door=door)
    dossier_vernietigen(dossier=dossier, reden=f"AVG-verzoek {verzoek.nummer}", door=door)
    return _vastleggen(verzoek, dossier, VerzoekSoort.WISSING, UitvoeringStand.UITGEVOERD, door, "vernietigd")


@transaction.atomic
def verzoek_uitvoeren(*, verzoek: Verzoek, door: User) -> list[Uitvoering]:
    """Carry out every kind of the decided request for every confirmed dossier, then close the request."""
    verzoek = vergrendel(verzoek)
    vereis_contactpunt(door, verzoek.gemeente_id)
    if verzoek.status != VerzoekStatus.BESLOTEN:
        raise ApplicationError("Uitvoeren kan na het besluit.")
    vereis_pakket_voor_wissing(verzoek)
    uit = []
    koppelingen = list(VerzoekDossier.objects.filter(verzoek=verzoek).select_related("dossier__convenant"))
    for koppeling in koppelingen:
        dossier = koppeling.dossier
        geweigerd = _geweigerd(verzoek, dossier)
        wissen = VerzoekSoort.WISSING in verzoek.soorten and not geweigerd
        # withdrawal before restriction (a restricted dossier cannot be changed any more), erasure last; an
        # erasure that goes ahead makes restricting the same data pointless
        volgorde = sorted(
            verzoek.soorten,
            key=lambda s: (s == VerzoekSoort.WISSING, s in (VerzoekSoort.BEPERKING, VerzoekSoort.BEZWAAR)),
        )
        for soort in volgorde:
            if wissen and soort in (VerzoekSoort.BEPERKING, VerzoekSoort.BEZWAAR):
                uit.append(_vastleggen(verzoek, dossier, soort, UitvoeringStand.UITGEVOERD, door, "vervalt: gewist"))
            elif soort in (VerzoekSoort.BEPERKING, VerzoekSoort.BEZWAAR):
                if Afscherming.objects.filter(dossier=dossier, soort=soort, opgeheven_op__isnull=True).exists():
                    uit.append(_vastleggen(verzoek, dossier, soort, UitvoeringStand.UITGEVOERD, door, "liep al"))
                    continue
                afscherming_instellen(dossier=dossier, door=door, soort=soort, reden=f"AVG-verzoek {verzoek.nummer}")
                uit.append(_vastleggen(verzoek, dossier, soort, UitvoeringStand.UITGEVOERD, door, "afgeschermd"))
            elif soort == VerzoekSoort.INTREKKING_TOESTEMMING:
                if dossier.afgeschermd_sinds is not None:
                    uit.append(
                        _vastleggen(verzoek, dossier, soort, UitvoeringStand.NIET_UITGEVOERD, door, "afgeschermd")
                    )
                    continue
                aantal = toestemmingen_intrekken_op_verzoek(
                    dossier=dossier, door=door, ingetrokken_op=verzoek.identiteit_vastgesteld_op or timezone.localdate()
                )
                uit.append(
                    _vastleggen(verzoek, dossier, soort, UitvoeringStand.UITGEVOERD, door, f"{aantal} ingetrokken")
                )
            elif soort == VerzoekSoort.WISSING:
                if geweigerd:
                    uit.append(
                        _vastleggen(
                            verzoek, dossier, soort, UitvoeringStand.NIET_UITGEVOERD, door, "uitzondering art. 41 UAVG"
                        )
                    )
                else:
                    uit.append(wissing_uitvoeren(verzoek=verzoek, dossier=dossier, door=door))
            elif soort == VerzoekSoort.RECTIFICATIE:
                velden = {
                    veld
                    for r in rectificaties_voor(bron=BRON_VERZOEK, bron_id=str(verzoek.pk)).filter(dossier=dossier)
                    for veld in r.velden
                }
                if velden:
                    stand, toelichting = UitvoeringStand.UITGEVOERD, f"{len(velden)} gegeven(s) gecorrigeerd"
                elif koppeling.verklaring:
                    stand, toelichting = UitvoeringStand.UITGEVOERD, "eigen verklaring toegevoegd"
                else:
                    stand, toelichting = UitvoeringStand.NIET_UITGEVOERD, "niet gecorrigeerd, geen verklaring"
                uit.append(_vastleggen(verzoek, dossier, soort, stand, door, toelichting))
            else:
                uit.append(_vastleggen(verzoek, dossier, soort, UitvoeringStand.UITGEVOERD, door, "antwoordpakket"))
    verzoek_afsluiten(verzoek=verzoek, door=door)
    return uit


@transaction.atomic
def aanvulling_uitvoeren(*, verzoek: Verzoek, door: User) -> list[Uitvoering]:
    """After a supplementary decision on a request already carried out: an erasure refused before because of an
    exception that has since lapsed is carried out now (after the new package, when inzage was asked too)."""
    verzoek = vergrendel(verzoek)
    vereis_contactpunt(door, verzoek.gemeente_id)
    if verzoek.status != VerzoekStatus.AFGEHANDELD:
        raise ApplicationError("Dit verzoek is nog niet uitgevoerd; voer het besluit uit.")
    if VerzoekSoort.WISSING not in verzoek.soorten:
        raise ApplicationError("Dit verzoek vraagt geen wissing; er is niets meer uit te voeren.")
    vereis_pakket_voor_wissing(verzoek)
    uit = []
    for koppeling in VerzoekDossier.objects.filter(verzoek=verzoek).select_related("dossier__convenant"):
        dossier = koppeling.dossier
        nog_open = Uitvoering.objects.filter(
            verzoek=verzoek, dossier=dossier, soort=VerzoekSoort.WISSING, stand=UitvoeringStand.NIET_UITGEVOERD
        ).exists()
        if nog_open and not _geweigerd(verzoek, dossier):
            uit.append(wissing_uitvoeren(verzoek=verzoek, dossier=dossier, door=door))
    if not uit:
        raise ApplicationError("Er is geen wissing die nu kan worden uitgevoerd.")
    return uit


def aanvulling_uit_te_voeren(verzoek: Verzoek) -> bool:
    """Whether a refused erasure can be carried out now (its exceptions lapsed and decided on)."""
    if verzoek.status != VerzoekStatus.AFGEHANDELD or VerzoekSoort.WISSING not in verzoek.soorten:
        return False
    for uitvoering in Uitvoering.objects.filter(
        verzoek=verzoek, soort=VerzoekSoort.WISSING, stand=UitvoeringStand.NIET_UITGEVOERD
    ).select_related("dossier__convenant"):
        if uitvoering.dossier.vernietigd_op is None and not _geweigerd(verzoek, uitvoering.dossier):
            return True
    return False
