"""On PostgreSQL: records_statement becomes a table partitioned by month of `stored` (SQLite keeps the plain one).

The rows are copied in this migration's one transaction: a process killed half way leaves the plain table as
it was, and a second run on a table already partitioned does nothing. That copy holds an exclusive lock on the
statements for its whole length (87 s for 300,000 statements on the bench machine at load average 20); a deployment
with a big table does it without downtime instead, as docs/statements-at-scale.md says.
"""

from datetime import date

from django.db import migrations, models

PLAIN = "records_statement_plain"


def _fetch(cur, sql, params=()):
    cur.execute(sql, params)
    return cur.fetchall()


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from kizuna.records import partitions

    with schema_editor.connection.cursor() as cur:
        if _fetch(cur, "SELECT relkind FROM pg_class WHERE oid = 'records_statement'::regclass")[0][0] == "p":
            return  # partitioned already: nothing to do
        cur.execute("LOCK TABLE records_statement IN ACCESS EXCLUSIVE MODE")
        indexes = _fetch(
            cur,
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = 'records_statement' AND indexname NOT IN ('records_statement_pkey', "
            "'records_statement_id_key')",
        )
        foreign_keys = _fetch(
            cur,
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'records_statement'::regclass AND contype = 'f'",
        )
        sequence = _fetch(cur, "SELECT pg_get_serial_sequence('records_statement', 'seq')")[0][0]
        next_seq = _fetch(cur, f"SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM {sequence}")
        first = _fetch(cur, "SELECT min(stored) FROM records_statement")[0][0]
        cur.execute(f"ALTER TABLE records_statement RENAME TO {PLAIN}")
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        for name, _definition in foreign_keys:
            cur.execute(f'ALTER TABLE {PLAIN} DROP CONSTRAINT "{name}"')
        cur.execute(f"ALTER TABLE {PLAIN} RENAME CONSTRAINT records_statement_pkey TO {PLAIN}_pkey")
        cur.execute(f"ALTER TABLE {PLAIN} DROP CONSTRAINT records_statement_id_key")
        cur.execute(f"ALTER TABLE {PLAIN} ALTER seq DROP IDENTITY")
        # PostgreSQL 15 has no identity column on a partitioned table: a sequence owned by the column instead.
        cur.execute(
            f"CREATE TABLE records_statement (LIKE {PLAIN} INCLUDING DEFAULTS INCLUDING STORAGE) "
            "PARTITION BY RANGE (stored)"
        )
        cur.execute("CREATE SEQUENCE records_statement_seq_seq OWNED BY records_statement.seq")
        cur.execute("SELECT setval('records_statement_seq_seq', %s, false)", [next_seq[0][0] or 1])
        cur.execute("ALTER TABLE records_statement ALTER seq SET DEFAULT nextval('records_statement_seq_seq')")
        cur.execute("CREATE TABLE records_statement_default PARTITION OF records_statement DEFAULT")
        since = first.date().replace(day=1) if first else date.today().replace(day=1)
        partitions.partitions_ensure(since=since)
        cur.execute(f"INSERT INTO records_statement SELECT * FROM {PLAIN}")
        cur.execute(f"INSERT INTO records_statementkey (id, seq, stored) SELECT id, seq, stored FROM {PLAIN}")
        cur.execute(f"DROP TABLE {PLAIN}")
        # The primary key must hold the partition key; seq alone is unique by its sequence.
        cur.execute("ALTER TABLE records_statement ADD CONSTRAINT records_statement_pkey PRIMARY KEY (seq, stored)")
        cur.execute("CREATE INDEX records_statement_id_idx ON records_statement (id)")
        for _name, definition in indexes:
            cur.execute(definition.replace(f" ON {PLAIN} ", " ON records_statement ").replace(
                f" ON public.{PLAIN} ", " ON records_statement "
            ))
        for name, definition in foreign_keys:
            cur.execute(f'ALTER TABLE records_statement ADD CONSTRAINT "{name}" {definition}')
        # An id is stored once across every partition: its key first, the statement skipped when the key exists.
        cur.execute(
            """
            CREATE FUNCTION records_statement_key_once() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO records_statementkey (id, seq, stored) VALUES (NEW.id, NEW.seq, NEW.stored)
                ON CONFLICT (id) DO NOTHING;
                IF NOT FOUND THEN
                    RETURN NULL;
                END IF;
                RETURN NEW;
            END
            $$
            """
        )
        cur.execute(
            "CREATE TRIGGER records_statement_key_once BEFORE INSERT ON records_statement "
            "FOR EACH ROW EXECUTE FUNCTION records_statement_key_once()"
        )
        cur.execute("ANALYZE records_statement")


class Migration(migrations.Migration):

    dependencies = [
        ('records', '0004_pending_statement'),
    ]

    operations = [
        migrations.CreateModel(
            name='StatementKey',
            fields=[
                ('id', models.UUIDField(primary_key=True, serialize=False)),
                ('seq', models.BigIntegerField()),
                ('stored', models.DateTimeField()),
            ],
        ),
        # Backwards: the partitioned table stays (the same columns; Django reads it as before).
        migrations.RunPython(partition, migrations.RunPython.noop),
    ]
