"""A melding's referentie index as a hash index (docs/adr/0009-intake-tienduizend-per-seconde.md).

The value is a keyed hash, only ever compared for equality ("zoek op referentie"); a hash index enters
a 4-byte code per melding instead of the 64 characters at a random place in a B-tree. The partner is
checked on the row itself.
"""

import django.contrib.postgres.indexes
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("meldingen", "0008_intake_zonder_controle_per_rij"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="melding",
            name="melding_referentie_idx",
        ),
        migrations.AddIndex(
            model_name="melding",
            index=django.contrib.postgres.indexes.HashIndex(fields=["referentie_index"], name="melding_referentie_idx"),
        ),
    ]
