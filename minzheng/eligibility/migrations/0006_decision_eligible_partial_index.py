"""The decision table's (run, program, eligible) index becomes (run, program)
over the eligible rows only (ADR 0019 §7): the readers that go by program
read eligible rows (summary, automatic enrolment, leads), which are ~5% of a
run, so each batch builds an index a twentieth the size. On PostgreSQL the
index is the partitioned table's: dropping and creating it covers every
partition (and the DEFAULT one)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('eligibility', '0005_decision_run_base_partitions'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='decision',
            name='eligibility_run_id_a16a3a_idx',
        ),
        migrations.AddIndex(
            model_name='decision',
            index=models.Index(condition=models.Q(('eligible', True)), fields=['run', 'program'], name='eligibility_run_eligible_idx'),
        ),
    ]
