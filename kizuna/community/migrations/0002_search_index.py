"""The full-text index of questions: an FTS5 table on SQLite; a generated tsvector column with a GIN index on
PostgreSQL (not a model field: only kizuna.community.search reads it)."""

from django.db import migrations

# A stored generated column: ranking reads the vector instead of recomputing it for every match.
PG_VECTOR = (
    "setweight(to_tsvector('simple', search_title), 'A')"
    " || setweight(to_tsvector('simple', search_body), 'B')"
    " || setweight(to_tsvector('simple', search_answers), 'C')"
)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        # Tokens are made by SudachiPy in Python; unicode61 only splits them on the spaces between them.
        schema_editor.execute(
            "CREATE VIRTUAL TABLE community_search USING fts5(title, body, answers, tokenize = 'unicode61 remove_diacritics 0')"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE community_question ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({PG_VECTOR}) STORED"
        )
        schema_editor.execute("CREATE INDEX community_question_search ON community_question USING gin (search_vector)")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS community_search")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS community_question_search")
        schema_editor.execute("ALTER TABLE community_question DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
