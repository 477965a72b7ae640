"""Caseload benchmark: 1,000,000 dossiers and 200 hulpverleners.

1. The queue page and "my caseload": server time (p50/p95 over repeated requests through Django's test
   client) and the number of SQL queries, next to the equivalent hand-written SQL measured in the same run
   (ratio of p95).
2. The claim endpoint through gunicorn on loopback with 50 concurrent clients (each logged in with its own
   verified session) racing for the same 2,000 dossiers: claims/s and a check that no dossier got two owners.

The dossiers are generated with SQL (``generate_series``, ``bench/_data.py``) for speed; they carry placeholder
keys and no personal data, which the measured pages do not read.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldpunt.settings.test")

import django  # noqa: E402

django.setup()

from _data import dossiers_genereren, hulpverleners  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from server import gunicorn  # noqa: E402

from convenants.models import Convenant  # noqa: E402
from meldingen.models import Dossier, StatusWijziging  # noqa: E402
from meldpunt.core.middleware import SESSION_LAST_SEEN, SESSION_LOGIN_AT  # noqa: E402
from meldpunt.core.models import User  # noqa: E402

DOSSIERS = 1_000_000
HULPVERLENERS = 200
HERHALINGEN = 30
CLIENTS = 50
RACE_DOSSIERS = 2_000


def genereer(aantal: int) -> None:
    convenant = Convenant.objects.get(slug="diemen")
    behandelaars = hulpverleners(convenant.uitvoerder, HULPVERLENERS)
    dossiers_genereren(aantal=aantal, convenant=convenant, prefix="B-", behandelaars=behandelaars)


def sessie(user: User) -> str:
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s[DEVICE_ID_SESSION_KEY] = device.persistent_id
    s[SESSION_LOGIN_AT] = s[SESSION_LAST_SEEN] = timezone.now().timestamp()
    s.create()
    assert s.session_key is not None
    return s.session_key


def pagina_meting(user: User, pad: str) -> dict[str, object]:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = sessie(user)
    client.get(pad)  # warm-up
    tijden, queries = [], 0
    for _ in range(HERHALINGEN):
        with CaptureQueriesContext(connection) as q:
            start = time.perf_counter()
            antwoord = client.get(pad)
            tijden.append(time.perf_counter() - start)
        assert antwoord.status_code == 200, antwoord.status_code
        queries = len(q)
    tijden.sort()
    return {
        "pad": pad,
        "p50_ms": round(statistics.median(tijden) * 1000, 1),
        "p95_ms": round(tijden[int(0.95 * len(tijden)) - 1] * 1000, 1),
        "queries": queries,
    }


def sql_meting(sql: str, params: list[Any]) -> float:
    tijden = []
    with connection.cursor() as c:
        for _ in range(HERHALINGEN):
            start = time.perf_counter()
            c.execute(sql, params)
            c.fetchall()
            tijden.append(time.perf_counter() - start)
    tijden.sort()
    return tijden[int(0.95 * len(tijden)) - 1] * 1000


WACHTRIJ_SQL = """
SELECT d.id, d.nummer, d.type, d.ontruimingsdatum, d.heeft_minderjarigen, d.achterstand_bedrag, d.aangemaakt_op,
       d.herhaald, c.naam, p.naam
FROM meldingen_dossier d
JOIN convenants_convenant c ON c.id = d.convenant_id
JOIN core_organisatie p ON p.id = d.partner_id
WHERE c.uitvoerder_id = %s AND d.status = 'nieuw'
ORDER BY CASE WHEN d.type = 'EO' THEN 0 ELSE 1 END, d.ontruimingsdatum ASC NULLS LAST, d.heeft_minderjarigen DESC,
         d.aangemaakt_op
LIMIT 50
"""
MIJN_SQL = """
SELECT d.id, d.nummer, d.status, count(p.id), max(p.datum)
FROM meldingen_dossier d LEFT JOIN meldingen_contactpoging p ON p.dossier_id = d.id
WHERE d.behandelaar_id = %s AND d.status IN ('nieuw', 'geclaimd', 'in_contact')
GROUP BY d.id ORDER BY d.geclaimd_op
"""


def claim_race(convenant: Convenant) -> dict[str, object]:
    ids = list(
        Dossier.objects.filter(convenant=convenant, status="nieuw")
        .order_by("aangemaakt_op")
        .values_list("pk", flat=True)[:RACE_DOSSIERS]
    )
    hulpverleners = list(User.objects.filter(username__startswith="bench.hv").order_by("pk")[:CLIENTS])
    sessies = [sessie(u) for u in hulpverleners]
    csrf = "b" * 32
    gewonnen: list[str] = []
    slot = threading.Lock()
    with gunicorn(workers=4, secret_key=settings.SECRET_KEY) as poort:

        def client(nummer: int) -> None:
            volgorde = ids[:]
            random.Random(nummer).shuffle(volgorde)
            verbinding = http.client.HTTPConnection("127.0.0.1", poort, timeout=60)
            cookie = f"__Host-meldpunt_sessie={sessies[nummer]}; __Host-csrftoken={csrf}"
            for dossier_id in volgorde[:200]:
                verbinding.request(
                    "POST",
                    f"/meldingen/dossiers/{dossier_id}/oppakken/",
                    body=f"csrfmiddlewaretoken={csrf}",
                    headers={
                        "Cookie": cookie,
                        "Content-Type": "application/x-www-form-urlencoded",
                        "X-CSRFToken": csrf,
                    },
                )
                antwoord = verbinding.getresponse()
                antwoord.read()
                if (
                    antwoord.status == 302
                    and "/oppakken/" not in antwoord.getheader("Location", "")
                    and re.search(r"/meldingen/dossiers/[0-9a-f-]+/$", antwoord.getheader("Location", ""))
                ):
                    with slot:
                        gewonnen.append(str(dossier_id))
            verbinding.close()

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        duur = time.perf_counter() - start
    dubbel = len(gewonnen) - len(set(gewonnen))
    eigenaren = (
        StatusWijziging.objects.filter(dossier_id__in=ids, naar="geclaimd").values("dossier_id").distinct().count()
    )
    wijzigingen = StatusWijziging.objects.filter(dossier_id__in=ids, naar="geclaimd").count()
    return {
        "clients": CLIENTS,
        "verzoeken": CLIENTS * 200,
        "claims": len(gewonnen),
        "claims_per_s": round(len(gewonnen) / duur, 1),
        "verzoeken_per_s": round(CLIENTS * 200 / duur, 1),
        "dubbel_gewonnen": dubbel,
        "dossiers_met_meer_dan_een_claim": wijzigingen - eigenaren,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=DOSSIERS)
    parser.add_argument("--json")
    args = parser.parse_args()
    call_command("demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    start = time.perf_counter()
    genereer(args.dossiers)
    print(f"{args.dossiers} dossiers klaar in {time.perf_counter() - start:.0f} s")
    convenant = Convenant.objects.get(slug="diemen")
    hv = User.objects.filter(username__startswith="bench.hv").earliest("pk")
    wachtrij = pagina_meting(hv, "/meldingen/wachtrij/")
    mijn = pagina_meting(hv, "/meldingen/dossiers/mijn/")
    wachtrij["sql_p95_ms"] = round(sql_meting(WACHTRIJ_SQL, [convenant.uitvoerder_id]), 1)
    mijn["sql_p95_ms"] = round(sql_meting(MIJN_SQL, [hv.pk]), 1)
    for r in (wachtrij, mijn):
        r["verhouding_p95"] = round(r["p95_ms"] / r["sql_p95_ms"], 2)  # type: ignore[operator]  # numbers in the results
        regel = f"{r['pad']:28} p50 {r['p50_ms']} ms  p95 {r['p95_ms']} ms  {r['queries']} queries"
        print(f"{regel}  (SQL p95 {r['sql_p95_ms']} ms, {r['verhouding_p95']}×)")
    race = claim_race(convenant)
    print(
        f"claimen, {race['clients']} clients: {race['verzoeken_per_s']} verzoeken/s, {race['claims']} claims "
        f"({race['claims_per_s']}/s), dubbel: {race['dubbel_gewonnen']}, "
        f"dossiers met >1 claim: {race['dossiers_met_meer_dan_een_claim']}"
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps({"wachtrij": wachtrij, "mijn_dossiers": mijn, "claimen": race}, indent=2, default=str)
        )


if __name__ == "__main__":
    main()
