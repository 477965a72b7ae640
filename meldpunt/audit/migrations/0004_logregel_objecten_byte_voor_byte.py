"""The log's object type and id are compared byte by byte (the ``C`` collation): they are identifiers, and
every entry adds them to ``logregel_object_idx`` (docs/adr/0009-intake-tienduizend-per-seconde.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_verwijzingen_zonder_databasecontrole"),
    ]

    operations = [
        migrations.AlterField(
            model_name="logregel",
            name="object_id",
            field=models.CharField(blank=True, db_collation="C", max_length=64, verbose_name="objectnummer"),
        ),
        migrations.AlterField(
            model_name="logregel",
            name="object_type",
            field=models.CharField(
                blank=True,
                db_collation="C",
                help_text='Bijvoorbeeld "convenants.convenant".',
                max_length=100,
                verbose_name="soort object",
            ),
        ),
    ]
