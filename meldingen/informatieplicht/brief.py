"""The information letter to the tenant (art. 14 AVG), generated from the convenant's own data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from convenants.models import ConvenantParameters
from meldingen.dossiers.models import Dossier
from meldpunt.core.exceptions import ApplicationError
from meldpunt.privacy.kluis import Kluis

from .models import InformatieplichtUitzondering


@dataclass(frozen=True)
class Bewaartermijnen:
    uitvoerder_maanden: int
    gemeente_maanden: int


def _bewaartermijnen(dossier: Dossier, jaar: int) -> Bewaartermijnen:
    parameters = dossier.convenant.parameters_voor(jaar) or ConvenantParameters()
    return Bewaartermijnen(parameters.bewaartermijn_uitvoerder_maanden, parameters.bewaartermijn_gemeente_maanden)


def aanhef_naam(achternaam: str) -> str:
    """The surname as a Dutch salutation writes it without first names: the first tussenvoegsel capitalised
    ("de Vries-Bakker" → "Geachte heer/mevrouw De Vries-Bakker")."""
    achternaam = (achternaam or "").strip()
    return achternaam[:1].upper() + achternaam[1:]


def informatiebrief_context(*, dossier: Dossier, datum: dt.date | None = None) -> dict[str, Any]:
    """Everything the letter says, from the convenant's data and the dossier's first melding."""
    datum = datum or timezone.localdate()
    melding = dossier.meldingen.order_by("ontvangen_op", "pk").first()
    if melding is None or melding.gegevens is None:
        raise ApplicationError("Dit dossier bevat geen gegevens van de huurder.")
    gegevens = Kluis(dossier.sleutel).ontsleutel(melding.gegevens, context=melding.context)
    huurder = gegevens.get("huurder", {})
    adres = gegevens.get("adres", {})
    convenant = dossier.convenant
    return {
        "datum": datum,
        "dossier": dossier,
        "convenant": convenant,
        "gemeente": convenant.gemeente,
        "partner": dossier.partner,
        "uitvoerder": convenant.uitvoerder,
        "bewaartermijnen": _bewaartermijnen(dossier, datum.year),
        "aanhef_naam": aanhef_naam(huurder.get("achternaam", "")),
        "huurder_naam": " ".join(
            d for d in (huurder.get("voornamen") or huurder.get("voorletters"), huurder.get("achternaam")) if d
        ),
        "adres_regel": " ".join(
            str(d) for d in (adres.get("straat", ""), adres.get("huisnummer", ""), adres.get("toevoeging", "")) if d
        ),
        "postcode_plaats": " ".join(d for d in (adres.get("postcode", ""), adres.get("woonplaats", "")) if d),
        "is_eo": dossier.type == "EO",
        "uitzonderingen": [c for c in InformatieplichtUitzondering if c.value],
    }


def informatiebrief_html(*, dossier: Dossier, datum: dt.date | None = None) -> str:
    return render_to_string(
        "meldingen/informatieplicht/brief.html", informatiebrief_context(dossier=dossier, datum=datum)
    )


def informatiebrief_pdf(html: str) -> bytes:
    """Render the letter's HTML with WeasyPrint (imported lazily: it is heavy and needs system libraries)."""
    from meldpunt.core.pdf import pdf_render

    return pdf_render(html, css=render_to_string("meldingen/informatieplicht/brief.css"))
