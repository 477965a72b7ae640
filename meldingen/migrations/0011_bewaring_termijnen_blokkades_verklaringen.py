"""Retention: each party's term on the dossier, holds, and append-only destruction reports."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

#: A destruction report is proof: its lines are never changed or deleted (as the Logboek's rows).
REGELS_ALLEEN_TOEVOEGEN = """
CREATE FUNCTION meldingen_vernietigingsregel_alleen_toevoegen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Een vernietigingsverklaring is alleen-toevoegen: % op % is niet toegestaan.', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER meldingen_vernietigingsregel_geen_wijziging
    BEFORE UPDATE OR DELETE ON meldingen_vernietigingsregel
    FOR EACH ROW EXECUTE FUNCTION meldingen_vernietigingsregel_alleen_toevoegen();
"""

REGELS_ALLEEN_TOEVOEGEN_WEG = """
DROP TRIGGER IF EXISTS meldingen_vernietigingsregel_geen_wijziging ON meldingen_vernietigingsregel;
DROP FUNCTION IF EXISTS meldingen_vernietigingsregel_alleen_toevoegen();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("meldingen", "0010_ddas_labels_behandelaars_en_pdf_aanvraag"),
    ]

    operations = [
        migrations.CreateModel(
            name="Bewaarblokkade",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "grond",
                    models.CharField(
                        choices=[
                            ("avg_verzoek", "Lopend AVG-verzoek"),
                            ("bezwaar", "Bezwaar"),
                            ("rechtszaak", "Juridische procedure"),
                            ("datalek", "Onderzoek naar een datalek"),
                        ],
                        max_length=20,
                    ),
                ),
                ("reden", models.CharField(blank=True, max_length=200)),
                ("tot", models.DateField(blank=True, help_text="Leeg: tot de blokkade wordt opgeheven.", null=True)),
                (
                    "bron",
                    models.CharField(
                        blank=True, help_text="avg_verzoek, datalek, of leeg (met de hand).", max_length=30
                    ),
                ),
                ("bron_id", models.CharField(blank=True, max_length=64)),
                ("ingesteld_op", models.DateTimeField()),
                ("opgeheven_op", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "bewaarblokkade",
                "verbose_name_plural": "bewaarblokkades",
                "ordering": ["opgeheven_op", "-ingesteld_op"],
            },
        ),
        migrations.CreateModel(
            name="VernietigingsRegel",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("dossiernummer", models.CharField(max_length=20)),
                (
                    "uitkomst",
                    models.CharField(
                        choices=[("vernietigd", "Vernietigd"), ("tegengehouden", "Tegengehouden door een blokkade")],
                        max_length=15,
                    ),
                ),
                (
                    "aanleiding",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("bewaartermijn", "Bewaartermijn verstreken"),
                            ("avg_besluit", "Besluit op verzoek tot wissing (art. 17 AVG)"),
                        ],
                        max_length=15,
                    ),
                ),
                ("afgesloten_op", models.DateTimeField(blank=True, null=True)),
                ("vernietigen_vanaf", models.DateField(blank=True, null=True)),
                ("tijdstip", models.DateTimeField()),
                ("categorieen", models.JSONField(default=dict)),
                ("gronden", models.JSONField(default=list)),
            ],
            options={
                "verbose_name": "regel van een vernietigingsverklaring",
                "verbose_name_plural": "regels van vernietigingsverklaringen",
                "ordering": ["tijdstip", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Vernietigingsverklaring",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("datum", models.DateField()),
                ("aangemaakt_op", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "verbose_name": "vernietigingsverklaring",
                "verbose_name_plural": "vernietigingsverklaringen",
                "ordering": ["-datum", "convenant"],
            },
        ),
        migrations.AddField(
            model_name="dossier",
            name="achterstand_klasse",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=20, verbose_name="achterstand (klasse)"
            ),
        ),
        migrations.AddField(
            model_name="dossier",
            name="toegang_gemeente_tot",
            field=models.DateField(blank=True, null=True, verbose_name="toegang gemeente tot"),
        ),
        migrations.AddField(
            model_name="dossier",
            name="toegang_partner_tot",
            field=models.DateField(blank=True, null=True, verbose_name="toegang partner tot"),
        ),
        migrations.AddField(
            model_name="dossier",
            name="toegang_uitvoerder_tot",
            field=models.DateField(blank=True, null=True, verbose_name="toegang uitvoerder tot"),
        ),
        migrations.AddField(
            model_name="dossier",
            name="vernietigen_vanaf",
            field=models.DateField(blank=True, null=True, verbose_name="vernietigen vanaf"),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("vernietigd_op__isnull", True), ("vernietigen_vanaf__isnull", False)),
                fields=["vernietigen_vanaf"],
                name="dossier_vernietigen_idx",
            ),
        ),
        migrations.AddField(
            model_name="bewaarblokkade",
            name="dossier",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="bewaarblokkades", to="meldingen.dossier"
            ),
        ),
        migrations.AddField(
            model_name="bewaarblokkade",
            name="ingesteld_door",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="bewaarblokkade",
            name="opgeheven_door",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="vernietigingsregel",
            name="dossier",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="meldingen.dossier"
            ),
        ),
        migrations.AddField(
            model_name="vernietigingsverklaring",
            name="convenant",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="vernietigingsverklaringen",
                to="convenants.convenant",
            ),
        ),
        migrations.AddField(
            model_name="vernietigingsregel",
            name="verklaring",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="regels",
                to="meldingen.vernietigingsverklaring",
            ),
        ),
        migrations.AddIndex(
            model_name="bewaarblokkade",
            index=models.Index(fields=["bron", "bron_id"], name="blokkade_bron_idx"),
        ),
        migrations.AddConstraint(
            model_name="vernietigingsverklaring",
            constraint=models.UniqueConstraint(fields=("convenant", "datum"), name="verklaring_eenmaal_per_dag"),
        ),
        migrations.AddConstraint(
            model_name="vernietigingsregel",
            constraint=models.UniqueConstraint(
                fields=("verklaring", "dossier", "uitkomst"), name="verklaring_regel_eenmaal"
            ),
        ),
        migrations.RunSQL(REGELS_ALLEEN_TOEVOEGEN, REGELS_ALLEEN_TOEVOEGEN_WEG),
    ]
