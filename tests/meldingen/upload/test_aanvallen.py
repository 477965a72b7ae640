"""Upload attacks as generated files (docs/security.md): each is refused with a Dutch message by the worker,
before openpyxl builds cells or a rejected-rows file is made, within seconds; the web request parses
nothing."""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from collections.abc import Callable
from unittest import mock

import pytest

from meldingen.models import Bestandsupload, UploadStatus
from meldingen.upload import limieten
from meldingen.upload.bestand import lees_bestand, tel_rijen
from meldingen.upload.parser import KOLOMMEN, BestandFout
from meldingen.upload.schrijven import afgewezen_bestand
from meldingen.upload.services import upload_create
from meldingen.upload.verwerking import upload_verwerken
from tests.meldingen.upload.helpers import als_cellen, csv_bytes, rij, xlsx_bytes

BLAD = "xl/worksheets/sheet1.xml"


def bewerk(inhoud: bytes, pad: str, wijzig: Callable[[str], str], *, extra: dict[str, bytes] | None = None) -> bytes:
    """The archive with member ``pad`` rewritten (deflated, as Excel does) and ``extra`` members added."""
    uit = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(inhoud)) as bron, zipfile.ZipFile(uit, "w", zipfile.ZIP_DEFLATED) as doel:
        for lid in bron.infolist():
            data = bron.read(lid.filename)
            if lid.filename == pad:
                data = wijzig(data.decode()).encode()
            doel.writestr(lid.filename, data)
        for naam, data in (extra or {}).items():
            doel.writestr(naam, data)
    return uit.getvalue()


def geldig_xlsx() -> bytes:
    return xlsx_bytes([als_cellen(rij())])


def voor_sheetdata_einde(xml: str, invoegen: str) -> str:
    return xml.replace("</sheetData>", invoegen + "</sheetData>")


def zip_bom() -> bytes:
    # 30 MB of one repeated row element: deflates to some 30 KB (ratio about 1,000).
    herhaald = '<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 600_000
    return bewerk(geldig_xlsx(), BLAD, lambda xml: voor_sheetdata_einde(xml, herhaald))


def met_gedeelde_teksten(*teksten: str) -> bytes:
    """A valid file plus a shared-strings table (checked by name, whether or not the workbook refers to it)."""
    si = "".join(f"<si><t>{t}</t></si>" for t in teksten)
    sst = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(teksten)}" uniqueCount="{len(teksten)}">{si}</sst>'
    )
    return bewerk(geldig_xlsx(), "", lambda x: x, extra={"xl/sharedStrings.xml": sst.encode()})


def grote_gedeelde_tekst() -> bytes:
    return met_gedeelde_teksten("A" * 500_000)


def brede_kopregel_xlsx() -> bytes:
    return bewerk(
        geldig_xlsx(),
        BLAD,
        lambda xml: voor_sheetdata_einde(xml, '<row r="3"><c r="XFD3" t="inlineStr"><is><t>x</t></is></c></row>'),
    )


def verre_rij() -> bytes:
    return bewerk(
        geldig_xlsx(),
        BLAD,
        lambda xml: voor_sheetdata_einde(
            xml, '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        ),
    )


def samengevoegd_over_alle_rijen() -> bytes:
    def wijzig(xml: str) -> str:
        merges = '<mergeCells count="1"><mergeCell ref="A2:A1048576"/></mergeCells>'
        return re.sub(r"</sheetData>", "</sheetData>" + merges, xml, count=1)

    return bewerk(geldig_xlsx(), BLAD, wijzig)


def veel_samenvoegingen() -> bytes:
    def wijzig(xml: str) -> str:
        merges = "".join(f'<mergeCell ref="Z{r}:AA{r}"/>' for r in range(3, 1_100))
        return re.sub(r"</sheetData>", f'</sheetData><mergeCells count="1097">{merges}</mergeCells>', xml, count=1)

    return bewerk(geldig_xlsx(), BLAD, wijzig)


def brede_csv(kolommen: int = 200_000, rijen: int = 500) -> bytes:
    """The probe's file: a header with 200,000 empty columns and 500 bad rows (about 280 KB... and more)."""
    kop = ";".join(KOLOMMEN) + ";" * kolommen
    return (kop + "\r\n" + "\r\n".join("x;" * 3 for _ in range(rijen))).encode()


def lange_cel_csv() -> bytes:
    return csv_bytes([rij(achternaam="B" * 5_000)])


def brede_rij_csv() -> bytes:
    return csv_bytes([rij()]) + (";".join(["x"] * 150_000)).encode() + b"\r\n"


AANVALLEN = [
    (zip_bom, "zip-bom"),
    (grote_gedeelde_tekst, "tekst van meer dan 1.000 tekens"),
    (brede_kopregel_xlsx, "kolom 16.384"),
    (verre_rij, "rij 1.048.576"),
    (samengevoegd_over_alle_rijen, "samengevoegde cellen"),
    (veel_samenvoegingen, "samengevoegde cellen"),
    (brede_csv, "De kopregel heeft 200."),
    (lange_cel_csv, "meer dan 1.000 tekens"),
    (brede_rij_csv, "meer dan 100 cellen"),
]
IDS = [maak.__name__ for maak, _ in AANVALLEN]


@pytest.mark.parametrize(("maak", "bericht"), AANVALLEN, ids=IDS)
def test_an_attack_file_is_refused_quickly_with_a_dutch_message(maak, bericht):
    inhoud = maak()
    begin = time.monotonic()
    with pytest.raises(BestandFout) as exc:
        tel_rijen(lees_bestand(inhoud))
    assert bericht in exc.value.bericht
    assert time.monotonic() - begin < 10


@pytest.mark.django_db
@pytest.mark.parametrize(("maak", "bericht"), AANVALLEN[:2] + AANVALLEN[6:7], ids=IDS[:2] + IDS[6:7])
def test_the_request_only_stores_and_the_worker_refuses(tenant_a, maak, bericht):
    inhoud = maak()
    begin = time.monotonic()
    with mock.patch("meldingen.upload.services.verwerk_upload.delay_on_commit") as enqueue:
        upload = upload_create(bestand_bytes=inhoud, bestandsnaam="aanval", door=tenant_a.gebruikers["melder"])
    assert time.monotonic() - begin < 2 and enqueue.called
    assert upload.status == UploadStatus.WACHTRIJ and upload.totaal_rijen == 0
    upload_verwerken(upload_id=upload.pk)
    upload = Bestandsupload.objects.get(pk=upload.pk)
    assert upload.status == UploadStatus.MISLUKT and bericht in upload.foutmelding
    assert upload.afgewezen_bestand_id is None and upload.opgeslagen == 0


def test_too_many_shared_strings_are_refused():
    assert lees_bestand(met_gedeelde_teksten("a", "b", "c")).kolommen
    with mock.patch.object(limieten, "MAX_GEDEELDE_TEKSTEN", 2), pytest.raises(BestandFout) as exc:
        lees_bestand(met_gedeelde_teksten("a", "b", "c"))
    assert "verschillende teksten" in exc.value.bericht


def test_a_member_larger_than_allowed_is_refused():
    with mock.patch.object(limieten, "MAX_LID_BYTES", 100), pytest.raises(BestandFout) as exc:
        lees_bestand(geldig_xlsx())
    assert "zip-bom" in exc.value.bericht


def test_the_rejected_rows_file_is_never_wider_than_the_header():
    """Rows longer than the header are rejected; the rejected-rows file keeps only the header's columns."""
    breed = ";".join(["x"] * 90)
    inhoud = csv_bytes([rij(), rij()]) + breed.encode() + b"\r\n"
    bestand = lees_bestand(inhoud)
    assert tel_rijen(bestand) == 3
    uit = afgewezen_bestand(bestand, {4: ["te breed"]})
    (kop, rij_) = list(csv.reader(io.StringIO(uit.decode("utf-8-sig")), delimiter=";"))
    assert len(rij_) == len(kop) == len(bestand.kopregel) + 1
