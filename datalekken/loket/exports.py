"""The register as CSV or XLSX (formula-like text neutralised) and one breach's report as PDF."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from meldingen.upload.schrijven import neutraliseer

from ..register.inhoud import inhoud_lezen
from ..register.models import Datalek
from ..register.workflow import Aard, Categorie, Oorzaak, Soort
from .selectors import Regel

KOPREGEL = [
    "nummer",
    "status",
    "convenanten",
    "gemeld door",
    "ontdekt op",
    "FG geïnformeerd op",
    "uiterlijk AP",
    "soort",
    "aard",
    "oorzaak",
    "categorieën",
    "aantal min",
    "aantal max",
    "kinderen",
    "kwetsbare groepen",
    "besluit AP",
    "gemeld aan AP op",
    "besluit betrokkenen",
    "afgesloten op",
    "wat is er gebeurd",
    "maatregelen",
]


def _tijd(waarde: Any) -> str:
    return f"{timezone.localtime(waarde):%d-%m-%Y %H:%M}" if waarde else ""


def _lijst(waarden: list[str], keuzes: Any) -> str:
    labels = dict(keuzes.choices)
    return ", ".join(str(labels.get(w, w)) for w in waarden)


def _ja_nee(waarde: bool | None) -> str:
    return {True: "ja", False: "nee"}.get(waarde, "onbekend") if waarde is not None else "onbekend"


def register_rijen(regels: list[Regel]) -> list[list[Any]]:
    rijen = []
    for regel in regels:
        d = regel.datalek
        teksten = inhoud_lezen(d)
        rijen.append(
            [
                d.nummer,
                d.get_status_display(),
                ", ".join(c.naam for c in d.convenanten.all()),
                d.melder_organisatie.naam,
                _tijd(d.ontdekt_op),
                _tijd(d.fg_geinformeerd_op),
                _tijd(regel.ap.uiterlijk),
                _lijst(d.soort, Soort),
                _lijst(d.aard, Aard),
                dict(Oorzaak.choices).get(d.oorzaak, ""),
                _lijst(d.categorieen, Categorie),
                d.aantal_min if d.aantal_min is not None else "",
                d.aantal_max if d.aantal_max is not None else "",
                _ja_nee(d.betreft_kinderen),
                _ja_nee(d.betreft_kwetsbaren),
                d.get_ap_besluit_display(),
                _tijd(d.ap_gemeld_op),
                d.get_betrokkenen_besluit_display(),
                _tijd(d.afgesloten_op),
                teksten["omschrijving"],
                teksten["maatregelen_genomen"],
            ]
        )
    return rijen


def register_bestand(regels: list[Regel], formaat: str) -> bytes:
    """CSV (``;``, UTF-8 with BOM, for Excel) or XLSX; text a spreadsheet would run as a formula is neutralised."""
    rijen = [KOPREGEL, *register_rijen(regels)]
    if formaat == "csv":
        uit = io.StringIO(newline="")
        writer = csv.writer(uit, delimiter=";", lineterminator="\r\n")
        for rij in rijen:
            writer.writerow([neutraliseer(c) for c in rij])
        return "\ufeff".encode() + uit.getvalue().encode("utf-8")
    from openpyxl import Workbook

    boek = Workbook(write_only=True)
    blad = boek.create_sheet("Datalekkenregister")
    for rij in rijen:
        blad.append([neutraliseer(c) for c in rij])
    bestand = io.BytesIO()
    boek.save(bestand)
    return bestand.getvalue()


def rapport_pdf(context: dict[str, Any]) -> bytes:
    from meldpunt.core.pdf import pdf_render

    return pdf_render(render_to_string("datalekken/loket/rapport.html", context))


def rapport_context(datalek: Datalek) -> dict[str, Any]:
    from ..register.klokken import ap_termijn, verwerker_termijn

    return {
        "datalek": datalek,
        "teksten": inhoud_lezen(datalek),
        "ap": ap_termijn(datalek),
        "verwerker": verwerker_termijn(datalek),
        "ap_meldingen": list(datalek.ap_meldingen.all()),
        "koppelingen": list(datalek.koppelingen.select_related("dossier")),
        "voortgang": list(datalek.voortgang.select_related("door")),
        "soorten": _lijst(datalek.soort, Soort),
        "aard": _lijst(datalek.aard, Aard),
        "categorieen": _lijst(datalek.categorieen, Categorie),
        "oorzaak": dict(Oorzaak.choices).get(datalek.oorzaak, ""),
        "gemaakt_op": timezone.now(),
    }
