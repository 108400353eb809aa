"""Where a run's decision rows live (ADR 0019): on PostgreSQL each run has
its own partition of ``eligibility_decision`` (LIST on ``run_id``), dropped
with the run — dropping a partition takes a fraction of the time a DELETE of
a million rows takes and leaves no dead rows behind. Rows of runs stored
before partitioning stay in the DEFAULT partition and are deleted. SQLite
keeps one plain table.

A run's partition is filled before it joins the table (ADR 0019 §7): the
batch creates it as a plain table of the same shape with ``CHECK (run_id =
<run>)`` (``rows_table_create``), copies the rows in with ``COPY … FREEZE``
in the transaction that created it, builds the two indexes once over the
rows (``rows_table_finish`` — one sorted build each instead of millions of
index insertions) and attaches it (``rows_table_attach``: the CHECK proves
the partition constraint, so PostgreSQL validates nothing; the indexes
become the partitions of the table's own). Every step is transactional: a
crash leaves either nothing or a table that is not part of
``eligibility_decision`` (no reader sees it) and that ``run_rows_delete``
drops by name with the failed run.
"""

from __future__ import annotations

from django.db import connection

from minzheng.eligibility.models import Decision

TABLE = Decision._meta.db_table

# The indexes of ``Decision.Meta.indexes`` as the partitioned table has them (migration 0005):
# name suffix → columns and predicate. A partition's own indexes must match them to be attached.
PARTITION_INDEXES = {"household": "(run_id, household_id)", "eligible": "(run_id, program) WHERE eligible"}


def partition_name(run_id: int) -> str:
    return f"{TABLE}_run{int(run_id)}"


def rows_table_create(run_id: int) -> tuple[str, bool]:
    """The table to copy ``run_id``'s rows into, and whether it is new in
    this transaction (``COPY … FREEZE`` allowed). PostgreSQL: the run's
    future partition, a plain table with no index yet; SQLite: the decision
    table itself. Call inside the transaction that copies the rows."""
    if connection.vendor != "postgresql":
        return TABLE, False
    name, run = partition_name(run_id), int(run_id)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS)")
        cursor.execute(f"ALTER TABLE {name} ADD CONSTRAINT {name}_run CHECK (run_id = {run})")
    return name, True


def rows_table_finish(run_id: int) -> None:
    """Build the run's table's indexes over its rows (after the copy), in the
    copying transaction. Nothing on SQLite."""
    if connection.vendor != "postgresql":
        return
    name = partition_name(run_id)
    with connection.cursor() as cursor:
        # this transaction only: sort 3.8 million index entries in memory rather than in temporary files
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for suffix, columns in PARTITION_INDEXES.items():
            cursor.execute(f"CREATE INDEX {name}_{suffix} ON {name} {columns}")


def rows_table_attach(run_id: int) -> None:
    """Make the run's filled table its partition of the decision table (a
    short transaction of its own; the rows are committed already)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {partition_name(run_id)} FOR VALUES IN ({int(run_id)})")


def run_rows_delete(run_id: int) -> None:
    """Delete every row stored under ``run_id``: drop its partition (or its
    table not yet attached), or delete them where there is none (SQLite,
    runs from before partitioning)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)", [partition_name(run_id)])
            if cursor.fetchone()[0] is not None:
                cursor.execute(f"DROP TABLE {partition_name(run_id)}")
                return
    Decision.objects.filter(run_id=run_id).delete()
