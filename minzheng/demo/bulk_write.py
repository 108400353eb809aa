"""Bulk loading: PostgreSQL COPY or SQLite executemany, with our own primary keys.

Ids are assigned by the generator from ``MAX(id) + 1`` so rows of one chunk
can reference each other without a round trip; :meth:`BulkWriter.reset_sequences`
moves PostgreSQL's sequences past them at the end (SQLite's AUTOINCREMENT
follows explicit ids by itself).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model

from minzheng.core.bulk_copy import copy_rows


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

    def date(self, value):
        """Dates go to COPY as date objects and to SQLite as ISO text."""
        return value if self.postgres or value is None else value.isoformat()

    def datetime(self, value):
        return value if self.postgres else connection.ops.adapt_datetimefield_value(value)

    def write(self, model: type[Model], columns: Sequence[str], rows: Iterable[tuple]) -> int:
        return copy_rows(self.table(model), columns, rows)

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
