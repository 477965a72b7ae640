"""The log's user reference gets no index of its own: no query selects entries by user, and every entry
would add one (docs/adr/0009-intake-tienduizend-per-seconde.md)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_logregel_objecten_byte_voor_byte"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="logregel",
            name="gebruiker",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="gebruiker",
            ),
        ),
    ]
