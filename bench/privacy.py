"""Privacy core benchmark: encryption throughput per field, and the cost of reading encrypted rows.

1. Field throughput: encrypt + decrypt of typical personal-data values (a surname, an address, a full
   tenant record as JSON) with AES-256-GCM under one data key, against json dumps + loads alone.
2. Read overhead: 10,000 tenant records stored encrypted, each under its own data key (select + unwrap
   the data key + decrypt), against the same 10,000 records in a plain table (select + build dicts),
   both measured in this run on the same database. Reported as a ratio.

Run with ``bin/bench privacy`` (a PostgreSQL of its own) or directly with Django settings configured.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldpunt.settings.test")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from meldpunt.privacy import crypto  # noqa: E402
from meldpunt.privacy.kluis import Kluis  # noqa: E402
from meldpunt.privacy.models import DataSleutel  # noqa: E402
from meldpunt.privacy.services import datasleutel_create  # noqa: E402

RIJEN = 10_000
HERHALINGEN = 5


def record(i: int) -> dict[str, object]:
    return {
        "achternaam": f"Achternaam{i}",
        "voornamen": "Pieter Jan",
        "geboortedatum": "1980-05-17",
        "telefoon": "0612345678",
        "email": f"huurder{i}@example.nl",
        "straat": "Ouddiemerlaan",
        "huisnummer": i % 300 + 1,
        "postcode": "1111 AB",
        "woonplaats": "Diemen",
    }


def veld_doorvoer() -> list[dict[str, object]]:
    sleutel = crypto.nieuwe_sleutel()
    velden = {
        "achternaam (20 B)": "Van der Zwaluwstaart",
        "adres (60 B)": "Ouddiemerlaan 104 A, 1111 AB Diemen, Nederland, etage 3",
        "huurderrecord (JSON)": record(1),
    }
    n = 20_000
    resultaten = []
    for naam, waarde in velden.items():
        start = time.perf_counter()
        for _ in range(n):
            crypto.ontsleutel_json(sleutel, crypto.versleutel_json(sleutel, waarde, "ctx"), "ctx")
        versleuteld = time.perf_counter() - start
        start = time.perf_counter()
        for _ in range(n):
            json.loads(json.dumps(waarde, ensure_ascii=False, separators=(",", ":"), sort_keys=True))
        basis = time.perf_counter() - start
        resultaten.append(
            {
                "veld": naam,
                "encrypt_decrypt_per_s": round(n / versleuteld),
                "json_alleen_per_s": round(n / basis),
                "verhouding": round(versleuteld / basis, 2),
            }
        )
    return resultaten


def vul_tabellen() -> None:
    with connection.cursor() as c:
        c.execute("DROP TABLE IF EXISTS bench_plat, bench_versleuteld")
        c.execute(
            "CREATE TABLE bench_plat (id int primary key, achternaam text, voornamen text, geboortedatum text,"
            " telefoon text, email text, straat text, huisnummer int, postcode text, woonplaats text)"
        )
        c.execute(
            "CREATE TABLE bench_versleuteld (id int primary key,"
            " sleutel_id uuid not null references privacy_datasleutel(id), gegevens bytea not null)"
        )
        kolommen = list(record(0))
        with c.copy(f"COPY bench_plat (id, {', '.join(kolommen)}) FROM STDIN") as copy:
            for i in range(RIJEN):
                copy.write_row([i, *record(i).values()])
    with transaction.atomic():
        rijen = []
        for i in range(RIJEN):
            sleutel = datasleutel_create(doel="bench")
            rijen.append((i, sleutel.pk, Kluis(sleutel).versleutel(record(i), context=f"bench:{i}")))
        with connection.cursor() as c, c.copy("COPY bench_versleuteld (id, sleutel_id, gegevens) FROM STDIN") as copy:
            for rij in rijen:
                copy.write_row(rij)
    with connection.cursor() as c:
        c.execute("ANALYZE bench_plat")
        c.execute("ANALYZE bench_versleuteld")


def lees_plat() -> int:
    with connection.cursor() as c:
        c.execute("SELECT * FROM bench_plat ORDER BY id")
        namen = [k.name for k in c.description]
        rijen = [dict(zip(namen, rij, strict=True)) for rij in c.fetchall()]
    return len(rijen)


def lees_versleuteld() -> int:
    with connection.cursor() as c:
        c.execute(
            "SELECT b.id, b.gegevens, s.id, s.verpakte_sleutel, s.master_versie FROM bench_versleuteld b"
            " JOIN privacy_datasleutel s ON s.id = b.sleutel_id ORDER BY b.id"
        )
        rijen = []
        for rij_id, gegevens, sleutel_id, verpakt, versie in c.fetchall():
            sleutel = DataSleutel(id=sleutel_id, verpakte_sleutel=verpakt, master_versie=versie)
            rijen.append(Kluis(sleutel).ontsleutel(gegevens, context=f"bench:{rij_id}"))
    return len(rijen)


def meet(functie) -> float:
    tijden = []
    for _ in range(HERHALINGEN):
        start = time.perf_counter()
        assert functie() == RIJEN
        tijden.append(time.perf_counter() - start)
    return statistics.median(tijden)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", help="write the results to this file")
    args = parser.parse_args()

    velden = veld_doorvoer()
    vul_tabellen()
    plat = meet(lees_plat)
    versleuteld = meet(lees_versleuteld)
    with connection.cursor() as c:
        c.execute("DROP TABLE bench_plat, bench_versleuteld")
    DataSleutel.objects.filter(doel="bench").delete()

    resultaat = {
        "velden": velden,
        "lezen_10000_rijen": {
            "plat_s": round(plat, 4),
            "versleuteld_s": round(versleuteld, 4),
            "plat_rijen_per_s": round(RIJEN / plat),
            "versleuteld_rijen_per_s": round(RIJEN / versleuteld),
            "verhouding": round(versleuteld / plat, 2),
        },
    }
    print(f"{'veld':24} {'versleutel+ontsleutel/s':>24} {'alleen json/s':>14} {'verhouding':>10}")
    for v in velden:
        print(f"{v['veld']:24} {v['encrypt_decrypt_per_s']:>24} {v['json_alleen_per_s']:>14} {v['verhouding']:>10}")
    lezen: dict[str, float] = resultaat["lezen_10000_rijen"]  # type: ignore[assignment]  # built just above
    print(
        f"\n10.000 rijen lezen: plat {lezen['plat_s']} s, versleuteld {lezen['versleuteld_s']} s "
        f"(elk met eigen datasleutel) → verhouding {lezen['verhouding']}×"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(resultaat, indent=2))


if __name__ == "__main__":
    main()
