"""Generated benchmark data shared by the benchmarks (import after ``django.setup()``).

Dossiers are inserted with SQL (``generate_series``) for speed; they carry placeholder data keys and no
personal data or meldingen, which the measured pages do not need.
"""

from __future__ import annotations

from django.db import connection

from convenants.models import Convenant
from meldpunt.core.models import Organisatie, User


def hulpverleners(uitvoerder: Organisatie, aantal: int, *, prefix: str = "bench.hv") -> list[int]:
    """Ids of ``aantal`` hulpverleners ``<prefix>000``… of ``uitvoerder`` (created when missing, no password)."""
    bestaand = set(User.objects.filter(username__startswith=prefix).values_list("username", flat=True))
    nieuw = [
        User(
            username=f"{prefix}{i:03d}", organisatie=uitvoerder, rollen=["hulpverlener"], email=f"{prefix}{i}@bench.nl"
        )
        for i in range(aantal)
        if f"{prefix}{i:03d}" not in bestaand
    ]
    for u in nieuw:
        u.set_unusable_password()
    User.objects.bulk_create(nieuw)
    return list(User.objects.filter(username__startswith=prefix).order_by("pk").values_list("pk", flat=True))


def dossiers_genereren(*, aantal: int, convenant: Convenant, prefix: str, behandelaars: list[int]) -> int:
    """Make sure dossiers ``<prefix>1`` … ``<prefix><aantal>`` exist in ``convenant``; returns how many were added.

    Dossier ``i``: every tenth an EO (with an eviction date), 20 % ``nieuw`` (no behandelaar), 70 % ``geclaimd``
    by one of ``behandelaars``, 10 % ``afgesloten``; created 0–399 days ago.
    """
    partner = convenant.partners.earliest("pk")
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM meldingen_dossier WHERE nummer LIKE %s", [prefix + "%"])
        vanaf = c.fetchone()[0] + 1
        if vanaf > aantal:
            return 0
        c.execute(
            """
            WITH s AS (
                INSERT INTO privacy_datasleutel (id, doel, verpakte_sleutel, master_versie, aangemaakt_op)
                SELECT gen_random_uuid(), 'bench', '\\x00'::bytea, 1, now() FROM generate_series(%(vanaf)s, %(tot)s)
                RETURNING id
            ), genummerd AS (SELECT id, %(vanaf)s - 1 + row_number() OVER () AS i FROM s)
            INSERT INTO meldingen_dossier (
                id, nummer, convenant_id, partner_id, sleutel_id, referentie_index, type, status,
                heeft_minderjarigen, achterstand_bedrag, postcode_cijfers, ontruimingsdatum, herhaald,
                behandelaar_id, eindresultaat, aangemaakt_op, geclaimd_op, afgesloten_op
            )
            SELECT gen_random_uuid(), %(prefix)s || i, %(convenant)s, %(partner)s, id, md5(%(prefix)s || i),
                   CASE WHEN i %% 10 = 0 THEN 'EO' ELSE 'VEO' END,
                   CASE WHEN i %% 10 < 2 THEN 'nieuw' WHEN i %% 10 < 9 THEN 'geclaimd' ELSE 'afgesloten' END,
                   i %% 3 = 0, 500 + (i %% 5000), 1000 + (i %% 9000),
                   CASE WHEN i %% 10 = 0 THEN current_date + (i %% 60)::int ELSE NULL END,
                   i %% 7 = 0,
                   CASE WHEN i %% 10 < 2 THEN NULL ELSE (%(hv)s::bigint[])[1 + (i %% %(hvn)s)] END,
                   CASE WHEN i %% 10 = 9 THEN 'Definitief geen contact kunnen krijgen' ELSE '' END,
                   now() - (i %% 400) * interval '1 day',
                   CASE WHEN i %% 10 < 2 THEN NULL ELSE now() - (i %% 300) * interval '1 day' END,
                   CASE WHEN i %% 10 = 9 THEN now() - (i %% 100) * interval '1 day' ELSE NULL END
            FROM genummerd
            """,
            {
                "vanaf": vanaf,
                "tot": aantal,
                "prefix": prefix,
                "convenant": convenant.pk,
                "partner": partner.pk,
                "hv": behandelaars,
                "hvn": len(behandelaars),
            },
        )
        c.execute("ANALYZE meldingen_dossier")
        c.execute("ANALYZE privacy_datasleutel")
    return aantal - vanaf + 1
