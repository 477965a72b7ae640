"""Facturatie benchmark: drafting a year with N reached dossiers and rendering the invoice PDFs.

1. Data (SQL, ``generate_series``): one convenant with ``--partners`` Partners, ``--dossiers`` dossiers closed last
   year with a reached contact attempt and a complete rapportage (every tenth an EO), and as many again that do
   not count (not reached, or closed in another year). Placeholder data keys, no personal data.
2. ``facturen_opstellen`` for last year as financien (ORM + bulk insert of the lines), then the same again
   (idempotent: no new lines), then every draft's PDF (WeasyPrint).
3. Baseline in the same run: one plain SQL aggregate of the same totals per recipient. The run checks that
   the drafted totals equal it to the cent.

    python bench/facturen.py --dossiers 100000 --json bench/results/facturen.json
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldpunt.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.utils import timezone  # noqa: E402

from convenants.models import Convenant, ConvenantParameters, ConvenantPartner  # noqa: E402
from facturatie.export.pdf import factuur_pdf  # noqa: E402
from facturatie.facturen.models import Factuur, FactuurRegel  # noqa: E402
from facturatie.facturen.opstellen import facturen_opstellen, jaargrenzen  # noqa: E402
from meldpunt.core.models import Organisatie, OrganisatieType, User  # noqa: E402
from meldpunt.core.services import organisatie_create  # noqa: E402

PREFIX = "BF-"


def _organisatie(slug: str, type_: str) -> Organisatie:
    return Organisatie.objects.filter(slug=slug).first() or organisatie_create(
        naam=f"Bench {slug}", slug=slug, type=type_
    )


def opzetten(aantal: int, partners: int, jaar: int) -> tuple[Convenant, User]:
    gemeente = _organisatie("gemeente-benchfact", OrganisatieType.GEMEENTE)
    uitvoerder = _organisatie("bench-uitvoerder-fact", OrganisatieType.UITVOERDER)
    corporaties = [_organisatie(f"bench-partner-fact-{i}", OrganisatieType.PARTNER) for i in range(partners)]
    convenant, nieuw = Convenant.objects.get_or_create(
        slug="bench-facturatie",
        defaults={
            "naam": "Bench facturatie",
            "gemeente": gemeente,
            "uitvoerder": uitvoerder,
            "startdatum": f"{jaar - 1}-01-01",
            "fg_email": "fg@bench.nl",
        },
    )
    if nieuw:
        for p in corporaties:
            ConvenantPartner.objects.create(convenant=convenant, partner=p, sinds=convenant.startdatum)
        ConvenantParameters.objects.create(convenant=convenant, jaar=jaar - 1)
        ConvenantParameters.objects.create(
            convenant=convenant, jaar=jaar, tarief_cofinanciering=Decimal("241.37"), tarief_interventie="633.19"
        )
    financien = User.objects.filter(username="bench.financien").first()
    if financien is None:
        financien = User.objects.create(username="bench.financien", organisatie=gemeente, rollen=["financien"])
    hv = User.objects.filter(username="bench.fact.hv").first() or User.objects.create(
        username="bench.fact.hv", organisatie=uitvoerder, rollen=["hulpverlener"]
    )
    van = jaargrenzen(jaar)[0]
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM meldingen_dossier WHERE nummer LIKE %s", [PREFIX + "%"])
        if c.fetchone()[0] == 0:
            # i in 1..2N: odd i reached and closed in ``jaar``; even i: not reached, or closed the year before.
            c.execute(
                """
                WITH s AS (
                    INSERT INTO privacy_datasleutel (id, doel, verpakte_sleutel, master_versie, aangemaakt_op)
                    SELECT gen_random_uuid(), 'bench', '\\x00'::bytea, 1, now() FROM generate_series(1, %(n)s)
                    RETURNING id
                ), genummerd AS (SELECT id, row_number() OVER () AS i FROM s)
                INSERT INTO meldingen_dossier (
                    id, nummer, convenant_id, partner_id, sleutel_id, type, status, heeft_minderjarigen,
                    achterstand_bedrag, postcode_cijfers, herhaald, eindresultaat, aangemaakt_op, afgesloten_op
                )
                SELECT gen_random_uuid(), %(prefix)s || lpad(i::text, 7, '0'), %(convenant)s,
                       (%(partners)s::bigint[])[1 + (i / 2) %% %(pn)s], id,
                       CASE WHEN i %% 20 IN (1, 2) THEN 'EO' ELSE 'VEO' END, 'afgesloten', false, 900, 1111, false,
                       'Vervolghulp en/of verwijzing', %(van)s,
                       CASE WHEN i %% 4 = 0 THEN %(van)s - interval '30 days'
                            ELSE %(van)s + (i %% 360) * interval '1 day' END
                FROM genummerd
                """,
                {
                    "n": 2 * aantal,
                    "prefix": PREFIX,
                    "convenant": convenant.pk,
                    "partners": [p.pk for p in corporaties],
                    "pn": partners,
                    "van": van,
                },
            )
            c.execute(
                """
                INSERT INTO meldingen_contactpoging (dossier_id, soort, datum, dagdeel, bereikt, door_id, aangemaakt_op)
                SELECT id, 'Telefoon', afgesloten_op::date, 'Ochtend', right(nummer, 1)::int %% 2 = 1, %(hv)s, now()
                FROM meldingen_dossier WHERE nummer LIKE %(p)s
                """,
                {"hv": hv.pk, "p": PREFIX + "%"},
            )
            c.execute(
                """
                INSERT INTO meldingen_rapportage (dossier_id, volledig, bijgewerkt_op)
                SELECT id, true, now() FROM meldingen_dossier WHERE nummer LIKE %(p)s
                """,
                {"p": PREFIX + "%"},
            )
            for tabel in ("meldingen_dossier", "meldingen_contactpoging", "meldingen_rapportage"):
                c.execute(f"ANALYZE {tabel}")
    return convenant, financien


SQL_TOTALEN = """
SELECT 'cofinanciering', d.partner_id, count(*), count(*) * %(cof)s
  FROM meldingen_dossier d
 WHERE d.convenant_id = %(c)s AND d.status = 'afgesloten' AND d.type = 'VEO'
   AND d.afgesloten_op >= %(van)s AND d.afgesloten_op < %(tot)s
   AND EXISTS (SELECT 1 FROM meldingen_contactpoging p WHERE p.dossier_id = d.id AND p.bereikt)
   AND EXISTS (SELECT 1 FROM meldingen_rapportage r WHERE r.dossier_id = d.id AND r.volledig)
 GROUP BY d.partner_id
UNION ALL
SELECT 'subsidie', %(uitvoerder)s, count(*), count(*) * %(sub)s
  FROM meldingen_dossier d
 WHERE d.convenant_id = %(c)s AND d.status = 'afgesloten'
   AND d.afgesloten_op >= %(van)s AND d.afgesloten_op < %(tot)s
   AND EXISTS (SELECT 1 FROM meldingen_contactpoging p WHERE p.dossier_id = d.id AND p.bereikt)
   AND EXISTS (SELECT 1 FROM meldingen_rapportage r WHERE r.dossier_id = d.id AND r.volledig)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=100_000, help="reached dossiers in the year")
    parser.add_argument("--partners", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    jaar = timezone.localdate().year - 1

    t = time.perf_counter()
    convenant, financien = opzetten(args.dossiers, args.partners, jaar)
    opzet_s = time.perf_counter() - t
    # Drafts only (nothing is issued here): a run starts from none.
    FactuurRegel.objects.filter(convenant=convenant).delete()
    Factuur.objects.filter(convenant=convenant).delete()
    parameters = convenant.parameters_voor(jaar)
    assert parameters is not None
    van, tot = jaargrenzen(jaar)

    t = time.perf_counter()
    with connection.cursor() as c:
        c.execute(
            SQL_TOTALEN,
            {
                "c": convenant.pk,
                "van": van,
                "tot": tot,
                "cof": parameters.tarief_cofinanciering,
                "sub": parameters.tarief_interventie,
                "uitvoerder": convenant.uitvoerder_id,
            },
        )
        sql_totalen = {(soort, ontvanger): (n, Decimal(s)) for soort, ontvanger, n, s in c.fetchall()}
    sql_s = time.perf_counter() - t

    t = time.perf_counter()
    verslag = facturen_opstellen(jaar=jaar, door=financien)
    opstellen_s = time.perf_counter() - t
    t = time.perf_counter()
    opnieuw = facturen_opstellen(jaar=jaar, door=financien)
    opnieuw_s = time.perf_counter() - t
    assert opnieuw.nieuwe_regels == 0

    facturen = list(Factuur.objects.filter(convenant=convenant).select_related("gemeente", "ontvanger", "convenant"))
    orm_totalen = {
        (f.soort, f.ontvanger_id): (f.regels.count(), f.regels.aggregate(s=Sum("bedrag"))["s"]) for f in facturen
    }
    assert orm_totalen == sql_totalen, (orm_totalen, sql_totalen)

    print(f"opstellen {opstellen_s:.2f} s, opnieuw {opnieuw_s:.2f} s, SQL-aggregaat {sql_s:.3f} s", flush=True)
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    t = time.perf_counter()
    pdf_bytes = sum(len(factuur_pdf(f)) for f in facturen)
    pdf_s = time.perf_counter() - t

    resultaat = {
        "dossiers_bereikt": args.dossiers,
        "dossiers_totaal": 2 * args.dossiers,
        "partners": args.partners,
        "facturen": len(facturen),
        "regels": verslag.nieuwe_regels,
        "opzet_s": round(opzet_s, 2),
        "sql_aggregaat_s": round(sql_s, 3),
        "opstellen_s": round(opstellen_s, 2),
        "opnieuw_opstellen_s": round(opnieuw_s, 2),
        "pdf_s": round(pdf_s, 2),
        "pdf_mb": round(pdf_bytes / 1e6, 2),
        "ratio_opstellen_vs_sql": round(opstellen_s / sql_s, 1),
        "ratio_opstellen_plus_pdf_vs_sql": round((opstellen_s + pdf_s) / sql_s, 1),
        "totalen_gelijk": True,
    }
    print(json.dumps(resultaat, indent=2))
    if args.json:
        args.json.write_text(json.dumps(resultaat, indent=2) + "\n")


if __name__ == "__main__":
    main()
