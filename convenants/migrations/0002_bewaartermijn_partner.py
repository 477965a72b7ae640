"""The Partner's bewaartermijn (its own submission and the feedback), default 12 months after closure."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("convenants", "0001_convenanten_en_parameters"),
    ]

    operations = [
        migrations.AddField(
            model_name="convenantparameters",
            name="bewaartermijn_partner_maanden",
            field=models.PositiveSmallIntegerField(
                default=12, verbose_name="bewaartermijn partner na afsluiting (maanden)"
            ),
        ),
    ]
