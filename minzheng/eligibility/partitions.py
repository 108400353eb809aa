"""Where a run's decision rows live (ADR 0019): on PostgreSQL each run has
its own partition of ``eligibility_decision`` (LIST on ``run_id``), created
before its rows are written and dropped with them — dropping a partition
takes a fraction of the time a DELETE of a million rows takes and leaves no
dead rows behind. Rows of runs stored before partitioning stay in the
DEFAULT partition and are deleted. SQLite keeps one plain table.
"""

from __future__ import annotations

from django.db import connection

from minzheng.eligibility.models import Decision

TABLE = Decision._meta.db_table


def partition_name(run_id: int) -> str:
    return f"{TABLE}_run{int(run_id)}"


def partition_create(run_id: int) -> None:
    """The run's own partition (PostgreSQL; nothing on SQLite)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {partition_name(run_id)} PARTITION OF {TABLE} "
                       f"FOR VALUES IN ({int(run_id)})")


def run_rows_delete(run_id: int) -> None:
    """Delete every row stored under ``run_id``: drop its partition, or
    delete them where there is none (SQLite, runs from before partitioning)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)", [partition_name(run_id)])
            if cursor.fetchone()[0] is not None:
                cursor.execute(f"DROP TABLE {partition_name(run_id)}")
                return
    Decision.objects.filter(run_id=run_id).delete()
