"""The rapportage as a document: HTML and PDF, and storing the PDF encrypted.

:func:`meldingen.rapportage.services.rapportage_pdf_aanvragen` enqueues
``meldingen.tasks.maak_rapportage_pdf`` after commit; the task calls :func:`rapportage_pdf_maken`,
which renders :func:`rapportage_pdf_render` with WeasyPrint and stores the file encrypted
(``VersleuteldBestand``, soort ``rapportage_pdf``), replacing an older one. ``redactie`` chooses what
the document shows: ``volledig`` (the Uitvoerder: contact attempts with their notes) or
``zonder_notities`` (the Gemeente's view under the tenant's consent, scope ``rapportage``: the same
report without the notes of contact attempts). The task stores both: ``Rapportage.pdf`` and
``Rapportage.pdf_gemeente``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from meldingen.dossiers.models import Dossier
from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.models import VersleuteldBestand
from meldpunt.privacy.services import versleuteld_bestand_create

from .inhoud import (
    KAN_BETALEN,
    LAST_STATUSSEN,
    PLANNEN,
    REDACTIES,
    VASTE_LASTEN,
    rapportage_valideren,
    rapportage_volledigheid,
)
from .models import Rapportage
from .selectors import rapportage_inhoud, rapportage_loggen

PDF_SOORT = "rapportage_pdf"
PDF_SOORT_GEMEENTE = "rapportage_pdf_gemeente"


@transaction.atomic
def rapportage_pdf_maken(*, dossier_id: uuid.UUID | str) -> Rapportage | None:
    """Render and store the PDF of the rapportage as it is now; replaces an older PDF.

    Idempotent: when the stored PDF is newer than the last change, nothing happens (a redelivered
    task does no work twice). Returns None when the dossier or its rapportage no longer exists.
    """
    rapportage = (
        Rapportage.objects.select_for_update(of=("self",))
        .select_related("dossier__convenant", "dossier__sleutel", "dossier__behandelaar")
        .filter(dossier_id=dossier_id, inhoud__isnull=False)
        .first()
    )
    if rapportage is None or rapportage.dossier.sleutel.vernietigd:
        return None
    if rapportage.pdf_id and rapportage.pdf_gemaakt_op and rapportage.pdf_gemaakt_op >= rapportage.bijgewerkt_op:
        return rapportage
    dossier = rapportage.dossier
    inhoud = rapportage_inhoud(rapportage)
    bestanden = {}
    for redactie, soort in (("volledig", PDF_SOORT), ("zonder_notities", PDF_SOORT_GEMEENTE)):
        pdf = rapportage_pdf_render(dossier=dossier, inhoud=inhoud, volledig=rapportage.volledig, redactie=redactie)
        bestanden[redactie] = versleuteld_bestand_create(
            sleutel=dossier.sleutel,
            soort=soort,
            naam=f"rapportage-{dossier.nummer}.pdf",
            mime="application/pdf",
            inhoud=pdf,
        )
    oud = [pk for pk in (rapportage.pdf_id, rapportage.pdf_gemeente_id) if pk]
    nu = timezone.now()
    Rapportage.objects.filter(pk=rapportage.pk).update(
        pdf=bestanden["volledig"], pdf_gemeente=bestanden["zonder_notities"], pdf_gemaakt_op=nu
    )
    if oud:
        VersleuteldBestand.objects.filter(pk__in=oud).delete()
    rapportage.pdf, rapportage.pdf_gemeente = bestanden["volledig"], bestanden["zonder_notities"]
    rapportage.pdf_gemaakt_op = nu
    rapportage_loggen(
        rapportage, dossier, actie="aanmaken", door=None, herkomst="taak:meldingen.tasks.maak_rapportage_pdf"
    )
    return rapportage


def _bedrag_nl(waarde: str | None) -> str:
    if waarde is None:
        return ""
    geheel, _, centen = f"{Decimal(waarde):,.2f}".partition(".")
    return f"€ {geheel.replace(',', '.')},{centen}"


def rapportage_html(
    *,
    dossier: Dossier,
    inhoud: dict[str, Any],
    volledig: bool,
    redactie: str = "volledig",
    nu: dt.datetime | None = None,
) -> str:
    """The Dutch HTML document of the rapportage (see the module docstring for ``redactie``)."""
    context = rapportage_context(dossier=dossier, inhoud=inhoud, volledig=volledig, redactie=redactie, nu=nu)
    return render_to_string("meldingen/rapportage/pdf.html", context)


def rapportage_context(
    *,
    dossier: Dossier,
    inhoud: dict[str, Any],
    volledig: bool,
    redactie: str = "volledig",
    nu: dt.datetime | None = None,
) -> dict[str, Any]:
    """What the rapportage shows, decrypted and labelled (callers checked access and log the read)."""
    if redactie not in REDACTIES:
        raise ValueError(f"onbekende redactie {redactie!r}")
    inhoud, _ = rapportage_valideren(inhoud)
    kluis = Kluis(dossier.sleutel)
    melding = dossier.meldingen.order_by("-ontvangen_op").first()
    gegevens = kluis.ontsleutel(bytes(melding.gegevens or b""), context=melding.context) if melding else {}
    pogingen = [
        (
            p,
            kluis.ontsleutel(bytes(p.notitie), context=f"meldingen.contactpoging:{p.pk}")
            if p.notitie and redactie == "volledig"
            else "",
        )
        for p in dossier.contactpogingen.order_by("datum", "pk")
    ]
    _, ontbreekt = rapportage_volledigheid(inhoud)
    lijst = lambda naam, sleutel: [(r[sleutel], _bedrag_nl(r["bedrag"])) for r in inhoud[naam]]  # noqa: E731
    return {
        "dossier": dossier,
        "huurder": gegevens.get("huurder", {}),
        "adres": gegevens.get("adres", {}),
        "inhoud": inhoud,
        "inkomsten": lijst("inkomsten", "bron"),
        "uitgaven": lijst("uitgaven", "omschrijving"),
        "schulden": lijst("schulden", "schuldeiser"),
        "vaste_lasten": [
            (
                label,
                LAST_STATUSSEN.get(inhoud["vaste_lasten"][last]["status"], "niet ingevuld"),
                _bedrag_nl(inhoud["vaste_lasten"][last]["achterstand"]),
            )
            for last, label in VASTE_LASTEN.items()
        ],
        "kan_betalen": KAN_BETALEN.get(inhoud["kan_betalen"], "niet ingevuld"),
        "plan": [PLANNEN[p] for p in inhoud["plan"]],
        "pogingen": pogingen,
        "met_notities": redactie == "volledig",
        "volledig": volledig,
        "ontbreekt": ontbreekt,
        "gemaakt_op": timezone.localtime(nu or timezone.now()),
    }


def rapportage_pdf_render(
    *, dossier: Dossier, inhoud: dict[str, Any], volledig: bool, redactie: str = "volledig"
) -> bytes:
    """The PDF bytes of :func:`rapportage_html` (WeasyPrint is imported here: only the worker needs it)."""
    from meldpunt.core.pdf import pdf_render

    html = rapportage_html(dossier=dossier, inhoud=inhoud, volledig=volledig, redactie=redactie)
    return pdf_render(html)
