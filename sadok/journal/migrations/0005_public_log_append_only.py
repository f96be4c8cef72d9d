"""The public log is append-only (`sadok.journal.log`): on PostgreSQL, triggers
refuse UPDATE and DELETE of its rows — triggers, not permissions, since the
development role is a superuser. TRUNCATE is refused too, except for the test
suite's flush (a session with `sadok.log_flush = on`, set by config/test_settings.py)
and a deliberate repair (`sadok.log_repair = on`, set by `manage.py log_repair`)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION journal_log_refuse() RETURNS trigger AS $$
BEGIN
    IF current_setting('sadok.log_repair', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'TRUNCATE' AND current_setting('sadok.log_flush', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the public log is append-only: % of journal_logentry refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER journal_log_no_change BEFORE UPDATE OR DELETE ON journal_logentry
    FOR EACH ROW EXECUTE FUNCTION journal_log_refuse();
CREATE TRIGGER journal_log_no_truncate BEFORE TRUNCATE ON journal_logentry
    FOR EACH STATEMENT EXECUTE FUNCTION journal_log_refuse();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS journal_log_no_truncate ON journal_logentry;
DROP TRIGGER IF EXISTS journal_log_no_change ON journal_logentry;
DROP FUNCTION IF EXISTS journal_log_refuse();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("journal", "0004_public_log")]
    operations = [migrations.RunPython(forward, backward)]
