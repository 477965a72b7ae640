"""The answer's documents, made by the worker: the decision letter (PDF, with the bezwaar clause) and, for
inzage and overdraagbaarheid, the art. 15 information with a copy of the personal data as PDF and as JSON and
the dossiers' stored files (one folder per dossier, :mod:`avg.besluiten.bestanden`). All in one ZIP, encrypted
under the request's data key, downloadable until it expires."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.models import VersleuteldBestand
from meldpunt.privacy.services import versleuteld_bestand_create, versleuteld_bestand_lezen

from ..raadpleging.models import Art41Grond, Categorie
from ..raadpleging.selectors import motivering, uitzonderingen_per_organisatie
from ..verzoeken.models import Verzoek, VerzoekDossier, VerzoekSoort
from .bestanden import Bijlage, dossier_bijlagen, dossier_map
from .inhoud import artikel15_informatie, kopie_persoonsgegevens
from .models import AanvullendBesluit, Besluit, Pakket, bezwaartermijn_einde

#: How long the package can be downloaded.
GELDIG = dt.timedelta(days=30)
SOORT_PAKKET = "avg_antwoordpakket"
SOORT_BRIEF = "avg_besluitbrief"


def pdf(html: str) -> bytes:
    from meldpunt.core.pdf import pdf_render

    return pdf_render(html)


def _geweigerd_per_dossier(verzoek: Verzoek, koppeling: VerzoekDossier) -> set[str]:
    """Categories of this dossier withheld: refused in the decision on the data of one of its participants."""
    d = koppeling.dossier
    betrokken = {d.partner_id, d.convenant.uitvoerder_id, d.convenant.gemeente_id}
    geweigerd: set[str] = set()
    for b in Besluit.objects.filter(verzoek=verzoek, organisatie_id__in=betrokken):
        geweigerd |= set(b.geweigerd)
    return geweigerd


def pakket_inhoud_met_bijlagen(verzoek: Verzoek) -> tuple[dict[str, Any], list[Bijlage]]:
    """The art. 15 information, the copy of the personal data and the list of stored files of every confirmed
    dossier, as one document; and those files themselves (decrypted), for the ZIP."""
    kluis = Kluis(verzoek.sleutel)
    verzoeker = (
        kluis.ontsleutel(bytes(verzoek.verzoeker), context=verzoek.verzoeker_context) if verzoek.verzoeker else {}
    )
    dossiers = []
    bijlagen: list[Bijlage] = []
    for koppeling in (
        VerzoekDossier.objects.filter(verzoek=verzoek)
        .select_related(
            "dossier__convenant__gemeente", "dossier__convenant__uitvoerder", "dossier__partner", "dossier__sleutel"
        )
        .order_by("dossier__nummer")
    ):
        geweigerd = _geweigerd_per_dossier(verzoek, koppeling)
        bestanden = dossier_bijlagen(koppeling.dossier, geweigerd=geweigerd)
        bijlagen.extend(bestanden)
        dossiers.append(
            {
                "informatie": artikel15_informatie(koppeling.dossier),
                "persoonsgegevens": kopie_persoonsgegevens(koppeling.dossier, geweigerd=geweigerd),
                "map": dossier_map(koppeling.dossier),
                "bestanden": [b.als_dict() for b in bestanden],
                "niet_verstrekt": [Categorie(c).label for c in sorted(geweigerd)],
            }
        )
    inhoud = {
        "kenmerk": verzoek.nummer,
        "gemaakt_op": timezone.now().isoformat(),
        "betrokkene": verzoeker,
        "dossiers": dossiers,
    }
    return inhoud, bijlagen


def pakket_inhoud(verzoek: Verzoek) -> dict[str, Any]:
    """The art. 15 information and the copy of the personal data of every confirmed dossier, as one document."""
    return pakket_inhoud_met_bijlagen(verzoek)[0]


def _bijlage_schrijven(z: zipfile.ZipFile, bijlage: Bijlage) -> None:
    moment = timezone.localtime(bijlage.aangemaakt_op)
    info = zipfile.ZipInfo(bijlage.pad, date_time=moment.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, bijlage.inhoud)


def brief_context(verzoek: Verzoek) -> dict[str, Any]:
    kluis = Kluis(verzoek.sleutel)
    verzoeker = (
        kluis.ontsleutel(bytes(verzoek.verzoeker), context=verzoek.verzoeker_context) if verzoek.verzoeker else {}
    )
    uitzonderingen = uitzonderingen_per_organisatie(verzoek)
    regels = []
    for b in Besluit.objects.filter(verzoek=verzoek).select_related("organisatie"):
        weigeringen = [
            {
                "categorie": Categorie(c).label,
                "grond": Art41Grond(uitzonderingen[b.organisatie_id][c].uitzondering).label,
                "motivering": motivering(uitzonderingen[b.organisatie_id][c], verzoek),
            }
            for c in b.geweigerd
            if c in uitzonderingen.get(b.organisatie_id, {})
        ]
        regels.append(
            {
                "organisatie": b.organisatie.naam,
                "uitkomst": b.get_uitkomst_display(),
                "toegewezen": [Categorie(c).label for c in b.toegewezen],
                "weigeringen": weigeringen,
            }
        )
    assert verzoek.besloten_op is not None
    aanvullingen = list(
        AanvullendBesluit.objects.filter(besluit__verzoek=verzoek).select_related("besluit__organisatie")
    )
    # A supplementary decision is a decision of its own: its date starts a new term for bezwaar.
    aanvullend_op = timezone.localdate(aanvullingen[-1].besloten_op) if aanvullingen else None
    return {
        "verzoek": verzoek,
        "verzoeker": verzoeker,
        "gemeente": verzoek.gemeente,
        "besluiten": regels,
        "aanvullingen": aanvullingen,
        "aanvullend_op": aanvullend_op,
        "soorten": verzoek.soort_labels(),
        "bezwaar_tot": bezwaartermijn_einde(aanvullend_op or verzoek.besloten_op),
        "met_inzage": bool({VerzoekSoort.INZAGE, VerzoekSoort.OVERDRAAGBAARHEID} & set(verzoek.soorten)),
    }


@transaction.atomic
def pakket_maken(*, verzoek_id: int) -> Pakket | None:
    """Render and store the documents; idempotent (a package made after the last request is kept)."""
    pakket = (
        Pakket.objects.select_for_update()
        .select_related("verzoek__sleutel", "verzoek__gemeente")
        .filter(verzoek_id=verzoek_id)
        .first()
    )
    if pakket is None or pakket.verzoek.sleutel.vernietigd or pakket.verzoek.besloten_op is None:
        return None
    if pakket.gemaakt_op is not None:
        return pakket
    verzoek = pakket.verzoek
    brief_pdf = pdf(render_to_string("avg/besluiten/brief.html", brief_context(verzoek)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"besluit-{verzoek.nummer}.pdf", brief_pdf)
        if {VerzoekSoort.INZAGE, VerzoekSoort.OVERDRAAGBAARHEID} & set(verzoek.soorten):
            inhoud, bijlagen = pakket_inhoud_met_bijlagen(verzoek)
            z.writestr(
                f"persoonsgegevens-{verzoek.nummer}.json", json.dumps(inhoud, ensure_ascii=False, indent=2, default=str)
            )
            html = render_to_string("avg/besluiten/inzage.html", {"inhoud": inhoud, "verzoek": verzoek})
            z.writestr(f"inzage-{verzoek.nummer}.pdf", pdf(html))
            for bijlage in bijlagen:
                _bijlage_schrijven(z, bijlage)
    oud = [pk for pk in (pakket.brief_id, pakket.bestand_id) if pk]
    pakket.brief = versleuteld_bestand_create(
        sleutel=verzoek.sleutel,
        soort=SOORT_BRIEF,
        naam=f"besluit-{verzoek.nummer}.pdf",
        mime="application/pdf",
        inhoud=brief_pdf,
    )
    pakket.bestand = versleuteld_bestand_create(
        sleutel=verzoek.sleutel,
        soort=SOORT_PAKKET,
        naam=f"antwoord-{verzoek.nummer}.zip",
        mime="application/zip",
        inhoud=buffer.getvalue(),
    )
    nu = timezone.now()
    pakket.gemaakt_op, pakket.verloopt_op, pakket.verwijderd_op = nu, nu + GELDIG, None
    pakket.save(update_fields=["brief", "bestand", "gemaakt_op", "verloopt_op", "verwijderd_op"])
    if oud:
        VersleuteldBestand.objects.filter(pk__in=oud).delete()
    return pakket


def pakket_bestand(pakket: Pakket, *, brief: bool = False) -> tuple[str, bytes] | None:
    bestand = pakket.brief if brief else pakket.bestand
    if bestand is None or (not brief and pakket.verloopt_op is not None and pakket.verloopt_op < timezone.now()):
        return None
    return versleuteld_bestand_lezen(bestand)


def pakketten_opruimen(*, nu: dt.datetime | None = None) -> int:
    """Delete the packages whose download period has ended (the letter stays as the record of the decision)."""
    nu = nu or timezone.now()
    aantal = 0
    for pakket in Pakket.objects.filter(verloopt_op__lt=nu, verwijderd_op__isnull=True, bestand__isnull=False):
        with transaction.atomic():
            bestand_id = pakket.bestand_id
            assert bestand_id is not None
            Pakket.objects.filter(pk=pakket.pk).update(bestand=None, verwijderd_op=nu)
            VersleuteldBestand.objects.filter(pk=bestand_id).delete()
            aantal += 1
    return aantal
