"""Files of meldingen as a Partner would upload them, built from the valid values of tests/meldingen."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from typing import Any

from meldingen.upload.parser import KOLOMMEN
from tests.meldingen.helpers import VANDAAG, api_melding


def rij(convenant: str = "alfa", /, vandaag: dt.date = VANDAAG, **wijzigingen: Any) -> dict[str, Any]:
    """One valid VEO row in the file's flat shape, with the API example's values.

    The voortraject dates lie 52 and 45 days before ``vandaag`` (default the fixed test date) so that
    tests against the real worker, which runs on the real clock, can pass ``date.today()``.
    """
    data = api_melding(convenant)
    h, a, ach = data["huurder"], data["adres"], data["achterstand"]
    herinnering, contact = vandaag - dt.timedelta(days=52), vandaag - dt.timedelta(days=45)
    waarden: dict[str, Any] = {
        "convenant": data["convenant"],
        "type": data["type"],
        "referentie": data["referentie"],
        "achternaam": h["achternaam"],
        "voornamen": h["voornamen"],
        "voorletters": h["voorletters"],
        "geboortedatum": "17-05-1980",
        "telefoon": h["telefoon"],
        "email": h["email"],
        "straat": a["straat"],
        "huisnummer": str(a["huisnummer"]),
        "toevoeging": a["toevoeging"],
        "postcode": a["postcode"],
        "woonplaats": a["woonplaats"],
        "minderjarige_kinderen": str(data["huishouden"]["minderjarige_kinderen"]),
        "achterstand_bedrag": "1.300,00",
        "achterstand_maanden": str(ach["maanden"]),
        "herhaald": "nee",
        "maandhuur": "650,00",
        "herinnering_op": herinnering.strftime("%d-%m-%Y"),
        "contactpoging_op": contact.isoformat(),
        "informatie_doorgifte_op": contact.isoformat(),
        "vonnisdatum": "",
        "ontruimingsdatum": "",
    }
    waarden.update(wijzigingen)
    return waarden


def csv_bytes(
    rijen: Iterable[Mapping[str, Any]],
    *,
    kolommen: Iterable[str] = KOLOMMEN,
    scheiding: str = ";",
    codering: str = "utf-8",
    bom: bool = False,
    kopregel: Iterable[str] | None = None,
) -> bytes:
    kolommen = list(kolommen)
    uit = io.StringIO(newline="")
    writer = csv.writer(uit, delimiter=scheiding, lineterminator="\r\n")
    writer.writerow(list(kopregel) if kopregel is not None else kolommen)
    for r in rijen:
        writer.writerow([r.get(k, "") for k in kolommen])
    data = uit.getvalue().encode(codering)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(
    rijen: Iterable[Iterable[Any]],
    *,
    kopregel: Iterable[Any] = KOLOMMEN,
    samenvoegen: Iterable[str] = (),
    tweede_blad: bool = False,
) -> bytes:
    """An XLSX with the header on the first sheet; ``rijen`` are cell lists in header order."""
    from openpyxl import Workbook

    boek = Workbook()
    blad = boek.active
    blad.title = "Meldingen"
    blad.append(list(kopregel))
    for r in rijen:
        blad.append(list(r))
    for bereik in samenvoegen:
        blad.merge_cells(bereik)
    if tweede_blad:
        boek.create_sheet("Toelichting").append(["niet gelezen"])
    uit = io.BytesIO()
    boek.save(uit)
    return uit.getvalue()


def als_cellen(r: Mapping[str, Any], kolommen: Iterable[str] = KOLOMMEN) -> list[Any]:
    return [r.get(k, "") or None for k in kolommen]


def met_berekende_waarden(xlsx: bytes, waarden: Mapping[str, str]) -> bytes:
    """Give formula cells a cached value, as Excel does when it saves (openpyxl writes none)."""
    bron = zipfile.ZipFile(io.BytesIO(xlsx))
    uit = io.BytesIO()
    with zipfile.ZipFile(uit, "w", zipfile.ZIP_DEFLATED) as doel:
        for info in bron.infolist():
            data = bron.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                tekst = data.decode()
                for ref, waarde in waarden.items():
                    tekst, aantal = re.subn(
                        rf'(<c r="{ref}"[^>]*>)<f>(.*?)</f><v\s*/>|(<c r="{ref}"[^>]*>)<f>(.*?)</f><v>\s*</v>',
                        lambda m, w=waarde: f"{m.group(1) or m.group(3)}<f>{m.group(2) or m.group(4)}</f><v>{w}</v>",
                        tekst,
                    )
                    assert aantal == 1, (ref, tekst[:2000])
                data = tekst.encode()
            doel.writestr(info, data)
    return uit.getvalue()


def verwerkte_upload(tenant: Any) -> Any:
    """A processed upload of ``tenant``'s melder with one stored and one rejected row (real clock)."""
    from meldingen.upload.services import upload_create
    from meldingen.upload.verwerking import upload_verwerken

    vandaag = dt.date.today()
    inhoud = csv_bytes(
        [
            rij(tenant.convenant.slug, vandaag=vandaag, referentie="UPLOAD-1"),
            rij(tenant.convenant.slug, vandaag=vandaag, referentie="UPLOAD-2", postcode="onbekend"),
        ]
    )
    upload = upload_create(bestand_bytes=inhoud, bestandsnaam="meldingen.csv", door=tenant.gebruikers["melder"])
    upload_verwerken(upload_id=upload.pk)
    upload.refresh_from_db()
    assert upload.afgewezen_bestand_id is not None
    return upload


def met_gedeelde_teksten(xlsx: bytes) -> bytes:
    """Rewrite openpyxl's inline strings as a shared-strings table, as Excel itself saves text."""
    bron = zipfile.ZipFile(io.BytesIO(xlsx))
    teksten: list[str] = []

    index: dict[str, int] = {}

    def gedeeld(m: re.Match[str]) -> str:
        tekst = re.sub(r"<[^>]+>", "", m.group(2))  # still XML-escaped, as the table needs it
        if tekst not in index:
            index[tekst] = len(teksten)
            teksten.append(tekst)
        return f'{m.group(1)} t="s"><v>{index[tekst]}</v></c>'

    uit = io.BytesIO()
    with zipfile.ZipFile(uit, "w", zipfile.ZIP_DEFLATED) as doel:
        for info in bron.infolist():
            data = bron.read(info.filename).decode()
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(r'(<c r="[A-Z]+\d+")[^>]*t="inlineStr"[^>]*><is>(.*?)</is></c>', gedeeld, data)
            elif info.filename == "[Content_Types].xml":
                data = data.replace(
                    "</Types>",
                    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                    'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    "</Relationships>",
                    '<Relationship Id="rIdGedeeld" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
                )
            doel.writestr(info, data)
        items = "".join(f'<si><t xml:space="preserve">{t}</t></si>' for t in teksten)
        doel.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{len(teksten)}" uniqueCount="{len(teksten)}">{items}</sst>',
        )
    return uit.getvalue()
