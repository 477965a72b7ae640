"""Blind index → data key: checked by the database when a key is deleted, not per inserted index.

Bulk intake inserts a data key and its blind indexes in one transaction; a foreign-key constraint
checked each inserted index against its key (a lookup and a row lock per index). The reference is now
checked the other way round: a trigger refuses to delete a data key that a row still refers to. The
trigger function is generic (the referring table and column are its arguments), so the meldingen app
uses it for its own references as well.

The blind index ids come from their identity sequence 1,000 at a time per connection: intake draws two
per melding, and a sequence value drawn one by one costs a lock and a page change each. The ids only
identify rows (never ordered on), so gaps and an order that differs between connections do not matter.
See docs/adr/0009-intake-tienduizend-per-seconde.md.
"""

import django.db.models.deletion
from django.db import migrations, models

FUNCTIE = """
CREATE FUNCTION verwijzing_bij_verwijderen() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    in_gebruik boolean;
BEGIN
    -- TG_ARGV[0]: the referring table, TG_ARGV[1]: its column that holds OLD.id.
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I = $1)', TG_ARGV[0], TG_ARGV[1])
        INTO in_gebruik USING OLD.id;
    IF in_gebruik THEN
        RAISE EXCEPTION '% % kan niet worden verwijderd: % verwijst ernaar.', TG_TABLE_NAME, OLD.id, TG_ARGV[0]
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN OLD;
END;
$$;

CREATE TRIGGER privacy_datasleutel_blinde_indexen
    BEFORE DELETE ON privacy_datasleutel
    FOR EACH ROW EXECUTE FUNCTION verwijzing_bij_verwijderen('privacy_blindeindex', 'sleutel_id');

ALTER TABLE privacy_blindeindex ALTER COLUMN id SET CACHE 1000;
"""

FUNCTIE_WEG = """
ALTER TABLE privacy_blindeindex ALTER COLUMN id SET CACHE 1;
DROP TRIGGER IF EXISTS privacy_datasleutel_blinde_indexen ON privacy_datasleutel;
DROP FUNCTION IF EXISTS verwijzing_bij_verwijderen();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0002_blinde_index_zonder_eigen_sleutelindex"),
    ]

    operations = [
        migrations.AlterField(
            model_name="blindeindex",
            name="sleutel",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="blinde_indexen",
                to="privacy.datasleutel",
            ),
        ),
        migrations.RunSQL(sql=FUNCTIE, reverse_sql=FUNCTIE_WEG),
    ]
