"""Intake API throughput with the production server (gunicorn) on loopback.

Starts gunicorn with the production settings (plain HTTP on 127.0.0.1, SSL redirect off) against the
benchmark database, creates a Partner API token, then fires POST /api/v1/meldingen/ requests from
concurrent clients over keep-alive connections. Baseline in the same run: GET /healthz (one database and
one Redis round trip) with the same clients. Reports requests/s, p50/p95 latency and the ratio.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldpunt.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from server import gunicorn  # noqa: E402

CLIENTS = 8
POSTS = 2000
GETS = 2000


def melding(i: int) -> dict[str, object]:
    vandaag = dt.date.today()
    return {
        "convenant": "diemen",
        "type": "VEO",
        "referentie": f"BENCH-API-{os.getpid()}-{i}",
        "huurder": {"achternaam": f"Bench{i}", "voornamen": "Test", "geboortedatum": "1980-05-17"},
        "adres": {"straat": "Teststraat", "huisnummer": i % 500 + 1, "postcode": "1111 AB", "woonplaats": "Diemen"},
        "huishouden": {"minderjarige_kinderen": i % 3},
        "achterstand": {"bedrag": "1300.00", "maanden": 2, "herhaald": False, "maandhuur": "650.00"},
        "voortraject": {
            "herinnering_op": (vandaag - dt.timedelta(days=30)).isoformat(),
            "contactpoging_op": (vandaag - dt.timedelta(days=20)).isoformat(),
            "informatie_doorgifte_op": (vandaag - dt.timedelta(days=20)).isoformat(),
        },
    }


def belasting(
    poort: int, verzoeken: list[tuple[str, str, bytes | None, dict[str, str]]]
) -> tuple[float, list[float], int]:
    """Send the requests from CLIENTS threads; returns (seconds, latencies, errors)."""
    latenties: list[float] = []
    fouten = 0
    slot = threading.Lock()
    index = iter(range(len(verzoeken)))

    def werker() -> None:
        nonlocal fouten
        verbinding = http.client.HTTPConnection("127.0.0.1", poort, timeout=30)
        while True:
            with slot:
                i = next(index, None)
            if i is None:
                break
            methode, pad, body, headers = verzoeken[i]
            start = time.perf_counter()
            verbinding.request(methode, pad, body=body, headers=headers)
            antwoord = antwoord_data = verbinding.getresponse()
            antwoord_data.read()
            duur = time.perf_counter() - start
            with slot:
                latenties.append(duur)
                if antwoord.status >= 300:
                    fouten += 1
        verbinding.close()

    threads = [threading.Thread(target=werker) for _ in range(CLIENTS)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, latenties, fouten


def samenvatting(naam: str, seconden: float, latenties: list[float], fouten: int) -> dict[str, object]:
    latenties.sort()
    return {
        "meting": naam,
        "verzoeken": len(latenties),
        "fouten": fouten,
        "per_s": round(len(latenties) / seconden, 1),
        "p50_ms": round(statistics.median(latenties) * 1000, 1),
        "p95_ms": round(latenties[int(len(latenties) * 0.95) - 1] * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json")
    args = parser.parse_args()

    call_command("demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    sleutel = subprocess.run(
        [sys.executable, "manage.py", "create_api_token", "rochdale"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    with gunicorn(workers=3, secret_key=base64.b64encode(os.urandom(48)).decode()) as poort:
        basis: list[tuple[str, str, bytes | None, dict[str, str]]] = [
            ("GET", "/healthz", None, {}) for _ in range(GETS)
        ]
        posts: list[tuple[str, str, bytes | None, dict[str, str]]] = [
            (
                "POST",
                "/api/v1/meldingen/",
                json.dumps(melding(i)).encode(),
                {"Authorization": f"Token {sleutel}", "Content-Type": "application/json"},
            )
            for i in range(POSTS)
        ]
        belasting(poort, basis[:100])  # warm-up
        resultaten = [samenvatting("GET /healthz (basislijn)", *belasting(poort, basis))]
        resultaten.append(samenvatting("POST /api/v1/meldingen/", *belasting(poort, posts)))
    verhouding = round(resultaten[0]["per_s"] / resultaten[1]["per_s"], 2)  # type: ignore[operator]  # numbers in the summaries
    resultaten.append({"verhouding_per_s": verhouding})
    for r in resultaten[:2]:
        tijden = f"p50 {r['p50_ms']} ms  p95 {r['p95_ms']} ms"
        print(f"{r['meting']:28} {r['per_s']:>8} verzoeken/s  {tijden}  fouten {r['fouten']}")
    print(
        f"basislijn / POST: {resultaten[2]['verhouding_per_s']}×  ({CLIENTS} gelijktijdige clients, gunicorn 3 workers)"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(resultaten, indent=2))


if __name__ == "__main__":
    main()
