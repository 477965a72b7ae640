"""Blind indexes found by value through a hash index (docs/adr/0009-intake-tienduizend-per-seconde.md).

The value is a keyed hash of kind and value together and is only compared for equality; a hash index
enters a 4-byte code per blind index instead of kind and 64 characters at a random place in a B-tree.
"""

import django.contrib.postgres.indexes
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0003_verwijzing_gecontroleerd_bij_verwijderen"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="blindeindex",
            name="blinde_index_zoek_idx",
        ),
        migrations.AddIndex(
            model_name="blindeindex",
            index=django.contrib.postgres.indexes.HashIndex(fields=["waarde"], name="blinde_index_zoek_idx"),
        ),
    ]
