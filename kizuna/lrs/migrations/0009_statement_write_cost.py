"""Fewer index entries and constraint checks per stored statement (issue 15: ingest through the LRS).

Dropped: the key rows' (kind, key, statement) index (a query without a verb now reads the (kind, key, verb,
statement) one verb at a time: statements._page_along); the indexes on `voids` and `refers_to` (no query reads
them: a voiding target is found by its statement id, a StatementRef through `lrs_statement_refs_idx`); the index
of `partner` alone (the `(partner, seq)` index serves every read by partner) and of `credential` (never read by);
the foreign-key constraints of a key row on its statement and of a statement on its credential (each was a lookup
and a row lock per row at commit). The registration index now holds only the statements that have one.
"""

import django.db.models.deletion
from django.db import migrations, models

from kizuna.ops.migration_operations import AddIndexWithoutLock


class Migration(migrations.Migration):
    # The new index is built CONCURRENTLY on PostgreSQL (statements keep arriving meanwhile), which cannot run in a
    # transaction; each step below stands alone.
    atomic = False

    dependencies = [
        ("lrs", "0008_statement_refs_index"),
        ("orgs", "0003_security_policy"),
    ]

    operations = [
        AddIndexWithoutLock(
            model_name="lrsstatement",
            index=models.Index(
                condition=models.Q(("registration__isnull", False)),
                fields=["registration", "seq"],
                name="lrs_statement_registration_idx",
            ),
        ),
        migrations.RemoveIndex(model_name="lrsstatement", name="lrs_lrsstat_registr_fc2014_idx"),
        migrations.RemoveIndex(model_name="lrsstatement", name="lrs_lrsstat_voids_6ea3f5_idx"),
        migrations.RemoveIndex(model_name="lrsstatement", name="lrs_lrsstat_refers__ebf915_idx"),
        migrations.RemoveIndex(model_name="lrsstatementkey", name="lrs_lrsstat_kind_cdb40a_idx"),
        migrations.AlterField(
            model_name="lrsstatement",
            name="credential",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="lrs.lrscredential",
            ),
        ),
        # The partner's own index only: Django would also drop and re-add its constraint, a scan of the table
        # under a lock that stops writes.
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "lrs_lrsstatement_partner_id_03000f4e"',
                    reverse_sql='CREATE INDEX "lrs_lrsstatement_partner_id_03000f4e" ON "lrs_lrsstatement" ("partner_id")',
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="lrsstatement",
                    name="partner",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="orgs.organization",
                    ),
                )
            ],
        ),
        migrations.AlterField(
            model_name="lrsstatementkey",
            name="statement",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="keys",
                to="lrs.lrsstatement",
            ),
        ),
    ]
