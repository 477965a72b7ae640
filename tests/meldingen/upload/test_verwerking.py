"""Processing an upload in-process: per-row results, repeats, resume after a crash, rejected rows, cleanup."""

from __future__ import annotations

import csv
import datetime as dt
import io
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from meldingen.intake.models import Kanaal
from meldingen.intake.services import melding_gegevens, meldingen_bulk_create
from meldingen.models import Bestandsupload, Dossier, Melding, UploadStatus
from meldingen.upload import controle, services, verwerking
from meldingen.upload.parser import FOUT_BEDRAG
from meldingen.upload.services import upload_create
from meldingen.upload.verwerking import upload_opruimen, upload_verwerken, uploads_opruimen
from meldpunt.audit.models import LogRegel
from meldpunt.core.exceptions import ApplicationError
from meldpunt.privacy.crypto import SleutelVernietigd
from meldpunt.privacy.models import Vernietiging, VersleuteldBestand
from meldpunt.privacy.services import versleuteld_bestand_lezen
from tests.meldingen.helpers import VANDAAG
from tests.meldingen.upload.helpers import als_cellen, csv_bytes, rij, xlsx_bytes
from tests.persoonsgegevens import ACHTERNAAM

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vaste_datum():
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


def uploaden(tenant, inhoud: bytes, naam: str = "meldingen.csv") -> Bestandsupload:
    return upload_create(bestand_bytes=inhoud, bestandsnaam=naam, door=tenant.gebruikers["melder"])


def verwerken(upload: Bestandsupload, **kwargs) -> Bestandsupload:
    upload_verwerken(upload_id=upload.pk, **kwargs)
    upload.refresh_from_db()
    return upload


def tellers(upload: Bestandsupload) -> tuple[int, int, int, int, int]:
    return (upload.verwerkt_rijen, upload.opgeslagen, upload.vervolgmeldingen, upload.al_ontvangen, upload.afgewezen)


def afgewezen_csv(upload: Bestandsupload) -> list[list[str]]:
    _, inhoud = versleuteld_bestand_lezen(upload.afgewezen_bestand)
    assert inhoud.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(inhoud[3:].decode("utf-8"), newline=""), delimiter=";"))


# --- accepting the file ------------------------------------------------------------------------------
def test_upload_is_stored_encrypted_and_queued(tenant_a):
    inhoud = csv_bytes([rij(referentie="R-1"), rij(referentie="R-2")])
    with mock.patch("meldingen.upload.services.verwerk_upload.delay_on_commit") as enqueue:
        upload = uploaden(tenant_a, inhoud)
    enqueue.assert_called_once_with(str(upload.pk))
    # Nothing is parsed in the request: the worker counts the rows.
    assert upload.status == UploadStatus.WACHTRIJ and upload.totaal_rijen == 0
    assert upload.organisatie == tenant_a.partner and upload.door == tenant_a.gebruikers["melder"]
    bestand = VersleuteldBestand.objects.get(pk=upload.bestand_id)
    assert bestand.sleutel_id == upload.sleutel_id
    assert ACHTERNAAM.encode() not in bytes(bestand.inhoud)
    assert versleuteld_bestand_lezen(bestand) == ("meldingen.csv", inhoud)
    regel = LogRegel.objects.get(object_type="meldingen.bestandsupload", object_id=str(upload.pk))
    assert regel.actie == "aanmaken" and regel.organisatie_id == tenant_a.partner.pk


@pytest.mark.parametrize(
    ("inhoud", "bericht"),
    [
        (b"", "Het bestand is leeg."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
    ],
    ids=["leeg", "oud-excel"],
)
def test_a_file_that_cannot_be_used_is_refused_and_nothing_is_stored(tenant_a, inhoud, bericht):
    with pytest.raises(ApplicationError) as exc:
        uploaden(tenant_a, inhoud)
    assert bericht in exc.value.message
    assert exc.value.field_errors() == {"bestand": [exc.value.message]}
    assert not Bestandsupload.objects.exists() and not VersleuteldBestand.objects.exists()


@pytest.mark.parametrize(
    ("inhoud", "bericht"),
    [
        (csv_bytes([]), "geen meldingen"),
        (csv_bytes([rij()], kolommen=[k for k in rij() if k not in ("postcode", "maandhuur")]), "postcode, maandhuur"),
    ],
    ids=["alleen-kopregel", "kolommen-ontbreken"],
)
def test_a_file_the_worker_cannot_use_fails_with_the_reason_and_stores_nothing(tenant_a, inhoud, bericht):
    with mock.patch("meldingen.upload.services.verwerk_upload.delay_on_commit"):
        upload = uploaden(tenant_a, inhoud)
    upload_verwerken(upload_id=upload.pk)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.MISLUKT and bericht in upload.foutmelding
    assert upload.opgeslagen == 0 and upload.afgewezen_bestand_id is None


def test_only_a_partners_melder_may_upload(tenant_a):
    with pytest.raises(ApplicationError):
        upload_create(bestand_bytes=csv_bytes([rij()]), bestandsnaam="x.csv", door=tenant_a.gebruikers["hulpverlener"])
    with pytest.raises(ApplicationError):
        upload_create(
            bestand_bytes=csv_bytes([rij()]), bestandsnaam="x.csv", door=tenant_a.gebruikers["partner_beheer"]
        )
    assert not Bestandsupload.objects.exists()


def test_a_file_above_the_size_limit_is_refused(tenant_a):
    with mock.patch.object(services, "MAX_BESTAND_BYTES", 100), pytest.raises(ApplicationError) as exc:
        uploaden(tenant_a, csv_bytes([rij()]))
    assert "groter dan" in exc.value.message


# --- processing ----------------------------------------------------------------------------------------
def test_valid_rows_are_stored_and_invalid_rows_reported_per_row_field_and_message(tenant_a):
    rijen = [
        rij(tenant_a.convenant.slug, referentie="R-1"),
        rij(tenant_a.convenant.slug, referentie="R-2", geboortedatum="31-02-1980", achterstand_bedrag="veel"),
        rij(tenant_a.convenant.slug, referentie="R-3", achterstand_maanden="1"),
        rij(tenant_a.convenant.slug, referentie="R-4", type="EO", vonnisdatum="01-11-2026", ontruimingsdatum=""),
        rij(tenant_a.convenant.slug, referentie="R-5", achterstand_bedrag="€ 2.600,00", herhaald="ja"),
        rij("bestaat-niet", referentie="R-6"),
    ]
    upload = verwerken(uploaden(tenant_a, csv_bytes(rijen)))

    assert upload.status == UploadStatus.KLAAR and upload.klaar_op is not None
    assert tellers(upload) == (6, 2, 0, 0, 4)
    assert upload.totaal_rijen == 6
    assert upload.fouten == [
        {"rij": 3, "veld": "geboortedatum", "bericht": "Deze datum bestaat niet."},
        {"rij": 3, "veld": "achterstand_bedrag", "bericht": FOUT_BEDRAG},
        {
            "rij": 4,
            "veld": "achterstand_maanden",
            "bericht": "Te weinig achterstand voor een melding: ten minste 2 maanden, "
            "of 1 maand bij herhaalde achterstand.",
        },
        {"rij": 5, "veld": "ontruimingsdatum", "bericht": "Vul de ontruimingsdatum in."},
        {"rij": 7, "veld": "convenant", "bericht": "Dit convenant bestaat niet."},
    ]
    meldingen = Melding.objects.filter(upload=upload).order_by("achterstand_bedrag")
    assert [m.kanaal for m in meldingen] == [Kanaal.BESTAND, Kanaal.BESTAND]
    assert [str(m.achterstand_bedrag) for m in meldingen] == ["1300.00", "2600.00"]
    assert all(m.ingediend_door == tenant_a.gebruikers["melder"] for m in meldingen)
    gegevens = melding_gegevens(meldingen[0])
    assert gegevens["huurder"]["achternaam"] == ACHTERNAAM and gegevens["adres"]["postcode"] == "1111 AB"
    assert gegevens["voortraject"]["herinnering_op"] == (VANDAAG - dt.timedelta(days=52)).isoformat()
    herkomsten = set(LogRegel.objects.filter(object_type="meldingen.melding").values_list("herkomst", flat=True))
    assert herkomsten == {f"upload:{upload.pk}"}


def test_a_windows_1252_file_with_a_comma_and_dutch_decimals_is_stored_with_its_accents(tenant_a):
    inhoud = csv_bytes([rij(voornamen="Zoë Hélène", maandhuur="650,50")], scheiding=",", codering="cp1252")
    upload = verwerken(uploaden(tenant_a, inhoud))
    assert tellers(upload) == (1, 1, 0, 0, 0)
    melding = Melding.objects.get(upload=upload)
    assert melding_gegevens(melding)["huurder"]["voornamen"] == "Zoë Hélène"
    assert str(melding.maandhuur) == "650.50" and str(melding.achterstand_bedrag) == "1300.00"


def test_uploading_the_same_file_again_stores_nothing_new(tenant_a):
    inhoud = csv_bytes([rij(referentie=f"R-{i}") for i in range(5)] + [rij(referentie="R-X", postcode="123")])
    eerste = verwerken(uploaden(tenant_a, inhoud))
    assert tellers(eerste) == (6, 5, 0, 0, 1)
    meldingen, dossiers = Melding.objects.count(), Dossier.objects.count()

    tweede = verwerken(uploaden(tenant_a, inhoud))
    assert tellers(tweede) == (6, 0, 0, 5, 1)
    assert (Melding.objects.count(), Dossier.objects.count()) == (meldingen, dossiers)
    assert not Melding.objects.filter(upload=tweede).exists()


def test_same_rows_in_another_format_are_recognised_as_already_received(tenant_a):
    verwerken(uploaden(tenant_a, csv_bytes([rij(referentie="R-1", achterstand_bedrag="1300.00")])))
    anders = rij(referentie="R-1", achterstand_bedrag="€ 1.300,00", geboortedatum="1980-05-17", herhaald="0")
    xlsx = xlsx_bytes([als_cellen(anders)])
    upload = verwerken(uploaden(tenant_a, xlsx, "meldingen.xlsx"))
    assert tellers(upload) == (1, 0, 0, 1, 0)


def test_a_second_row_for_an_open_tenancy_becomes_a_vervolgmelding(tenant_a):
    rijen = [rij(referentie="R-1"), rij(referentie="R-1", achterstand_bedrag="1950,00", achterstand_maanden="3")]
    upload = verwerken(uploaden(tenant_a, csv_bytes(rijen)))
    assert tellers(upload) == (2, 1, 1, 0, 0)
    assert Dossier.objects.count() == 1


def test_identical_rows_within_one_file_are_stored_once(tenant_a):
    upload = verwerken(uploaden(tenant_a, csv_bytes([rij(), rij(), rij()])))
    assert tellers(upload) == (3, 1, 0, 2, 0)


def test_processing_is_idempotent_once_finished(tenant_a):
    upload = verwerken(uploaden(tenant_a, csv_bytes([rij(referentie="R-1"), rij(postcode="x")])))
    bestand_id = upload.afgewezen_bestand_id
    upload = verwerken(upload)
    assert tellers(upload) == (2, 1, 0, 0, 1)
    assert upload.afgewezen_bestand_id == bestand_id and Melding.objects.count() == 1


def test_processing_in_blocks_counts_exactly(tenant_a):
    rijen = [rij(referentie=f"R-{i}", postcode="x" if i % 4 == 0 else "1111 AB") for i in range(23)]
    upload = verwerken(uploaden(tenant_a, csv_bytes(rijen)), blokgrootte=5)
    assert tellers(upload) == (23, 17, 0, 0, 6)
    assert [f["rij"] for f in upload.fouten] == [2, 6, 10, 14, 18, 22]


class WerkerGestopt(BaseException):
    """Stands in for a worker process killed mid-block (nothing after it runs, no handler catches it)."""


def test_a_worker_killed_mid_block_resumes_after_the_checkpoint_without_lost_or_doubled_rows(tenant_a):
    rijen = [rij(referentie=f"R-{i}", postcode="x" if i % 5 == 0 else "1111 AB") for i in range(20)]
    upload = uploaden(tenant_a, csv_bytes(rijen))
    echte = meldingen_bulk_create
    aanroepen = 0

    def sterft_in_het_derde_blok(**kwargs):
        nonlocal aanroepen
        aanroepen += 1
        resultaten = echte(**kwargs)
        if aanroepen == 3:  # the block's meldingen are written, its checkpoint not yet
            raise WerkerGestopt
        return resultaten

    with (
        mock.patch("meldingen.upload.verwerking.meldingen_bulk_create", sterft_in_het_derde_blok),
        pytest.raises(WerkerGestopt),
    ):
        upload_verwerken(upload_id=upload.pk, blokgrootte=5)
    upload.refresh_from_db()
    # Two blocks of 5 committed; the third block was rolled back as a whole.
    assert upload.status == UploadStatus.BEZIG
    assert tellers(upload) == (10, 8, 0, 0, 2)
    assert Melding.objects.count() == 8
    assert [f["rij"] for f in upload.fouten] == [2, 7]

    upload = verwerken(upload, blokgrootte=5)  # the redelivered task
    assert upload.status == UploadStatus.KLAAR
    assert tellers(upload) == (20, 16, 0, 0, 4)
    assert Melding.objects.filter(upload=upload).count() == 16 == Melding.objects.count()
    assert [f["rij"] for f in upload.fouten] == [2, 7, 12, 17]
    assert [r[0].split(":")[0] for r in afgewezen_csv(upload)[1:]] == ["Rij 2", "Rij 7", "Rij 12", "Rij 17"]


def test_a_checkpoint_advanced_by_a_crashed_run_is_respected(tenant_a):
    """The task function run directly with the checkpoint already past rows that were stored before."""
    rijen = [rij(referentie=f"R-{i}") for i in range(6)]
    upload = verwerken(uploaden(tenant_a, csv_bytes(rijen[:3])))
    assert tellers(upload) == (3, 3, 0, 0, 0)
    tweede = uploaden(tenant_a, csv_bytes(rijen))
    Bestandsupload.objects.filter(pk=tweede.pk).update(status=UploadStatus.BEZIG, verwerkt_rijen=2, opgeslagen=2)
    tweede = verwerken(tweede)
    # Rows 1-2 are behind the checkpoint; row 3 was stored by the first upload and is recognised.
    assert tellers(tweede) == (6, 5, 0, 1, 0)
    assert Melding.objects.count() == 6


def test_the_next_blocks_are_checked_in_a_process_of_their_own_while_this_one_is_stored(tenant_a, tmp_path):
    import os

    gecontroleerd_door = tmp_path / "pids"
    echte = controle.controleer_blok

    def controleer(*args, **kwargs):
        with gecontroleerd_door.open("a") as f:  # the child's memory is its own: a file tells
            f.write(f"{os.getpid()}\n")
        return echte(*args, **kwargs)

    with mock.patch("meldingen.upload.controle.controleer_blok", controleer):
        upload = verwerken(uploaden(tenant_a, csv_bytes([rij(referentie=f"R-{i}") for i in range(12)])), blokgrootte=5)
    assert tellers(upload) == (12, 12, 0, 0, 0)
    # The first block is checked here, before anything can overlap it; blocks 2 and 3 ahead, by one child.
    pids = gecontroleerd_door.read_text().split()
    assert len(pids) == 3 and pids[0] == str(os.getpid()) and pids[1] == pids[2] != pids[0]
    with pytest.raises(ChildProcessError):  # and the child is gone, waited for
        os.waitpid(-1, os.WNOHANG)


@pytest.mark.parametrize("einde", ["fout", "gestopt"])
def test_a_checking_process_that_fails_stops_the_upload_without_storing_half_a_block(tenant_a, caplog, einde):
    import os

    ouder = os.getpid()
    echte = controle.controleer_blok

    def controleer(bestand, blok, start, *args):
        if os.getpid() != ouder and start == 10:
            if einde == "gestopt":
                os._exit(9)  # killed, say
            raise ValueError(ACHTERNAAM)
        return echte(bestand, blok, start, *args)

    upload = uploaden(tenant_a, csv_bytes([rij(referentie=f"R-{i}") for i in range(17)]))
    with mock.patch("meldingen.upload.controle.controleer_blok", controleer):
        upload = verwerken(upload, blokgrootte=5)
    assert upload.status == UploadStatus.MISLUKT
    # Whole blocks only: the ten rows before the failing block, or five when the failure shows already
    # while block 2 is asked for (a child that is gone takes no more questions).
    opgeslagen = Melding.objects.count()
    assert opgeslagen in (5, 10) and tellers(upload)[:2] == (opgeslagen, opgeslagen)
    assert upload.foutmelding.startswith(f"Het verwerken is gestopt door een technische fout, na {opgeslagen} rijen.")
    assert ACHTERNAAM not in caplog.text and "RuntimeError" in caplog.text
    # Uploaded again, the rest is stored and the first ten are recognised.
    opnieuw = verwerken(uploaden(tenant_a, csv_bytes([rij(referentie=f"R-{i}") for i in range(17)])), blokgrootte=5)
    assert tellers(opnieuw) == (17, 17 - opgeslagen, 0, opgeslagen, 0)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_without_fork_the_blocks_are_checked_here_one_after_the_other(tenant_a):
    rijen = [rij(referentie=f"R-{i}", postcode="x" if i % 4 == 0 else "1111 AB") for i in range(23)]
    with mock.patch(
        "meldingen.upload.verwerking._controleur", lambda lezer, partner, bekend: controle.ControleHier(lezer, partner)
    ):
        upload = verwerken(uploaden(tenant_a, csv_bytes(rijen)), blokgrootte=5)
    assert tellers(upload) == (23, 17, 0, 0, 6)


def test_the_checking_process_cannot_use_the_database_it_shares_with_the_worker(tenant_a, caplog):
    """A query in the child would go over the worker's own connection: it is refused before it is sent, the
    upload fails cleanly, and the worker's connection is left as it was."""
    import os

    ouder = os.getpid()
    echte = controle.controleer_blok

    def controleer(bestand, blok, start, *args):
        if os.getpid() != ouder:
            Melding.objects.count()  # refused: never reaches the worker's connection
        return echte(bestand, blok, start, *args)

    upload = uploaden(tenant_a, csv_bytes([rij(referentie=f"R-{i}") for i in range(12)]))
    with mock.patch("meldingen.upload.controle.controleer_blok", controleer):
        upload = verwerken(upload, blokgrootte=5)
    assert upload.status == UploadStatus.MISLUKT and tellers(upload)[:2] == (5, 5)
    assert "RuntimeError" in caplog.text
    assert Melding.objects.count() == 5  # the worker's connection still answers, in step


def test_a_checkpoint_moved_by_another_delivery_drops_the_block_checked_ahead(tenant_a):
    """Another delivery stored rows 6-10 meanwhile: this one continues at row 11 and never stores 6-10."""
    from django.db.models import F

    upload = uploaden(tenant_a, csv_bytes([rij(referentie=f"R-{i}") for i in range(15)]))
    echte = verwerking._verwerk_blok
    blokken = []

    def en_een_andere_levering(upload, blok):
        echte(upload, blok)
        blokken.append(blok.start)
        if len(blokken) == 1:
            Bestandsupload.objects.filter(pk=upload.pk).update(
                verwerkt_rijen=F("verwerkt_rijen") + 5, opgeslagen=F("opgeslagen") + 5
            )

    with mock.patch("meldingen.upload.verwerking._verwerk_blok", en_een_andere_levering):
        upload = verwerken(upload, blokgrootte=5)
    assert upload.status == UploadStatus.KLAAR
    assert blokken == [0, 10]
    assert tellers(upload) == (15, 15, 0, 0, 0)
    opgeslagen = {melding_gegevens(m)["referentie"] for m in Melding.objects.select_related("dossier__sleutel")}
    assert opgeslagen == {f"R-{i}" for i in (*range(5), *range(10, 15))}


def test_an_unexpected_error_marks_the_upload_failed_with_a_dutch_message(tenant_a, caplog):
    upload = uploaden(tenant_a, csv_bytes([rij(referentie="R-1"), rij(referentie="R-2")]))
    with mock.patch("meldingen.upload.verwerking.meldingen_bulk_create", side_effect=ValueError(ACHTERNAAM)):
        upload = verwerken(upload)
    assert upload.status == UploadStatus.MISLUKT
    assert upload.foutmelding.startswith("Het verwerken is gestopt door een technische fout, na 0 rijen.")
    assert ACHTERNAAM not in caplog.text and "ValueError" in caplog.text


def test_a_cleaned_up_file_cannot_be_processed(tenant_a):
    upload = uploaden(tenant_a, csv_bytes([rij()]))
    upload_opruimen(upload=upload)
    upload = verwerken(upload)
    assert upload.status == UploadStatus.MISLUKT
    assert upload.foutmelding == "Het bestand is opgeruimd voordat het was verwerkt."
    assert not Melding.objects.exists()


# --- the rejected rows ---------------------------------------------------------------------------------
def test_rejected_rows_file_has_the_original_columns_an_error_column_and_neutralised_formulas(tenant_a):
    kolommen = ["Referentie", *[k for k in rij() if k != "referentie"], "eigen notitie"]
    rijen = [
        {**rij(referentie="R-1"), "eigen notitie": "goed"},
        {**rij(referentie='=HYPERLINK("http://x")', postcode="bad"), "eigen notitie": "+31 6 kwijt"},
        {**rij(referentie="R-3", achterstand_bedrag="-5"), "eigen notitie": "@SUM(A1)"},
        {**rij(referentie="\tR-4", huisnummer="12b"), "eigen notitie": "\rtekst"},
    ]
    sleutels = ["referentie", *[k for k in rij() if k != "referentie"], "eigen notitie"]
    inhoud = csv_bytes(rijen, kolommen=sleutels, kopregel=kolommen, scheiding=",")
    upload = verwerken(uploaden(tenant_a, inhoud))
    assert tellers(upload) == (4, 1, 0, 0, 3)

    kop, *afgewezen = afgewezen_csv(upload)
    assert kop == ["fout", *kolommen]
    assert [r[0] for r in afgewezen] == [
        "Rij 3: postcode: Vul een postcode in zoals 1234 AB.",
        f"Rij 4: achterstand_bedrag: {upload.fouten[1]['bericht']}",
        "Rij 5: huisnummer: Vul alleen het huisnummer in (cijfers); een toevoeging hoort in de kolom toevoeging.",
    ]
    assert upload.fouten[1]["bericht"].startswith("Het achterstandsbedrag ligt tussen € 0")
    assert afgewezen[0][1] == '\'=HYPERLINK("http://x")' and afgewezen[0][-1] == "'+31 6 kwijt"
    assert afgewezen[1][kop.index("achterstand_bedrag")] == "'-5" and afgewezen[1][-1] == "'@SUM(A1)"
    assert afgewezen[2][1] == "'\tR-4" and afgewezen[2][-1] == "'\rtekst"
    assert upload.afgewezen_bestand.mime.startswith("text/csv")


def test_rejected_rows_of_an_xlsx_come_back_as_xlsx(tenant_a):
    from openpyxl import load_workbook

    goed = als_cellen(rij(referentie="R-1"))
    fout = als_cellen(rij(referentie="+31 R", toevoeging="@A", postcode="x"))
    upload = verwerken(uploaden(tenant_a, xlsx_bytes([goed, fout]), "m.xlsx"))
    assert tellers(upload) == (2, 1, 0, 0, 1)
    _, inhoud = versleuteld_bestand_lezen(upload.afgewezen_bestand)
    blad = load_workbook(io.BytesIO(inhoud)).worksheets[0]
    rijen = list(blad.iter_rows(values_only=True))
    assert rijen[0][:3] == ("fout", "convenant", "type")
    assert rijen[1][0] == "Rij 3: postcode: Vul een postcode in zoals 1234 AB."
    assert rijen[1][3] == "'+31 R" and rijen[1][12] == "'@A"
    assert blad.cell(2, 4).data_type == "s"  # text, not a formula


def test_a_corrected_rejected_rows_file_can_be_uploaded_again(tenant_a):
    upload = verwerken(uploaden(tenant_a, csv_bytes([rij(referentie="R-1"), rij(referentie="R-2", postcode="x")])))
    _, inhoud = versleuteld_bestand_lezen(upload.afgewezen_bestand)
    verbeterd = inhoud.decode("utf-8-sig").replace(";x;", ";1111 AB;").encode("utf-8-sig")
    tweede = verwerken(uploaden(tenant_a, verbeterd))
    assert tellers(tweede) == (1, 1, 0, 0, 0)
    assert Melding.objects.count() == 2


# --- cleanup -------------------------------------------------------------------------------------------
def test_cleanup_shreds_the_uploaded_file_and_the_rejected_rows(tenant_a):
    upload = verwerken(uploaden(tenant_a, csv_bytes([rij(referentie="R-1"), rij(postcode="x")])))
    bestanden = [upload.bestand, upload.afgewezen_bestand]
    assert upload_opruimen(upload=upload)
    upload.refresh_from_db()
    assert upload.bestand is None and upload.afgewezen_bestand is None
    assert upload.sleutel.vernietigd and not VersleuteldBestand.objects.filter(sleutel=upload.sleutel).exists()
    assert Vernietiging.objects.filter(sleutel=upload.sleutel).exists()
    with pytest.raises(SleutelVernietigd):
        versleuteld_bestand_lezen(bestanden[0])
    # Counts, row errors and the meldingen themselves stay.
    assert tellers(upload) == (2, 1, 0, 0, 1) and upload.fouten
    assert Melding.objects.filter(upload=upload).count() == 1
    assert LogRegel.objects.filter(object_id=str(upload.pk), actie="verwijderen").exists()
    assert upload_opruimen(upload=upload) is False


def test_the_periodic_cleanup_takes_uploads_older_than_30_days(tenant_a):
    oud = verwerken(uploaden(tenant_a, csv_bytes([rij(referentie="R-1")])))
    jong = verwerken(uploaden(tenant_a, csv_bytes([rij(referentie="R-2")])))
    Bestandsupload.objects.filter(pk=oud.pk).update(aangemaakt_op=timezone.now() - dt.timedelta(days=31))
    Bestandsupload.objects.filter(pk=jong.pk).update(aangemaakt_op=timezone.now() - dt.timedelta(days=29))
    from meldingen.upload.tasks import uploads_opruimen as taak

    assert taak() == 1
    oud.refresh_from_db()
    jong.refresh_from_db()
    assert oud.sleutel.vernietigd and not jong.sleutel.vernietigd
    assert uploads_opruimen() == 0


# --- the tasks -----------------------------------------------------------------------------------------
def test_the_task_receives_only_the_id_and_processes_the_upload(tenant_a):
    from meldingen.upload.tasks import verwerk_upload

    upload = uploaden(tenant_a, csv_bytes([rij(referentie="R-1"), rij(postcode="x")]))
    verwerk_upload.apply(args=[str(upload.pk)])
    upload.refresh_from_db()
    assert upload.status == UploadStatus.KLAAR and tellers(upload) == (2, 1, 0, 0, 1)
    verwerk_upload.apply(args=[str(upload.pk)])  # redelivered after it finished: nothing happens
    upload.refresh_from_db()
    assert tellers(upload) == (2, 1, 0, 0, 1) and Melding.objects.count() == 1


def test_a_database_outage_is_retried_and_then_reported(tenant_a):
    from django.db import OperationalError

    from meldingen.upload import tasks

    upload = uploaden(tenant_a, csv_bytes([rij()]))
    pogingen = []

    def valt_uit(**kwargs):
        pogingen.append(kwargs["upload_id"])
        raise OperationalError("verbinding verbroken")

    with mock.patch("meldingen.upload.tasks.upload_verwerken", valt_uit):
        tasks.verwerk_upload.apply(args=[str(upload.pk)])
    assert len(pogingen) == tasks.MAX_POGINGEN + 1
    upload.refresh_from_db()
    assert upload.status == UploadStatus.MISLUKT and "database was niet bereikbaar" in upload.foutmelding


def test_no_cell_values_of_the_file_stay_cached_after_processing(tenant_a):
    from meldingen.upload.parser import _bedrag_algemeen, _datum_uit_tekst

    verwerken(uploaden(tenant_a, csv_bytes([rij(referentie="R-1", achterstand_bedrag="€ 1.300,00")])))
    assert Melding.objects.count() == 1
    assert _datum_uit_tekst.cache_info().currsize == 0 and _bedrag_algemeen.cache_info().currsize == 0


# --- resuming a stalled upload (issue 15, item 6) --------------------------------------------------------
def test_an_upload_left_in_progress_by_a_crashed_worker_is_resumed_by_the_sweep_once(tenant_a, settings):
    from meldingen.upload import tasks
    from meldingen.upload.verwerking import STILSTAND, uploads_stilgevallen

    rijen = [rij(referentie=f"R-{i}") for i in range(12)]
    upload = uploaden(tenant_a, csv_bytes(rijen))
    echte = meldingen_bulk_create
    aanroepen = 0

    def sterft_in_het_tweede_blok(**kwargs):
        nonlocal aanroepen
        aanroepen += 1
        if aanroepen == 2:
            raise WerkerGestopt
        return echte(**kwargs)

    with (
        mock.patch("meldingen.upload.verwerking.meldingen_bulk_create", sterft_in_het_tweede_blok),
        pytest.raises(WerkerGestopt),
    ):
        upload_verwerken(upload_id=upload.pk, blokgrootte=5)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.BEZIG and upload.verwerkt_rijen == 5
    gestopt = upload.voortgang_op
    assert gestopt == timezone.now()

    # Still within the grace period, and an upload that is progressing: nothing to resume.
    assert uploads_stilgevallen(nu=gestopt + STILSTAND - dt.timedelta(seconds=1)) == []
    with time_machine.travel(gestopt + STILSTAND + dt.timedelta(seconds=1), tick=False):
        with mock.patch.object(tasks.verwerk_upload, "delay") as enqueue:
            assert tasks.uploads_hervatten() == 1
        enqueue.assert_called_once_with(str(upload.pk))
        # The sweep moved the progress mark: the next minute's sweep does not queue it a second time.
        assert uploads_stilgevallen() == []
        upload = verwerken(upload, blokgrootte=5)  # the resumed task, from the checkpoint
    assert upload.status == UploadStatus.KLAAR
    assert tellers(upload) == (12, 12, 0, 0, 0)
    assert Melding.objects.filter(upload=upload).count() == 12 == Melding.objects.count()
    assert uploads_stilgevallen(nu=timezone.now() + 2 * STILSTAND) == []  # finished uploads stay finished


def test_an_upload_whose_task_was_lost_in_the_queue_is_queued_again(tenant_a):
    from meldingen.upload.verwerking import STILSTAND, uploads_stilgevallen

    upload = uploaden(tenant_a, csv_bytes([rij(referentie="R-1")]))
    assert upload.status == UploadStatus.WACHTRIJ and upload.voortgang_op is None
    assert uploads_stilgevallen(nu=upload.aangemaakt_op + STILSTAND / 2) == []
    assert uploads_stilgevallen(nu=upload.aangemaakt_op + STILSTAND * 2) == [str(upload.pk)]


def test_the_broker_redelivers_no_task_before_the_longest_task_may_end(settings):
    from meldingen.upload.tasks import verwerk_upload

    assert verwerk_upload.time_limit == settings.UPLOAD_TAAK_TIJDSLIMIET
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.UPLOAD_TAAK_TIJDSLIMIET
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] < 3600
    assert settings.CELERY_BEAT_SCHEDULE["uploads-hervatten"]["schedule"] <= 60
