"""The log is append-only in the database itself: UPDATE, DELETE and TRUNCATE of audit_logregel raise.

A row trigger refuses UPDATE and DELETE, a statement trigger refuses TRUNCATE. Only a superuser can
step around them (``ALTER TABLE ... DISABLE TRIGGER USER`` as the table owner, or ``SET
session_replication_role = replica``); ``manage.py logboek_controleren`` finds what such a session
changed. See docs/adr/0006-logboek.md.
"""

from django.db import migrations

TRIGGERS = """
CREATE FUNCTION audit_logregel_alleen_toevoegen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Het logboek is alleen-toevoegen: % op % is niet toegestaan.', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Logregels worden nooit gewijzigd of verwijderd (docs/adr/0006-logboek.md).';
END;
$$;

CREATE TRIGGER audit_logregel_geen_wijziging
    BEFORE UPDATE OR DELETE ON audit_logregel
    FOR EACH ROW EXECUTE FUNCTION audit_logregel_alleen_toevoegen();

CREATE TRIGGER audit_logregel_geen_truncate
    BEFORE TRUNCATE ON audit_logregel
    FOR EACH STATEMENT EXECUTE FUNCTION audit_logregel_alleen_toevoegen();
"""

TRIGGERS_WEG = """
DROP TRIGGER IF EXISTS audit_logregel_geen_truncate ON audit_logregel;
DROP TRIGGER IF EXISTS audit_logregel_geen_wijziging ON audit_logregel;
DROP FUNCTION IF EXISTS audit_logregel_alleen_toevoegen();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_logregels"),
    ]

    operations = [
        migrations.RunSQL(sql=TRIGGERS, reverse_sql=TRIGGERS_WEG),
    ]
