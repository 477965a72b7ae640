"""Consent benchmark: the Gemeente's list with 1,000,000 dossiers and 100,000 consents.

1. Data: 1,000,000 dossiers generated with SQL (``bench/_data.py``), 90 % in convenant ``diemen`` and 10 % in
   ``ouder-amstel`` (another Gemeente). 100,000 consents of Gemeente Diemen on Diemen dossiers (70 % scope
   ``status``, 30 % ``rapportage``, 1 % withdrawn; 100 of the dossiers under restriction), 50,000 of the
   Partner and 10,000 of Gemeente Ouder-Amstel as noise, all with SQL, with the object permissions
   (``DossierGroepRecht``) derived from the valid consents by SQL that mirrors
   ``meldingen.toestemming.rechten.rechten_bijwerken``. A handful of consents go through the real services
   (``toestemming_create``, ``toestemming_intrekken``); the run asserts that they hold exactly the
   permissions the SQL derivation gives, and the same permission sets as SQL-made consents of each kind.
   The dossiers shown on the measured pages get a real data key and an encrypted melding (the page decrypts
   the tenant's name and address); the others carry placeholder keys and no personal data.
2. The list page ``gemeente:list`` as a logged-in, second-factor-verified gemeente_medewerker through
   Django's test client: p50/p95 over repeated requests and the number of SQL queries, for page 1 and
   deeper pages, next to the same view, template and ``gemeente_weergaven`` with the permission filter
   removed from the queryset (the Gemeente's dossiers that are not restricted or destroyed), measured in the
   same run with alternating requests (ratio of p95). Measured after the first 1,000 consents (the filtered
   list only) and after all 100,000: the query count must not depend on the number of grants. Checked: the
   list's count equals the number of dossiers the consent register entitles the Gemeente to see, and every
   dossier shown has a valid consent.
3. EXPLAIN (ANALYZE, BUFFERS) of the filtered list's count and page queries.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from unittest import mock

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldpunt.settings.test")

import django  # noqa: E402

django.setup()

from _data import dossiers_genereren, hulpverleners  # noqa: E402
from caseload import sessie  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Exists, OuterRef, QuerySet  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from guardian.shortcuts import get_group_perms  # noqa: E402

from convenants.models import Convenant  # noqa: E402
from meldingen.gemeente import views as gemeente_views  # noqa: E402
from meldingen.gemeente.selectors import dossier_list_voor_gemeente  # noqa: E402
from meldingen.gemeente.views import PER_PAGINA  # noqa: E402
from meldingen.models import Dossier, DossierGroepRecht, Melding, Toestemming  # noqa: E402
from meldingen.toestemming.rechten import RECHTEN_PER_SCOPE  # noqa: E402
from meldingen.toestemming.services import toestemming_create, toestemming_intrekken  # noqa: E402
from meldpunt.core.models import Organisatie, User  # noqa: E402
from meldpunt.privacy.kluis import Kluis  # noqa: E402
from meldpunt.privacy.models import DataSleutel  # noqa: E402
from meldpunt.privacy.services import datasleutel_create  # noqa: E402

DOSSIERS = 1_000_000
AANDEEL_ANDERE_GEMEENTE = 0.1
TOESTEMMINGEN = 100_000
EERSTE_FASE = 1_000  # every (TOESTEMMINGEN // EERSTE_FASE)-th consent, spread over the whole list
ANDERE_GEMEENTE_TOESTEMMINGEN = 10_000
HULPVERLENERS = 200
HERHALINGEN = 20
HERHALINGEN_EERSTE_FASE = 10
PAGINAS = (1, 100, 1000)
PAGINAS_EERSTE_FASE = (1, 10)
DOEL_VERHOUDING = 1.5

#: Service-made consents, one fresh dossier each: (recipient, scope) steps, then the steps withdrawn.
SCENARIOS: dict[str, tuple[list[tuple[str, str]], list[int]]] = {
    "gemeente_status": ([("gemeente", "status")], []),
    "gemeente_rapportage": ([("gemeente", "rapportage")], []),
    "gemeente_status_ingetrokken": ([("gemeente", "status")], [0]),
    "gemeente_rapportage_partner_status": ([("gemeente", "rapportage"), ("partner", "status")], []),
    "gemeente_status_en_rapportage": ([("gemeente", "status"), ("gemeente", "rapportage")], []),
    "gemeente_rapportage_ingetrokken_status_blijft": ([("gemeente", "status"), ("gemeente", "rapportage")], [1]),
}

#: The grants that the valid consents of a set of dossiers imply, per (dossier, recipient group): the SQL
#: form of ``rechten_bijwerken`` (scope -> code names from ``RECHTEN_PER_SCOPE``).
RECHTEN_SQL = """
SELECT DISTINCT t.dossier_id, o.groep_id, p.id
FROM meldingen_toestemming t
JOIN core_organisatie o ON o.id = t.ontvanger_id
JOIN unnest(%(scopes)s::text[], %(codenames)s::text[]) AS r(scope, codename) ON r.scope = t.scope
JOIN auth_permission p ON p.content_type_id = %(ct)s AND p.codename = r.codename
WHERE t.beeindigd_op IS NULL AND t.dossier_id IN ({dossiers})
"""


def rechten_params() -> dict[str, Any]:
    paren = sorted((scope, codename) for scope, namen in RECHTEN_PER_SCOPE.items() for codename in namen)
    return {
        "scopes": [s for s, _ in paren],
        "codenames": [c for _, c in paren],
        "ct": ContentType.objects.get_for_model(Dossier).pk,
    }


def genereer_dossiers(aantal: int) -> dict[str, int]:
    diemen = Convenant.objects.get(slug="diemen")
    ander = Convenant.objects.get(slug="ouder-amstel")
    elders = round(aantal * AANDEEL_ANDERE_GEMEENTE)
    dossiers_genereren(
        aantal=aantal - elders,
        convenant=diemen,
        prefix="B-",
        behandelaars=hulpverleners(diemen.uitvoerder, HULPVERLENERS),
    )
    dossiers_genereren(
        aantal=elders,
        convenant=ander,
        prefix="O-",
        behandelaars=hulpverleners(ander.uitvoerder, HULPVERLENERS // 10, prefix="bench.sa"),
    )
    with connection.cursor() as c:
        c.execute(
            "SELECT c.slug, count(*) FROM meldingen_dossier d JOIN convenants_convenant c ON c.id = d.convenant_id "
            "GROUP BY c.slug"
        )
        return dict(c.fetchall())


def opruimen() -> None:
    """Remove what an earlier run on the same database left: consents and grants on bench dossiers, the plans."""
    with connection.cursor() as c:
        bench = "SELECT id FROM meldingen_dossier WHERE nummer LIKE 'B-%' OR nummer LIKE 'O-%' OR nummer LIKE 'TS-%'"
        c.execute(f"DELETE FROM meldingen_dossiergroeprecht WHERE content_object_id IN ({bench})")
        c.execute(f"DELETE FROM meldingen_toestemming WHERE dossier_id IN ({bench})")
        c.execute(f"DROP TABLE IF EXISTS {PLAN}, {PLAN_ELDERS}")


PLAN = "bench_toestemming_plan"
PLAN_ELDERS = "bench_toestemming_plan_elders"


def plan_maken(tabel: str, *, convenant: Convenant, prefix: str, aantal: int) -> None:
    """Choose ``aantal`` claimed or closed dossiers ``<prefix>i`` of ``convenant``, evenly spread over i (and so
    over the creation dates), numbered m = 1…aantal, in table ``tabel``."""
    with connection.cursor() as c:
        c.execute(
            "SELECT count(*) FROM meldingen_dossier WHERE convenant_id = %s AND nummer LIKE %s AND status <> 'nieuw'",
            [convenant.pk, prefix + "%"],
        )
        stap = c.fetchone()[0] // aantal
        assert stap >= 1, "te weinig dossiers voor het aantal toestemmingen"
        c.execute(
            f"""
            CREATE TABLE {tabel} AS
            WITH kandidaat AS (
                SELECT id, partner_id, aangemaakt_op,
                       row_number() OVER (ORDER BY substr(nummer, %(lengte)s)::int) AS j
                FROM meldingen_dossier
                WHERE convenant_id = %(convenant)s AND nummer LIKE %(patroon)s AND status <> 'nieuw'
            )
            SELECT id AS dossier_id, partner_id, aangemaakt_op, j / %(stap)s AS m
            FROM kandidaat WHERE j %% %(stap)s = 0 AND j / %(stap)s <= %(n)s
            """,
            {"convenant": convenant.pk, "patroon": prefix + "%", "lengte": len(prefix) + 1, "stap": stap, "n": aantal},
        )
        c.execute(f"CREATE UNIQUE INDEX ON {tabel} (m)")
        c.execute(f"ANALYZE {tabel}")


#: One consent per plan row selected by ``{waar}``: for the Gemeente 30 % scope rapportage (m mod 1000 < 300),
#: the Partner only status; 1 % withdrawn (m mod 97 = 0); given between the dossier's creation and today.
TOESTEMMING_SQL = """
INSERT INTO meldingen_toestemming (
    id, ontvanger_soort, scope, gegeven_op, wijze, bewijs, vastgelegd_op, beeindigd_op, einde,
    beeindiging_vastgelegd_op, beeindigd_door_id, dossier_id, formulier_id, ontvanger_id, vastgelegd_door_id
)
SELECT gen_random_uuid(), %(soort)s,
       CASE WHEN %(soort)s = 'gemeente' AND m %% 1000 < 300 THEN 'rapportage' ELSE 'status' END,
       LEAST(current_date, aangemaakt_op::date + (m %% 20)::int),
       (ARRAY['schriftelijk', 'mondeling', 'digitaal'])[1 + m %% 3],
       '\\x00'::bytea, now(),
       CASE WHEN m %% 97 = 0 THEN current_date END,
       CASE WHEN m %% 97 = 0 THEN 'ingetrokken' ELSE '' END,
       CASE WHEN m %% 97 = 0 THEN now() END,
       CASE WHEN m %% 97 = 0 THEN %(door)s::bigint END,
       dossier_id, NULL, COALESCE(%(ontvanger)s::bigint, partner_id), %(door)s
FROM {plan} WHERE {waar}
"""


def toestemmingen_sql(*, plan: str, waar: str, soort: str, ontvanger: Organisatie | None, door: User) -> int:
    """Consents for the plan rows ``waar`` and the grants that the dossiers' valid consents imply."""
    with transaction.atomic(), connection.cursor() as c:
        c.execute(
            TOESTEMMING_SQL.format(plan=plan, waar=waar),
            {"soort": soort, "ontvanger": ontvanger.pk if ontvanger else None, "door": door.pk},
        )
        aantal = c.rowcount
        c.execute("ANALYZE meldingen_toestemming")
        c.execute(
            "INSERT INTO meldingen_dossiergroeprecht (content_object_id, group_id, permission_id) "
            + RECHTEN_SQL.format(dossiers=f"SELECT dossier_id FROM {plan} WHERE {waar}")
            + " ON CONFLICT DO NOTHING",
            rechten_params(),
        )
        c.execute("ANALYZE meldingen_dossiergroeprecht")
    return aantal


def afschermen(*, plan: str, waar: str, door: User) -> int:
    """Put the selected dossiers under restriction (art. 18) as the service would: row plus ``afgeschermd_sinds``."""
    with transaction.atomic(), connection.cursor() as c:
        c.execute(
            f"""
            INSERT INTO meldingen_afscherming (soort, reden, ingesteld_op, dossier_id, ingesteld_door_id)
            SELECT 'beperking', '\\x00'::bytea, now(), p.dossier_id, %s
            FROM {plan} p JOIN meldingen_dossier d ON d.id = p.dossier_id
            WHERE d.afgeschermd_sinds IS NULL AND {waar}
            """,
            [door.pk],
        )
        c.execute(
            f"UPDATE meldingen_dossier SET afgeschermd_sinds = now() WHERE afgeschermd_sinds IS NULL "
            f"AND id IN (SELECT dossier_id FROM {plan} WHERE {waar})",
            [],
        )
        c.execute(
            f"SELECT count(*) FROM meldingen_dossier WHERE afgeschermd_sinds IS NOT NULL "
            f"AND id IN (SELECT dossier_id FROM {plan} WHERE {waar})",
            [],
        )
        return c.fetchone()[0]


def verwacht_zichtbaar(gemeente: Organisatie) -> int:
    """From the consent register, independent of the permissions: the dossiers the Gemeente may see."""
    with connection.cursor() as c:
        c.execute(
            """
            SELECT count(DISTINCT t.dossier_id)
            FROM meldingen_toestemming t
            JOIN meldingen_dossier d ON d.id = t.dossier_id
            JOIN convenants_convenant c ON c.id = d.convenant_id
            WHERE t.ontvanger_id = %(g)s AND t.beeindigd_op IS NULL AND c.gemeente_id = %(g)s
              AND d.afgeschermd_sinds IS NULL AND d.vernietigd_op IS NULL
            """,
            {"g": gemeente.pk},
        )
        return c.fetchone()[0]


def rechten_aantal(groep_id: int) -> int:
    return DossierGroepRecht.objects.filter(group_id=groep_id).count()


# --- the real services, and the proof that the SQL-made rows match -----------------------------------------


def via_services(diemen: Convenant, door: User) -> dict[str, Dossier]:
    """One fresh dossier (with a real data key) per scenario, consents recorded and withdrawn by the services."""
    partner = diemen.partners.earliest("pk")
    vandaag = timezone.localdate()
    uit = {}
    for n, (naam, (stappen, intrekken)) in enumerate(SCENARIOS.items(), start=1):
        dossier = Dossier.objects.filter(nummer=f"TS-{n}").first() or Dossier.objects.create(
            nummer=f"TS-{n}",
            convenant=diemen,
            partner=partner,
            sleutel=datasleutel_create(doel="dossier"),
            type="VEO",
            status="geclaimd",
            achterstand_bedrag=1000,
            postcode_cijfers=1111,
            geclaimd_op=timezone.now(),
        )
        gemaakt = [
            toestemming_create(
                dossier=dossier,
                door=door,
                ontvanger_soort=ontvanger,
                scope=scope,
                gegeven_op=vandaag,
                wijze="mondeling",
                bewijs="Telefonisch akkoord van de huurder.",
            )
            for ontvanger, scope in stappen
        ]
        for i in intrekken:
            toestemming_intrekken(toestemming=gemaakt[i], door=door, ingetrokken_op=vandaag)
        uit[naam] = dossier
    return uit


def rechten_sets(dossier: Dossier, gemeente: Organisatie, partner: Organisatie) -> dict[str, list[str]]:
    return {
        org: sorted(get_group_perms(groep, dossier).values_list("codename", flat=True))
        for org, groep in (("gemeente", gemeente.groep), ("partner", partner.groep))
    }


#: SQL-made consents of the same kind as a service scenario: a plan row m with these properties.
BULK_GELIJKE: dict[str, Any] = {
    "gemeente_status": lambda m: m % 1000 >= 300 and m % 97 and m % 2 == 0,
    "gemeente_rapportage": lambda m: m % 1000 < 300 and m % 97 and m % 2 == 0,
    "gemeente_status_ingetrokken": lambda m: m % 1000 >= 300 and m % 97 == 0 and m % 2 == 0,
    "gemeente_rapportage_partner_status": lambda m: m % 1000 < 300 and m % 97 and m % 2 == 1,
}


def controleer(service: dict[str, Dossier], gemeente: Organisatie, partner: Organisatie) -> dict[str, Any]:
    """Assert that the services granted exactly what the SQL derivation gives, and that SQL-made consents of
    the same kind carry the same permission sets."""
    ids = [d.pk for d in service.values()]
    with connection.cursor() as c:
        c.execute(RECHTEN_SQL.format(dossiers="SELECT unnest(%(ids)s::uuid[])"), {**rechten_params(), "ids": ids})
        afgeleid = set(c.fetchall())
    echt = set(
        DossierGroepRecht.objects.filter(content_object_id__in=ids).values_list(
            "content_object_id", "group_id", "permission_id"
        )
    )
    assert echt == afgeleid, f"SQL-afleiding wijkt af van de services: {echt ^ afgeleid}"
    vergeleken = {}
    with connection.cursor() as c:
        for naam, past in BULK_GELIJKE.items():
            m = next(m for m in range(1, TOESTEMMINGEN + 1) if past(m) and m % 1000 != 555)
            c.execute(f"SELECT dossier_id FROM {PLAN} WHERE m = %s", [m])
            bulk = Dossier.objects.get(pk=c.fetchone()[0])
            via_service = rechten_sets(service[naam], gemeente, partner)
            via_sql = rechten_sets(bulk, gemeente, partner)
            assert via_service == via_sql, f"{naam}: service {via_service} ≠ SQL {via_sql}"
            vergeleken[naam] = via_service
    for naam in SCENARIOS.keys() - BULK_GELIJKE.keys():
        vergeleken[naam] = rechten_sets(service[naam], gemeente, partner)
    return {"rechten_rijen_services": len(echt), "gelijk_aan_sql_afleiding": True, "rechten_per_scenario": vergeleken}


def getoonde_dossiers(lijst: QuerySet[Dossier], paginas: tuple[int, ...]) -> list[Any]:
    """Ids of the dossiers the list view shows on ``paginas`` (same paginator, same page size)."""
    paginator = Paginator(lijst, PER_PAGINA)
    return [d.pk for p in paginas for d in paginator.get_page(p).object_list]


def meldingen_geven(dossier_ids: list[Any]) -> int:
    """Give the dossiers to be shown what intake gives every dossier: a real data key and an encrypted melding
    (the page decrypts the tenant's name and address). Returns how many were added."""
    zonder = (
        Dossier.objects.filter(pk__in=dossier_ids)
        .filter(~Exists(Melding.objects.filter(dossier=OuterRef("pk"))))
        .select_related("convenant")
    )
    aantal = 0
    with transaction.atomic():
        for dossier in zonder:
            oud = dossier.sleutel_id
            dossier.sleutel = datasleutel_create(doel="dossier")
            dossier.save(update_fields=["sleutel"])
            DataSleutel.objects.filter(pk=oud, doel="bench").delete()
            melding = Melding(
                dossier=dossier,
                convenant=dossier.convenant,
                partner_id=dossier.partner_id,
                kanaal="api",
                type=dossier.type,
                achterstand_bedrag=dossier.achterstand_bedrag,
                achterstand_maanden=2,
                herhaald=dossier.herhaald,
                maandhuur=650,
                minderjarige_kinderen=1 if dossier.heeft_minderjarigen else 0,
                postcode_cijfers=dossier.postcode_cijfers,
                ontruimingsdatum=dossier.ontruimingsdatum,
            )
            gegevens = {
                "convenant": dossier.convenant.slug,
                "type": dossier.type,
                "referentie": f"BENCH-{dossier.nummer}",
                "huurder": {
                    "achternaam": f"Bench-{dossier.nummer}",
                    "voornamen": "Anna Maria",
                    "voorletters": "A.M.",
                    "geboortedatum": "1980-05-17",
                    "telefoon": "0612345678",
                    "email": "huurder@bench.invalid",
                },
                "adres": {
                    "straat": "Benchstraat",
                    "huisnummer": 1 + aantal,
                    "toevoeging": "",
                    "postcode": f"{dossier.postcode_cijfers} AB",
                    "woonplaats": "Diemen",
                },
                "huishouden": {"minderjarige_kinderen": melding.minderjarige_kinderen},
                "achterstand": {"bedrag": str(dossier.achterstand_bedrag), "maanden": 2, "herhaald": False},
                "voortraject": {"herinnering_op": None, "contactpoging_op": None, "informatie_doorgifte_op": None},
                "eo": None,
            }
            melding.gegevens = Kluis(dossier.sleutel).versleutel(gegevens, context=melding.context)
            melding.save(force_insert=True)
            aantal += 1
    return aantal


# --- measuring -----------------------------------------------------------------------------------------------


def zonder_rechtenfilter(*, user: User) -> QuerySet[Dossier]:
    """The baseline: ``dossier_list_voor_gemeente`` without the permission filter (the same tenant and override
    filters, the same related objects and order)."""
    lijst = dossier_list_voor_gemeente(user=user)
    basis = Dossier.objects.filter(
        convenant__gemeente=user.organisatie, afgeschermd_sinds__isnull=True, vernietigd_op__isnull=True
    )
    basis.query.select_related = lijst.query.select_related
    return basis.prefetch_related(*lijst._prefetch_related_lookups).order_by(*lijst.query.order_by)  # type: ignore[attr-defined]  # the list's own prefetches


VARIANTEN = ("gefilterd", "ongefilterd")


def variant(naam: str) -> Any:
    if naam == "ongefilterd":
        return mock.patch.object(gemeente_views, "dossier_list_voor_gemeente", zonder_rechtenfilter)
    return contextlib.nullcontext()


def p95(tijden: list[float]) -> float:
    return round(sorted(tijden)[int(0.95 * len(tijden)) - 1] * 1000, 1)


def pagina_meting(
    user: User, paginas: tuple[int, ...], herhalingen: int, varianten: tuple[str, ...] = VARIANTEN
) -> list[dict[str, Any]]:
    """Per page and variant: timings and query count; the variants' requests alternate, and so does which
    goes first."""
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = sessie(user)
    uit = []
    for pagina in paginas:
        pad = f"{reverse('gemeente:list')}?pagina={pagina}"
        tijden: dict[str, list[float]] = {v: [] for v in varianten}
        queries: dict[str, set[int]] = {v: set() for v in varianten}
        aantal: dict[str, int] = {}
        getoond: dict[str, str] = {}
        for v in varianten:  # warm-up
            with variant(v):
                client.get(pad)
        for i in range(herhalingen):
            for v in varianten if i % 2 == 0 else varianten[::-1]:
                with variant(v), CaptureQueriesContext(connection) as q:
                    start = time.perf_counter()
                    antwoord = client.get(pad)
                    tijden[v].append(time.perf_counter() - start)
                assert antwoord.status_code == 200, antwoord.status_code
                queries[v].add(len(q))
                html = antwoord.content.decode()
                gevonden_aantal = re.search(r'data-aantal="(\d+)"', html)
                assert gevonden_aantal is not None, "de lijst toont geen aantal"
                aantal[v] = int(gevonden_aantal.group(1))
                gevonden = re.search(r"Pagina (\d+) van (\d+)", html)
                getoond[v] = f"{gevonden.group(1)}/{gevonden.group(2)}" if gevonden else "1/1"
        regel: dict[str, Any] = {"pagina": pagina}
        for v in varianten:
            assert len(queries[v]) == 1, f"wisselend aantal queries: {queries[v]}"
            regel[v] = {
                "p50_ms": round(statistics.median(tijden[v]) * 1000, 1),
                "p95_ms": p95(tijden[v]),
                "queries": queries[v].pop(),
                "dossiers": aantal[v],
                "pagina_van": getoond[v],
            }
        if "ongefilterd" in regel:
            for maat in ("p50", "p95"):
                regel[f"verhouding_{maat}"] = round(
                    regel["gefilterd"][f"{maat}_ms"] / regel["ongefilterd"][f"{maat}_ms"], 2
                )
        uit.append(regel)
    return uit


def toon(regels: list[dict[str, Any]]) -> None:
    for r in regels:
        g = r["gefilterd"]
        regel = f"  pagina {r['pagina']:>4} ({g['pagina_van']:>9}): p50 {g['p50_ms']:6} ms  p95 {g['p95_ms']:6} ms"
        regel += f"  {g['queries']} queries"
        if "ongefilterd" in r:
            o = r["ongefilterd"]
            regel += f" | zonder filter ({o['pagina_van']}): p50 {o['p50_ms']} ms  p95 {o['p95_ms']} ms"
            regel += f"  {o['queries']} queries | p95 {r['verhouding_p95']}× (p50 {r['verhouding_p50']}×)"
        print(regel)


def explain(lijst: QuerySet[Dossier], pagina: int) -> dict[str, list[str]]:
    """EXPLAIN (ANALYZE, BUFFERS) of the two queries the paginator runs for ``pagina``: count and page."""
    with CaptureQueriesContext(connection) as q:
        list(Paginator(lijst, PER_PAGINA).get_page(pagina).object_list)
    uit = {}
    with connection.cursor() as c:
        for naam, vraag in zip(("count", f"pagina_{pagina}"), q.captured_queries[:2], strict=True):
            c.execute("EXPLAIN (ANALYZE, BUFFERS) " + vraag["sql"])
            uit[naam] = [r[0] for r in c.fetchall()]
    return uit


def vacuum(*tabellen: str) -> None:
    """Settle the bulk-loaded tables (visibility map, hint bits, statistics) so that no autovacuum runs and no
    first read rewrites pages while the pages are measured."""
    with connection.cursor() as c:
        c.execute(f"VACUUM (ANALYZE) {', '.join(tabellen)}")


def controleer_getoond(dossier_ids: list[Any], gemeente: Organisatie) -> None:
    """Every dossier the filtered list shows has a valid consent for the Gemeente, in its convenants, unhidden."""
    with connection.cursor() as c:
        c.execute(
            """
            SELECT count(*) FROM meldingen_dossier d JOIN convenants_convenant c ON c.id = d.convenant_id
            WHERE d.id = ANY(%(ids)s::uuid[]) AND (
                c.gemeente_id <> %(g)s OR d.afgeschermd_sinds IS NOT NULL OR d.vernietigd_op IS NOT NULL
                OR NOT EXISTS (
                    SELECT 1 FROM meldingen_toestemming t
                    WHERE t.dossier_id = d.id AND t.ontvanger_id = %(g)s AND t.beeindigd_op IS NULL
                )
            )
            """,
            {"ids": dossier_ids, "g": gemeente.pk},
        )
        assert c.fetchone()[0] == 0, "de lijst toont een dossier zonder geldige toestemming"


def fase_meten(
    medewerker: User, gemeente: Organisatie, paginas: tuple[int, ...], herhalingen: int, varianten: tuple[str, ...]
) -> dict[str, Any]:
    getoond = getoonde_dossiers(dossier_list_voor_gemeente(user=medewerker), paginas)
    controleer_getoond(getoond, gemeente)
    if "ongefilterd" in varianten:
        getoond += getoonde_dossiers(zonder_rechtenfilter(user=medewerker), paginas)
    meldingen_geven(getoond)
    vacuum("meldingen_toestemming", "meldingen_dossiergroeprecht", "meldingen_melding", "privacy_datasleutel")
    zichtbaar = verwacht_zichtbaar(gemeente)
    regels = pagina_meting(medewerker, paginas, herhalingen, varianten)
    assert all(r["gefilterd"]["dossiers"] == zichtbaar for r in regels), (zichtbaar, regels)
    uit = {
        "toestemmingen_gemeente": Toestemming.objects.filter(ontvanger=gemeente).count(),
        "rechten_rijen_gemeente": rechten_aantal(gemeente.groep_id),
        "rechten_rijen_totaal": DossierGroepRecht.objects.count(),
        "zichtbaar": zichtbaar,
        "herhalingen": herhalingen,
        "paginas": regels,
    }
    print(
        f"{uit['toestemmingen_gemeente']} toestemmingen Gemeente ({uit['rechten_rijen_gemeente']} rechten, "
        f"{uit['rechten_rijen_totaal']} in totaal), {zichtbaar} dossiers zichtbaar, {herhalingen} verzoeken per meting:"
    )
    toon(regels)
    return uit


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=DOSSIERS)
    parser.add_argument("--herhalingen", type=int, default=HERHALINGEN)
    parser.add_argument("--json")
    args = parser.parse_args()
    call_command("demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    start = time.perf_counter()
    per_convenant = genereer_dossiers(args.dossiers)
    print(f"{sum(per_convenant.values())} dossiers ({per_convenant}) klaar in {time.perf_counter() - start:.0f} s")

    diemen = Convenant.objects.get(slug="diemen")
    ander = Convenant.objects.get(slug="ouder-amstel")
    gemeente, partner = diemen.gemeente, diemen.partners.earliest("pk")
    teamleider = User.objects.get(username="teamleider.madizo")
    medewerker = User.objects.get(username="gemeente_medewerker.diemen")
    start = time.perf_counter()
    opruimen()
    plan_maken(PLAN, convenant=diemen, prefix="B-", aantal=TOESTEMMINGEN)
    plan_maken(PLAN_ELDERS, convenant=ander, prefix="O-", aantal=ANDERE_GEMEENTE_TOESTEMMINGEN)
    afgeschermd = afschermen(plan=PLAN, waar="m %% 1000 = 555", door=User.objects.get(username="contactpunt.diemen"))
    ruis = toestemmingen_sql(plan=PLAN, waar="m %% 2 = 1", soort="partner", ontvanger=None, door=teamleider)
    ruis += toestemmingen_sql(
        plan=PLAN_ELDERS,
        waar="true",
        soort="gemeente",
        ontvanger=ander.gemeente,
        door=User.objects.get(username="teamleider.schuldhulpamstel"),
    )
    service = via_services(diemen, teamleider)
    eerste_fase = f"m %% {TOESTEMMINGEN // EERSTE_FASE} = 0"
    eerste = toestemmingen_sql(plan=PLAN, waar=eerste_fase, soort="gemeente", ontvanger=gemeente, door=teamleider)
    vacuum("meldingen_dossier", "privacy_datasleutel", "meldingen_toestemming", "meldingen_dossiergroeprecht")
    print(
        f"{eerste} toestemmingen Gemeente, {ruis} ruis (Partner, andere Gemeente), {afgeschermd} afgeschermd, "
        f"{sum(len(s) for s, _ in SCENARIOS.values())} via de services, in {time.perf_counter() - start:.0f} s"
    )

    # After 1,000 consents only the filtered list: the baseline does not depend on the grants.
    fasen = {"eerste": fase_meten(medewerker, gemeente, PAGINAS_EERSTE_FASE, HERHALINGEN_EERSTE_FASE, ("gefilterd",))}
    start = time.perf_counter()
    toestemmingen_sql(plan=PLAN, waar=f"NOT ({eerste_fase})", soort="gemeente", ontvanger=gemeente, door=teamleider)
    print(f"overige toestemmingen in {time.perf_counter() - start:.0f} s")
    fasen["alle"] = fase_meten(medewerker, gemeente, PAGINAS, args.herhalingen, VARIANTEN)

    controle = controleer(service, gemeente, partner)
    print(
        f"via de services: {controle['rechten_rijen_services']} rechten, gelijk aan de SQL-afleiding en per soort "
        "gelijk aan die van SQL-toestemmingen"
    )
    aantallen = {r["gefilterd"]["queries"] for f in fasen.values() for r in f["paginas"]}
    queries_gelijk = len(aantallen) == 1
    hoogste = max(r["verhouding_p95"] for r in fasen["alle"]["paginas"])
    gehaald = "gehaald" if hoogste <= DOEL_VERHOUDING else "NIET gehaald"
    print(
        f"queries per pagina {sorted(aantallen)}, onafhankelijk van het aantal rechten: "
        f"{'ja' if queries_gelijk else 'NEE'}; hoogste verhouding p95 {hoogste}× (doel ≤ {DOEL_VERHOUDING}×: {gehaald})"
    )

    diepst = PAGINAS[-1]
    plannen = {
        "gefilterd": {
            **explain(dossier_list_voor_gemeente(user=medewerker), 1),
            **explain(dossier_list_voor_gemeente(user=medewerker), diepst),
        },
        "ongefilterd": {
            **explain(zonder_rechtenfilter(user=medewerker), 1),
            **explain(zonder_rechtenfilter(user=medewerker), diepst),
        },
    }
    for naam in ("count", "pagina_1"):
        print(f"EXPLAIN (ANALYZE, BUFFERS) gefilterde lijst, {naam}:")
        for regel in plannen["gefilterd"][naam]:
            print(f"    {regel}")

    with connection.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {PLAN}, {PLAN_ELDERS}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "dossiers": per_convenant,
                    "toestemmingen_ruis": ruis,
                    "afgeschermd": afgeschermd,
                    "controle_services": controle,
                    "fasen": fasen,
                    "queries_onafhankelijk_van_rechten": queries_gelijk,
                    "hoogste_verhouding_p95": hoogste,
                    "doel_verhouding_p95": DOEL_VERHOUDING,
                    "explain": plannen,
                },
                indent=2,
                default=str,
            )
        )


if __name__ == "__main__":
    main()
