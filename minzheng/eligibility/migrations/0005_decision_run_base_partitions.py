"""Differences-only runs and, on PostgreSQL, the decision table partitioned
by run (ADR 0019).

On PostgreSQL the existing table becomes the DEFAULT partition of a new
table partitioned by LIST (run_id) — its rows stay where they are, its
indexes are attached to the new table's — and each later run gets its own
partition (``eligibility.partitions``), dropped with the run. The primary
key of a partitioned table must contain the partition key, so ``id`` stays
unique through its sequence. SQLite keeps a plain table.
"""

import django.db.models.deletion
from django.db import migrations, models

TO_PARTITIONED = """
ALTER TABLE eligibility_decision RENAME TO eligibility_decision_legacy;
ALTER INDEX eligibility_run_id_03b4a1_idx RENAME TO eligibility_decision_legacy_household;
ALTER INDEX eligibility_run_id_a16a3a_idx RENAME TO eligibility_decision_legacy_program;
ALTER TABLE eligibility_decision_legacy ALTER COLUMN id DROP IDENTITY IF EXISTS;
CREATE SEQUENCE eligibility_decision_id_seq;
SELECT setval('eligibility_decision_id_seq', COALESCE((SELECT max(id) FROM eligibility_decision_legacy), 0) + 1, false);
CREATE TABLE eligibility_decision (
    id bigint NOT NULL DEFAULT nextval('eligibility_decision_id_seq'),
    program varchar(64) NOT NULL,
    household_id bigint NOT NULL,
    person_id bigint NULL,
    street_id varchar(9) NOT NULL,
    committee_id varchar(12) NOT NULL,
    eligible boolean NOT NULL,
    amount_fen bigint NOT NULL,
    reason_mask bigint NOT NULL,
    run_id bigint NOT NULL,
    removed boolean NOT NULL DEFAULT false
) PARTITION BY LIST (run_id);
ALTER SEQUENCE eligibility_decision_id_seq OWNED BY eligibility_decision.id;
CREATE INDEX eligibility_run_id_03b4a1_idx ON eligibility_decision (run_id, household_id);
CREATE INDEX eligibility_run_id_a16a3a_idx ON eligibility_decision (run_id, program, eligible);
ALTER TABLE eligibility_decision ATTACH PARTITION eligibility_decision_legacy DEFAULT;
"""


def to_partitioned(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in TO_PARTITIONED.split(";\n"):
            if statement.strip():
                schema_editor.execute(statement)




class Migration(migrations.Migration):

    dependencies = [
        ('eligibility', '0004_decision_run_parameters_in_force'),
    ]

    operations = [
        migrations.AddField(
            model_name='decision',
            name='removed',
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.AddField(
            model_name='decisionrun',
            name='base_run',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='eligibility.decisionrun', verbose_name='差异存储所依据的批次'),
        ),
        migrations.AddField(
            model_name='decisionrun',
            name='rows_present',
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name='decisionrun',
            name='written_rows',
            field=models.PositiveBigIntegerField(default=0, verbose_name='本批次实际写入行数'),
        ),
        migrations.AddField(
            model_name='decisionrun',
            name='written_digest',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
        migrations.AddField(
            model_name='decisionrun',
            name='snapshot_digest',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
        migrations.RunPython(to_partitioned, migrations.RunPython.noop, elidable=False),
    ]
