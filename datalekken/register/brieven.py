"""The letters to the people affected by a breach, made by the worker (one PDF per linked dossier, encrypted under
the dossier's key). The FG asks for them (:func:`datalekken.register.besluiten.datalek_brieven_aanvragen`); the
worker makes them one dossier at a time, each in its own
transaction, so the page can show how far it is and a redelivered task goes on where it stopped."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from meldpunt.audit.services import logregel_voor_door
from meldpunt.privacy.models import VersleuteldBestand
from meldpunt.privacy.services import versleuteld_bestand_create

from ..doelen import DOEL_DATALEK
from .inhoud import inhoud_lezen
from .models import Datalek, DatalekDossier
from .voortgang import voortgang_schrijven

BRIEF_SOORT = "datalekbrief"


@dataclass(frozen=True)
class BrievenStand:
    """How far the letters are: ``klaar`` of ``totaal`` made since they were asked for."""

    bezig: bool
    klaar: int
    totaal: int

    @property
    def procent(self) -> int:
        return round(100 * self.klaar / self.totaal) if self.totaal else 100


def te_maken(datalek: Datalek) -> QuerySet[DatalekDossier]:
    """The linked dossiers still without a letter made after the last request (destroyed ones get none)."""
    assert datalek.brieven_aangevraagd_op is not None
    return datalek.koppelingen.filter(dossier__vernietigd_op__isnull=True).filter(
        Q(brief__isnull=True) | Q(brief__aangemaakt_op__lt=datalek.brieven_aangevraagd_op)
    )


def brieven_stand(datalek: Datalek) -> BrievenStand | None:
    if datalek.brieven_aangevraagd_op is None:
        return None
    totaal = datalek.koppelingen.filter(dossier__vernietigd_op__isnull=True).count()
    open_ = te_maken(datalek).count()
    return BrievenStand(bezig=datalek.brieven_gemaakt_op is None, klaar=totaal - open_, totaal=totaal)


def _brief_pdf(html: str) -> bytes:
    from meldpunt.core.pdf import pdf_render

    return pdf_render(html)


def _brief_maken(koppeling_id: int, datalek: Datalek, teksten: dict[str, str]) -> bool:
    from meldingen.informatieplicht.brief import informatiebrief_context

    with transaction.atomic():
        koppeling = (
            te_maken(datalek)
            .select_for_update(of=("self",), skip_locked=True)
            .select_related("dossier__sleutel", "dossier__convenant__gemeente", "dossier__partner")
            .filter(pk=koppeling_id)
            .first()
        )
        if koppeling is None or koppeling.dossier.sleutel.vernietigd:
            return False
        dossier = koppeling.dossier
        context = informatiebrief_context(dossier=dossier) | {"datalek": datalek, "teksten": teksten}
        pdf = _brief_pdf(render_to_string("datalekken/register/brief.html", context))
        oud = koppeling.brief_id
        koppeling.brief = versleuteld_bestand_create(
            sleutel=dossier.sleutel,
            soort=BRIEF_SOORT,
            naam=f"datalekbrief-{dossier.nummer}.pdf",
            mime="application/pdf",
            inhoud=pdf,
        )
        koppeling.save(update_fields=["brief"])
        if oud:
            VersleuteldBestand.objects.filter(pk=oud).delete()
        logregel_voor_door(door=datalek.brieven_aangevraagd_door, actie="aanmaken", obj=dossier, doel=DOEL_DATALEK)
        return True


def datalek_brieven_maken(*, datalek_id: int) -> int:
    """The worker's part: make every letter still to be made, then record that they are done. Idempotent."""
    datalek = Datalek.objects.select_related("sleutel", "brieven_aangevraagd_door").filter(pk=datalek_id).first()
    if datalek is None or datalek.brieven_aangevraagd_op is None or datalek.brieven_gemaakt_op is not None:
        return 0
    teksten = inhoud_lezen(datalek)
    gemaakt = sum(_brief_maken(pk, datalek, teksten) for pk in te_maken(datalek).values_list("pk", flat=True))
    with transaction.atomic():
        datalek = Datalek.objects.select_for_update(of=("self",)).select_related("sleutel").get(pk=datalek_id)
        if datalek.brieven_gemaakt_op is None and not te_maken(datalek).exists():
            datalek.brieven_gemaakt_op = timezone.now()
            datalek.save(update_fields=["brieven_gemaakt_op"])
            totaal = datalek.koppelingen.filter(brief__isnull=False).count()
            voortgang_schrijven(
                datalek=datalek,
                door=datalek.brieven_aangevraagd_door,
                gebeurtenis=f"Brieven aan betrokkenen gemaakt: {totaal}",
            )
    return gemaakt
