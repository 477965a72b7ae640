"""Retention benchmark: the destruction sweep against hand-written SQL, and page times while it runs.

1. ``--dossiers`` dossiers (default 1,000,000), ``--te-vernietigen`` of them due (default 100,000): half are
   destroyed by the sweep (``vernietigingsronde``: one short transaction per dossier, SKIP LOCKED), the other
   half in the same run by a hand-written SQL ``UPDATE``/``DELETE`` of the same rows (one statement per
   table); dossiers/s of each and their ratio.
2. The p95 of the Uitvoerder's queue page (Django test client, logged-in hulpverlener) while the sweep
   works in another thread, against the same page without the sweep (target <= 2x).

The dossiers are generated with SQL (``bench/_data.py``): placeholder keys, one blind index per due dossier,
no meldingen or other encrypted rows, so the sweep's per-table statements find less to wipe than in
production (the statements are run all the same).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldpunt.settings.test")

import django  # noqa: E402

django.setup()

from _data import dossiers_genereren, hulpverleners  # noqa: E402
from caseload import sessie  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from convenants.models import Convenant  # noqa: E402
from meldingen.bewaring.services import vernietigingsronde  # noqa: E402
from meldpunt.core.models import User  # noqa: E402

PREFIX = "V-"

VOORBEREIDEN = """
UPDATE meldingen_dossier SET vernietigen_vanaf = NULL WHERE nummer LIKE %(prefix)s AND vernietigd_op IS NULL;
UPDATE meldingen_dossier SET status = 'afgesloten', eindresultaat = 'Definitief geen contact kunnen krijgen',
       afgesloten_op = now() - interval '400 days', vernietigen_vanaf = current_date - 30,
       toegang_uitvoerder_tot = current_date - 30, toegang_gemeente_tot = current_date - 30,
       toegang_partner_tot = current_date - 30
 WHERE nummer LIKE %(prefix)s AND substring(nummer from 3)::int > %(start)s
   AND substring(nummer from 3)::int <= %(start)s + %(due)s AND vernietigd_op IS NULL;
INSERT INTO privacy_blindeindex (sleutel_id, soort, waarde)
SELECT sleutel_id, 'naam_geboortedatum', md5(id::text) FROM meldingen_dossier
 WHERE vernietigen_vanaf IS NOT NULL AND vernietigd_op IS NULL AND nummer LIKE %(prefix)s
ON CONFLICT DO NOTHING;
"""

#: The hand-written destruction of the same rows, for the dossiers numbered above the sweep's half.
HANDMATIG = """
CREATE TEMP TABLE handmatig ON COMMIT DROP AS
SELECT id, sleutel_id FROM meldingen_dossier
 WHERE nummer LIKE %(prefix)s AND vernietigen_vanaf IS NOT NULL AND vernietigd_op IS NULL
   AND substring(nummer from 3)::int > %(start)s + %(helft)s;
UPDATE meldingen_melding SET gegevens = NULL, referentie_index = NULL, inhoud_index = NULL, achterstand_bedrag = 0,
       maandhuur = 0, postcode_cijfers = 0, vonnisdatum = NULL, ontruimingsdatum = NULL
 WHERE dossier_id IN (SELECT id FROM handmatig);
UPDATE meldingen_contactpoging SET notitie = NULL WHERE dossier_id IN (SELECT id FROM handmatig);
UPDATE meldingen_statuswijziging SET reden = NULL WHERE dossier_id IN (SELECT id FROM handmatig);
UPDATE meldingen_rapportage SET inhoud = NULL, pdf_id = NULL, pdf_gemeente_id = NULL
 WHERE dossier_id IN (SELECT id FROM handmatig);
UPDATE meldingen_toestemming SET bewijs = NULL, formulier_id = NULL WHERE dossier_id IN (SELECT id FROM handmatig);
DELETE FROM meldingen_dossiergroeprecht WHERE content_object_id IN (SELECT id FROM handmatig);
DELETE FROM privacy_blindeindex WHERE sleutel_id IN (SELECT sleutel_id FROM handmatig);
DELETE FROM privacy_versleuteldbestand WHERE sleutel_id IN (SELECT sleutel_id FROM handmatig);
UPDATE meldingen_dossier SET referentie_index = NULL, achterstand_bedrag = 0, postcode_cijfers = 0,
       ontruimingsdatum = NULL, vernietigd_op = now() WHERE id IN (SELECT id FROM handmatig);
UPDATE privacy_datasleutel SET verpakte_sleutel = NULL, master_versie = NULL, vernietigd_op = now()
 WHERE id IN (SELECT sleutel_id FROM handmatig);
"""


def pagina_tijden(client: Client, pad: str, stop: threading.Event, tijden: list[float], minimaal: int) -> None:
    try:
        while not stop.is_set() or len(tijden) < minimaal:
            start = time.perf_counter()
            antwoord = client.get(pad)
            tijden.append(time.perf_counter() - start)
            assert antwoord.status_code == 200, antwoord.status_code
    finally:
        connection.close()


def p95(tijden: list[float]) -> float:
    tijden = sorted(tijden)
    return round(tijden[max(0, int(0.95 * len(tijden)) - 1)] * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--te-vernietigen", type=int, default=100_000)
    parser.add_argument("--json")
    args = parser.parse_args()
    call_command("demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    convenant = Convenant.objects.get(slug="diemen")
    behandelaars = hulpverleners(convenant.uitvoerder, 20)
    start = time.perf_counter()
    dossiers_genereren(aantal=args.dossiers, convenant=convenant, prefix=PREFIX, behandelaars=behandelaars)
    with connection.cursor() as c:
        # A repeated run takes the next not yet destroyed dossiers.
        c.execute(
            "SELECT coalesce(max(substring(nummer from 3)::int), 0) FROM meldingen_dossier"
            " WHERE nummer LIKE %s AND vernietigd_op IS NOT NULL",
            [PREFIX + "%"],
        )
        start_bij = c.fetchone()[0]
        c.execute(VOORBEREIDEN, {"prefix": PREFIX + "%", "due": args.te_vernietigen, "start": start_bij})
        c.execute("ANALYZE meldingen_dossier")
    print(
        f"{args.dossiers} dossiers, {args.te_vernietigen} te vernietigen, klaar in {time.perf_counter() - start:.0f} s"
    )
    helft = args.te_vernietigen // 2

    hv = User.objects.filter(username__startswith="bench.hv").earliest("pk")
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = sessie(hv)
    pad = "/meldingen/wachtrij/"
    client.get(pad)
    zonder: list[float] = []
    stop = threading.Event()
    stop.set()
    pagina_tijden(client, pad, stop, zonder, 40)
    connection.connect()

    start = time.perf_counter()
    with connection.cursor() as c:
        c.execute("BEGIN")
        c.execute(HANDMATIG, {"prefix": PREFIX + "%", "helft": helft, "start": start_bij})
        c.execute("COMMIT")
    sql_s = time.perf_counter() - start
    sql_per_s = (args.te_vernietigen - helft) / sql_s

    tijdens: list[float] = []
    stop = threading.Event()
    meter = threading.Thread(target=pagina_tijden, args=(client, pad, stop, tijden := tijdens, 40))
    meter.start()
    start = time.perf_counter()
    vernietigd = vernietigingsronde()
    ronde_s = time.perf_counter() - start
    stop.set()
    meter.join()
    ronde_per_s = vernietigd / ronde_s
    uitkomst = {
        "dossiers": args.dossiers,
        "te_vernietigen": args.te_vernietigen,
        "ronde": {"dossiers": vernietigd, "seconden": round(ronde_s, 1), "per_s": round(ronde_per_s, 1)},
        "sql": {"dossiers": args.te_vernietigen - helft, "seconden": round(sql_s, 2), "per_s": round(sql_per_s, 1)},
        "verhouding_sql_ronde": round(sql_per_s / ronde_per_s, 1) if ronde_per_s else None,
        "wachtrij_p95_ms_zonder": p95(zonder),
        "wachtrij_p95_ms_tijdens": p95(tijden),
        "wachtrij_metingen": {"zonder": len(zonder), "tijdens": len(tijden)},
        "wachtrij_p50_ms_tijdens": round(statistics.median(tijden) * 1000, 1),
    }
    uitkomst["p95_verhouding"] = round(uitkomst["wachtrij_p95_ms_tijdens"] / uitkomst["wachtrij_p95_ms_zonder"], 2)
    print(json.dumps(uitkomst, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(uitkomst, indent=2))


if __name__ == "__main__":
    main()
