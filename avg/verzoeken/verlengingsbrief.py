"""The extension letter (seed 002 §2.5): the requester hears within the first month that more time is needed,
why, and until when. Rendered by the worker (:func:`verlengingsbrief_maken`, task
``avg.verzoeken.maak_verlengingsbrief``) and stored encrypted under the request's data key, like the decision
letter; the contactpunt downloads it from the request page and records the date it was sent."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from meldpunt.core.models import Rol, User
from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.models import VersleuteldBestand
from meldpunt.privacy.services import versleuteld_bestand_create, versleuteld_bestand_lezen

from .models import Verlengingsbrief, Verzoek

SOORT_VERLENGINGSBRIEF = "avg_verlengingsbrief"


def pdf(html: str) -> bytes:
    from meldpunt.core.pdf import pdf_render

    return pdf_render(html)


def brief_context(verzoek: Verzoek, brief: Verlengingsbrief) -> dict[str, Any]:
    kluis = Kluis(verzoek.sleutel)
    verzoeker = (
        kluis.ontsleutel(bytes(verzoek.verzoeker), context=verzoek.verzoeker_context) if verzoek.verzoeker else {}
    )
    reden = (
        kluis.ontsleutel(bytes(verzoek.verlenging_reden), context=verzoek.verlenging_context)
        if verzoek.verlenging_reden
        else ""
    )
    return {
        "verzoek": verzoek,
        "brief": brief,
        "verzoeker": verzoeker,
        "gemeente": verzoek.gemeente,
        "soorten": verzoek.soort_labels(),
        "redenen": [regel.strip() for regel in str(reden).splitlines() if regel.strip()],
    }


def verlengingsbrief_html(verzoek: Verzoek, brief: Verlengingsbrief) -> str:
    return render_to_string("avg/verzoeken/verlengingsbrief.html", brief_context(verzoek, brief))


@transaction.atomic
def verlengingsbrief_maken(*, verzoek_id: int) -> Verlengingsbrief | None:
    """Render and store the letter; idempotent (a letter made after the last request is kept)."""
    brief = (
        Verlengingsbrief.objects.select_for_update(of=("self",))
        .select_related("verzoek__sleutel", "verzoek__gemeente")
        .filter(verzoek_id=verzoek_id)
        .first()
    )
    if brief is None or brief.verzoek.sleutel.vernietigd or brief.verzoek.verlengd_tot is None:
        return None
    if brief.gemaakt_op is not None:
        return brief
    verzoek = brief.verzoek
    inhoud = pdf(verlengingsbrief_html(verzoek, brief))
    oud = brief.bestand_id
    brief.bestand = versleuteld_bestand_create(
        sleutel=verzoek.sleutel,
        soort=SOORT_VERLENGINGSBRIEF,
        naam=f"verlenging-{verzoek.nummer}.pdf",
        mime="application/pdf",
        inhoud=inhoud,
    )
    brief.gemaakt_op = timezone.now()
    brief.save(update_fields=["bestand", "gemaakt_op"])
    if oud:
        VersleuteldBestand.objects.filter(pk=oud).delete()
    return brief


def verlengingsbrief_bestand(brief: Verlengingsbrief) -> tuple[str, bytes] | None:
    """The letter's file name and PDF, or None while it is being made (or after the request's key was shredded)."""
    if brief.gemaakt_op is None or brief.bestand is None or brief.bestand.sleutel.vernietigd:
        return None
    return versleuteld_bestand_lezen(brief.bestand)


def verlengingsbrief_downloaden(*, brief: Verlengingsbrief, door: User) -> tuple[str, bytes] | None:
    """The letter for a download; the contactpunt's first download is noted (the FG only reads along)."""
    gevonden = verlengingsbrief_bestand(brief)
    if gevonden is not None and door.heeft_rol(Rol.CONTACTPUNT):
        Verlengingsbrief.objects.filter(pk=brief.pk, gedownload_op__isnull=True).update(gedownload_op=timezone.now())
    return gevonden
