"""Bulk loading: PostgreSQL COPY or SQLite executemany, with our own primary keys.

Ids are assigned by the generator from ``MAX(id) + 1`` so rows of one chunk
can reference each other without a round trip; :meth:`BulkWriter.reset_sequences`
moves PostgreSQL's sequences past them at the end (SQLite's AUTOINCREMENT
follows explicit ids by itself).

On PostgreSQL, :meth:`BulkWriter.loading` takes the tables' foreign keys and
secondary (non-unique) indexes off for the load and puts them back, with the
same names and definitions, before the transaction commits: a deferred
foreign key queues one check per inserted row (millions at commit) and a
dozen indexes are each updated row by row, where rebuilding an index sorts
once and re-adding a foreign key validates the table in one join. Primary
keys and unique constraints stay in place throughout, and the schema at
commit is the one the migrations made.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Model

from minzheng.core.bulk_copy import copy_columns


class BulkWriter:
    """Writes rows (tuples in ``columns`` order) to one model's table."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self.vendor = connection.vendor
        self.postgres = self.vendor == "postgresql"

    @staticmethod
    def table(model: type[Model]) -> str:
        return model._meta.db_table

    def next_id(self, model: type[Model]) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.table(model)}")
            return int(cursor.fetchone()[0]) + 1

    def datetime(self, value) -> str:
        """A timestamp as text: ISO 8601 with offset for COPY, Django's form for SQLite."""
        return value.isoformat() if self.postgres else connection.ops.adapt_datetimefield_value(value)

    def write(self, model: type[Model], columns: Sequence[str], data: Sequence[Sequence[object]]) -> int:
        """Write rows given column-wise (``data[j][i]`` is row *i* of column *j*)."""
        return copy_columns(self.table(model), columns, data)

    @contextmanager
    def loading(self, models: Iterable[type[Model]]) -> Iterator[None]:
        """One transaction for the whole load; on PostgreSQL the tables'
        foreign keys and non-unique secondary indexes are dropped first and
        re-created (same names, same definitions) at the end."""
        if not self.postgres:
            yield
            return
        tables = [self.table(model) for model in models]
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
                    "WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[]) ORDER BY 1, 2", [tables])
                foreign_keys = cursor.fetchall()
                cursor.execute(
                    "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                    "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT i.indisunique "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid "
                    "AND c.conrelid = i.indrelid) ORDER BY 1", [tables])
                indexes = cursor.fetchall()
                # Checks still queued in an enclosing transaction (rows written just before, e.g. the
                # committees) would forbid ALTER TABLE: run them now, then defer again as Django's are.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                for table, name, _ in foreign_keys:
                    cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                for name, _ in indexes:
                    cursor.execute(f"DROP INDEX {name}")
            yield
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # each index sorted in memory
                for _, definition in indexes:
                    cursor.execute(definition)
                for table, name, definition in foreign_keys:
                    cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')

    def reset_sequences(self, models: Iterable[type[Model]]) -> None:
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for model in models:
                table = self.table(model)
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), 1))"
                )

    def analyze(self, models: Iterable[type[Model]]) -> None:
        """Refresh the planner's statistics after a bulk load (PostgreSQL)."""
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {self.table(model)}")

    def delete_range(self, model: type[Model], column: str, low: int, high: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table(model)} WHERE {column} BETWEEN %s AND %s", [low, high])
            return cursor.rowcount
