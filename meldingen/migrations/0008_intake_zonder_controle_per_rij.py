"""Less work per melding for the database (docs/adr/0009-intake-tienduizend-per-seconde.md).

- Melding → dossier and dossier → data key are checked by the database when the dossier or key is
  deleted (the trigger function of ``privacy.0003``), instead of a foreign-key lookup and row lock per
  inserted melding and dossier.
- A dossier's history holds its status changes from ``nieuw`` on; when it was opened is its
  ``aangemaakt_op`` (the rows "— → nieuw" that intake used to write go).
- A tenancy's closed dossiers get a partial index of their own (entered when a dossier is closed); the
  open one is found through ``een_open_dossier_per_huurrelatie``. A new dossier now adds an entry to
  one index on the tenancy instead of two.
- The dossier number and status are compared byte by byte (the ``C`` collation), like the keyed hashes.
"""

import django.db.models.deletion
from django.db import migrations, models

TRIGGERS = """
CREATE TRIGGER meldingen_dossier_meldingen
    BEFORE DELETE ON meldingen_dossier
    FOR EACH ROW EXECUTE FUNCTION verwijzing_bij_verwijderen('meldingen_melding', 'dossier_id');

CREATE TRIGGER privacy_datasleutel_dossier
    BEFORE DELETE ON privacy_datasleutel
    FOR EACH ROW EXECUTE FUNCTION verwijzing_bij_verwijderen('meldingen_dossier', 'sleutel_id');
"""

TRIGGERS_WEG = """
DROP TRIGGER IF EXISTS privacy_datasleutel_dossier ON privacy_datasleutel;
DROP TRIGGER IF EXISTS meldingen_dossier_meldingen ON meldingen_dossier;
"""

OPENEN_IS_GEEN_STATUSWIJZIGING = "DELETE FROM meldingen_statuswijziging WHERE van = '' AND naar = 'nieuw'"
OPENEN_TERUG = """
INSERT INTO meldingen_statuswijziging (dossier_id, van, naar, door_id, tijdstip, reden)
SELECT id, '', 'nieuw', NULL, aangemaakt_op, NULL FROM meldingen_dossier
"""


class Migration(migrations.Migration):
    dependencies = [
        ("meldingen", "0007_intake_zonder_overbodige_controles"),
        ("privacy", "0003_verwijzing_gecontroleerd_bij_verwijderen"),
    ]

    operations = [
        migrations.AlterField(
            model_name="dossier",
            name="sleutel",
            field=models.OneToOneField(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="dossier",
                to="privacy.datasleutel",
            ),
        ),
        migrations.AlterField(
            model_name="melding",
            name="dossier",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="meldingen",
                to="meldingen.dossier",
            ),
        ),
        migrations.RunSQL(sql=TRIGGERS, reverse_sql=TRIGGERS_WEG),
        migrations.RunSQL(sql=OPENEN_IS_GEEN_STATUSWIJZIGING, reverse_sql=OPENEN_TERUG),
        migrations.RemoveIndex(model_name="dossier", name="dossier_huurrelatie_idx"),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("status", "afgesloten")),
                fields=["convenant", "referentie_index"],
                name="dossier_gesloten_idx",
            ),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="nummer",
            field=models.CharField(
                db_collation="C",
                help_text="Pseudoniem; blijft bestaan na vernietiging.",
                max_length=20,
                verbose_name="dossiernummer",
            ),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="status",
            field=models.CharField(
                choices=[
                    ("nieuw", "Nieuw (in de wachtrij)"),
                    ("geclaimd", "Geclaimd"),
                    ("in_contact", "In contact"),
                    ("afgesloten", "Afgesloten"),
                ],
                db_collation="C",
                default="nieuw",
                max_length=20,
            ),
        ),
    ]
