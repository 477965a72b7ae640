"""An issued invoice and its lines are immutable in the database itself (docs/adr/0015-facturatie.md).

Row triggers refuse UPDATE and DELETE of an invoice whose status is ``uitgegeven``, and INSERT, UPDATE and
DELETE of a line that belongs (before or after the change) to an issued invoice. Issuing itself is the last
change of the row (``concept`` -> ``uitgegeven``), so the service can still write the number and snapshots in
that one UPDATE. As with the Logboek, only a superuser can step around them.
"""

from django.db import migrations

TRIGGERS = """
CREATE FUNCTION facturatie_factuur_onveranderlijk() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'uitgegeven' THEN
        RAISE EXCEPTION 'Factuur % is uitgegeven: % is niet toegestaan.', OLD.nummer, TG_OP
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Een uitgegeven factuur wordt gecorrigeerd met een creditfactuur.';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER facturatie_factuur_geen_wijziging
    BEFORE UPDATE OR DELETE ON facturatie_factuur
    FOR EACH ROW EXECUTE FUNCTION facturatie_factuur_onveranderlijk();

CREATE FUNCTION facturatie_regel_onveranderlijk() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (TG_OP <> 'INSERT' AND EXISTS (
            SELECT 1 FROM facturatie_factuur f WHERE f.id = OLD.factuur_id AND f.status = 'uitgegeven'))
       OR (TG_OP <> 'DELETE' AND EXISTS (
            SELECT 1 FROM facturatie_factuur f WHERE f.id = NEW.factuur_id AND f.status = 'uitgegeven')) THEN
        RAISE EXCEPTION 'Regel van een uitgegeven factuur: % is niet toegestaan.', TG_OP
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Een uitgegeven factuur wordt gecorrigeerd met een creditfactuur.';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER facturatie_regel_geen_wijziging
    BEFORE INSERT OR UPDATE OR DELETE ON facturatie_factuurregel
    FOR EACH ROW EXECUTE FUNCTION facturatie_regel_onveranderlijk();
"""

TRIGGERS_WEG = """
DROP TRIGGER IF EXISTS facturatie_regel_geen_wijziging ON facturatie_factuurregel;
DROP FUNCTION IF EXISTS facturatie_regel_onveranderlijk();
DROP TRIGGER IF EXISTS facturatie_factuur_geen_wijziging ON facturatie_factuur;
DROP FUNCTION IF EXISTS facturatie_factuur_onveranderlijk();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("facturatie", "0001_facturen_en_regels"),
    ]

    operations = [
        migrations.RunSQL(sql=TRIGGERS, reverse_sql=TRIGGERS_WEG),
    ]
