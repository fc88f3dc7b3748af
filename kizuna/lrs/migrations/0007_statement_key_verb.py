"""The statement's verb in its filter keys, so a query by agent or activity and verb is one index range."""

from typing import Any

from django.db import migrations, models


def fill_verbs(apps: Any, schema_editor: Any) -> None:
    keys = apps.get_model("lrs", "LrsStatementKey")._meta.db_table
    statements = apps.get_model("lrs", "LrsStatement")._meta.db_table
    if schema_editor.connection.vendor == "postgresql":
        sql = f"UPDATE {keys} AS k SET verb = s.verb FROM {statements} AS s WHERE s.seq = k.statement_id"  # noqa: S608
    else:
        sql = f"UPDATE {keys} SET verb = (SELECT verb FROM {statements} WHERE seq = statement_id)"  # noqa: S608
    schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("lrs", "0006_forwarding")]

    operations = [
        migrations.AddField(
            model_name="lrsstatementkey",
            name="verb",
            field=models.CharField(default="", max_length=1000),
        ),
        migrations.RunPython(fill_verbs, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="lrsstatementkey",
            index=models.Index(fields=["kind", "key", "verb", "statement"], name="lrs_key_kind_key_verb_idx"),
        ),
    ]
