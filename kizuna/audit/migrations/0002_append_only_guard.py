"""A database-level guard: rows of the audit trail cannot be changed (nor, on PostgreSQL, deleted).

SQLite keeps DELETE open because Django's test flush empties tables with it (PostgreSQL's uses
TRUNCATE, which row triggers do not see). A later migration that rebuilds the table on SQLite drops
the trigger: such a migration must create it again (`test_the_database_refuses_to_change_an_entry` checks).
"""

from django.db import migrations

POSTGRES = (
    """
CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change()
""",
)
POSTGRES_UNDO = (
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_entry_refuse_change()",
)
SQLITE = (
    """
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE ON audit_auditentry
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END
""",
)
SQLITE_UNDO = ("DROP TRIGGER IF EXISTS audit_entry_append_only",)


def guard(apps, schema_editor):
    for sql in {"postgresql": POSTGRES, "sqlite": SQLITE}.get(schema_editor.connection.vendor, ()):
        schema_editor.execute(sql)


def unguard(apps, schema_editor):
    for sql in {"postgresql": POSTGRES_UNDO, "sqlite": SQLITE_UNDO}.get(schema_editor.connection.vendor, ()):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(guard, unguard)]
