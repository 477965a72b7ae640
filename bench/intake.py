"""Intake benchmark: a generated 100,000-row CSV end to end versus a raw COPY of the same rows.

End to end is exactly what an upload does (``upload_create`` + ``upload_verwerken``, run in this process
instead of on a worker): read and parse the file, validate every row, encrypt, recognise repeats, write
the audit entries and store meldingen, dossiers, data keys and blind indexes. The baseline is PostgreSQL
``COPY`` of the same CSV into an unencrypted table with the same columns, measured in the same run.
Reports rows/s for both and the ratio. Target: 10,000 rows/s end to end (within 20× of COPY).

Also reported: the CPU seconds of Python during the upload (this process with its threads, and the
checking process it forks: meldingen/upload/controle.py) and of its PostgreSQL backend (from ``/proc``),
per row, and the rate two fully used cores could reach with that much work per row: they show where the
time goes and stay meaningful when other work shares the machine.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldpunt.settings.test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from meldingen.models import Bestandsupload, Melding  # noqa: E402
from meldingen.upload.parser import KOLOMMEN  # noqa: E402
from meldingen.upload.services import upload_create  # noqa: E402
from meldingen.upload.verwerking import upload_verwerken  # noqa: E402
from meldpunt.core.models import User  # noqa: E402


def genereer_csv(rijen: int) -> bytes:
    vandaag = dt.date.today()
    d = lambda dagen: (vandaag - dt.timedelta(days=dagen)).strftime("%d-%m-%Y")  # noqa: E731
    uit = io.StringIO()
    schrijver = csv.writer(uit, delimiter=";", lineterminator="\n")
    schrijver.writerow(KOLOMMEN)
    for i in range(rijen):
        eo = i % 10 == 0
        schrijver.writerow(
            [
                "diemen",
                "EO" if eo else "VEO",
                f"BENCH-{i:07d}",
                f"Achternaam{i}",
                "Jan",
                "J.",
                "17-05-1980",
                "0612345678",
                "",
                "Ouddiemerlaan",
                i % 400 + 1,
                "",
                f"{1000 + i % 9000} AB",
                "Diemen",
                i % 4,
                f"{1200 + i % 900},00",
                2 + i % 6,
                "nee",
                "650,00",
                d(40),
                d(30),
                d(30),
                d(20) if eo else "",
                (vandaag + dt.timedelta(days=30)).strftime("%d-%m-%Y") if eo else "",
            ]
        )
    return ("\ufeff" + uit.getvalue()).encode()


def copy_basislijn(inhoud: bytes) -> float:
    with connection.cursor() as c:
        c.execute("DROP TABLE IF EXISTS bench_copy")
        c.execute(f"CREATE TABLE bench_copy ({', '.join(f'{k} text' for k in KOLOMMEN)})")
        start = time.perf_counter()
        with c.copy("COPY bench_copy FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)") as copy:
            copy.write(inhoud.decode("utf-8-sig"))
        duur = time.perf_counter() - start
        c.execute("DROP TABLE bench_copy")
    return duur


def wal_voorbereiden(megabytes: int = 640) -> None:
    """Let the server make the WAL segments the run will write, as a server in use has them.

    A server that has been running reuses its old WAL segments (after each checkpoint); a cluster made
    for this run must first create each 16 MB segment and fill it with zeros, once in its life. The run
    writes some 400 MB of WAL: without this, that one-time work of a new cluster would be counted as
    intake. Written by a throwaway table, then a checkpoint frees the segments for reuse.
    """
    with connection.cursor() as c:
        c.execute(
            "CREATE TABLE bench_wal AS SELECT g, repeat('x', 1000) AS t FROM generate_series(1, %s) AS g",
            [megabytes * 1000],
        )
        c.execute("DROP TABLE bench_wal")
        c.execute("CHECKPOINT")


def python_cpu_s() -> float:
    """CPU seconds of this process and of its children that have ended (the checking process)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def backend_cpu_s() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend (Linux, same machine), else None."""
    with connection.cursor() as c:
        c.execute("SELECT pg_backend_pid()")
        (pid,) = c.fetchone()
    try:
        velden = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(velden[11]) + int(velden[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rijen", type=int, default=100_000)
    parser.add_argument("--json")
    args = parser.parse_args()

    call_command("demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    melder = User.objects.get(username="melder.rochdale")
    inhoud = genereer_csv(args.rijen)
    wal_voorbereiden()
    basis = copy_basislijn(inhoud)

    voor = Melding.objects.count()
    pg_voor = backend_cpu_s()
    start, cpu_start = time.perf_counter(), python_cpu_s()
    upload = upload_create(bestand_bytes=inhoud, bestandsnaam="bench.csv", door=melder)
    upload_verwerken(upload_id=upload.pk)
    duur, python_cpu = time.perf_counter() - start, python_cpu_s() - cpu_start
    pg_na = backend_cpu_s()
    upload = Bestandsupload.objects.get(pk=upload.pk)
    opgeslagen = Melding.objects.count() - voor
    assert upload.afgewezen == 0, upload.fouten[:3]
    assert opgeslagen == args.rijen, (opgeslagen, args.rijen)

    resultaat = {
        "rijen": args.rijen,
        "copy_s": round(basis, 3),
        "copy_rijen_per_s": round(args.rijen / basis),
        "eind_tot_eind_s": round(duur, 2),
        "eind_tot_eind_rijen_per_s": round(args.rijen / duur),
        "verhouding": round(duur / basis, 1),
        "doel_rijen_per_s": 10_000,
        "python_cpu_s": round(python_cpu, 2),
        "postgres_cpu_s": round(pg_na - pg_voor, 2) if pg_na is not None and pg_voor is not None else None,
        "belasting_1min": round(os.getloadavg()[0], 2),
    }
    if resultaat["postgres_cpu_s"] is not None:
        # CPU per row on both sides, and what two fully used cores could reach with this much work per row.
        python_us = 1e6 * python_cpu / args.rijen
        postgres_us = 1e6 * resultaat["postgres_cpu_s"] / args.rijen
        resultaat["python_cpu_us_per_rij"] = round(python_us)
        resultaat["postgres_cpu_us_per_rij"] = round(postgres_us)
        resultaat["plafond_2_kernen_rijen_per_s"] = round(2e6 / (python_us + postgres_us))
    print(f"COPY (onversleuteld):  {resultaat['copy_rijen_per_s']:>8} rijen/s ({resultaat['copy_s']} s)")
    print(
        f"eind tot eind:         {resultaat['eind_tot_eind_rijen_per_s']:>8} rijen/s ({resultaat['eind_tot_eind_s']} s)"
        f" — {resultaat['verhouding']}× COPY"
    )
    print(
        f"CPU tijdens de upload:  Python {resultaat['python_cpu_s']} s, PostgreSQL {resultaat['postgres_cpu_s']} s"
        f" (belasting van de machine: {resultaat['belasting_1min']})"
    )
    if "plafond_2_kernen_rijen_per_s" in resultaat:
        print(
            f"CPU per rij:            Python {resultaat['python_cpu_us_per_rij']} µs, PostgreSQL "
            f"{resultaat['postgres_cpu_us_per_rij']} µs — plafond op 2 kernen "
            f"{resultaat['plafond_2_kernen_rijen_per_s']} rijen/s"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(resultaat, indent=2))


if __name__ == "__main__":
    main()
