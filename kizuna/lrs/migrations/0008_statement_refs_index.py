"""An index of the statements with a StatementRef in stored order: a filtered query walks them alone for the
statements that refer to a match (not the whole store)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("lrs", "0007_statement_key_verb")]

    operations = [
        migrations.AddIndex(
            model_name="lrsstatement",
            index=models.Index(
                condition=models.Q(("refers_to__isnull", False)), fields=["seq"], name="lrs_statement_refs_idx"
            ),
        ),
    ]
