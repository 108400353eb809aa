"""Bulk loading: PostgreSQL COPY or SQLite executemany, with our own primary keys.

Ids are assigned by the generator from ``MAX(id) + 1`` so rows of one chunk
can reference each other without a round trip; :meth:`BulkWriter.reset_sequences`
moves PostgreSQL's sequences past them at the end (SQLite's AUTOINCREMENT
follows explicit ids by itself).

On PostgreSQL, :meth:`BulkWriter.loading` takes the tables' foreign keys and
secondary (non-unique) indexes off for the load and puts them back, with the
same names and definitions: a deferred foreign key queues one check per
inserted row (millions at commit) and a dozen indexes are each updated row by
row, where building an index sorts once and validating a foreign key is one
join. Primary keys and unique constraints stay in place throughout.

How they are put back (2026-12-01, issue 12):

- *Standalone* (the load is not inside an enclosing transaction — the
  command, the job, the bench): the rows and the foreign keys, added
  ``NOT VALID``, commit in one transaction, so from the commit on every new
  row is checked. Then :data:`BUILD_SESSIONS` database sessions build the
  indexes side by side (the GIN trigram index cannot use PostgreSQL's
  parallel workers, the B-trees can) and ``VALIDATE CONSTRAINT`` each foreign
  key (one join; it takes a lock that lets the table be read and written
  meanwhile). The definitions are kept in the run's start
  marker (:func:`minzheng.demo.runs.record_start`), so a run interrupted
  after its commit is repaired by :meth:`BulkWriter.restore` before anything
  else the next time — the schema always ends as the migrations made it.
- *Inside an enclosing transaction* (tests, a caller's ``atomic``): other
  sessions cannot see the rows, so everything is rebuilt in this session
  before the transaction ends, as before.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Model

from minzheng.core.bulk_copy import EncodedRows, copy_columns, copy_encoded, encode_columns

BUILD_SESSIONS = 2  # the GIN index in one session while the B-trees build in the other
MAINTENANCE_WORK_MEM = "512MB"  # each index sorted in memory (session setting of the build sessions only)

Schema = dict[str, list[list[str]]]  # {"indexes": [[table, name, definition]], "foreign_keys": [[table, name, definition]]}


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

    def encode(self, data: Sequence[Sequence[object]]) -> EncodedRows | Sequence[Sequence[object]]:
        """What :meth:`write` takes, prepared without the database: COPY text
        on PostgreSQL (may run in another thread), the columns unchanged on SQLite."""
        return encode_columns(data) if self.postgres else data

    def write(self, model: type[Model], columns: Sequence[str],
              data: EncodedRows | Sequence[Sequence[object]]) -> int:
        """Write rows given column-wise (``data[j][i]`` is row *i* of column *j*) or encoded."""
        if isinstance(data, EncodedRows):
            return copy_encoded(self.table(model), columns, data)
        return copy_columns(self.table(model), columns, data)

    def secondary_schema(self, models: Iterable[type[Model]]) -> Schema:
        """The foreign keys and non-unique secondary indexes :meth:`loading`
        takes off (PostgreSQL; empty elsewhere), with their definitions."""
        if not self.postgres:
            return {"indexes": [], "foreign_keys": []}
        tables = [self.table(model) for model in models]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
                "WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[]) ORDER BY 1, 2", [tables])
            foreign_keys = [list(row) for row in cursor.fetchall()]
            cursor.execute(
                "SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i "
                "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT i.indisunique "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid "
                "AND c.conrelid = i.indrelid) ORDER BY 2", [tables])
            indexes = [list(row) for row in cursor.fetchall()]
        return {"indexes": indexes, "foreign_keys": foreign_keys}

    @contextmanager
    def loading(self, schema: Schema) -> Iterator[None]:
        """The load's transaction; on PostgreSQL ``schema``'s foreign keys
        and indexes are dropped first and put back afterwards (module docstring)."""
        if not self.postgres:
            yield
            return
        standalone = not connection.in_atomic_block
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Checks still queued in an enclosing transaction (rows written just before, e.g. the
                # committees) would forbid ALTER TABLE: run them now, then defer again as Django's are.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                for table, name, _ in schema["foreign_keys"]:
                    cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                for _, name, _ in schema["indexes"]:
                    cursor.execute(f"DROP INDEX {name}")
            yield
            with connection.cursor() as cursor:
                if standalone:  # checked from the commit on; validated (one join each) by the build sessions
                    for table, name, definition in schema["foreign_keys"]:
                        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition} NOT VALID')
                else:
                    cursor.execute(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
                    for _, _, definition in schema["indexes"]:
                        cursor.execute(definition)
                    for table, name, definition in schema["foreign_keys"]:
                        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        if standalone:
            self.restore(schema)

    def restore(self, schema: Schema) -> None:
        """Make ``schema`` whole again outside any transaction: build the
        indexes that are missing and validate the foreign keys that are not
        (adding those that are missing), in :data:`BUILD_SESSIONS` sessions
        side by side. Idempotent."""
        if not self.postgres or not (schema["indexes"] or schema["foreign_keys"]):
            return
        if connection.in_atomic_block:
            raise RuntimeError("restoring the demo tables' indexes needs its own sessions, outside a transaction")
        with connection.cursor() as cursor:
            cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'i' AND relname = ANY(%s)",
                           [[name for _, name, _ in schema["indexes"]]])
            present = {name for (name,) in cursor.fetchall()}
            cursor.execute("SELECT conname, convalidated FROM pg_constraint WHERE contype = 'f' AND conname = ANY(%s)",
                           [[name for _, name, _ in schema["foreign_keys"]]])
            validated = dict(cursor.fetchall())
            for table, name, definition in schema["foreign_keys"]:
                if name not in validated:
                    cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition} NOT VALID')
                    validated[name] = False
        # Longest first (the trigram GIN, then the widest tables' indexes), so the sessions end together;
        # a VALIDATE waits for the index builds on its table (lock conflict), so they come after.
        builds = sorted((row for row in schema["indexes"] if row[1] not in present),
                        key=lambda row: (" gin " not in row[2], -_relation_pages(row[0])))
        statements = [definition for _, _, definition in builds]
        statements += [f'ALTER TABLE {table} VALIDATE CONSTRAINT "{name}"'
                       for table, name, _ in schema["foreign_keys"] if not validated[name]]
        run_side_by_side(statements, sessions=BUILD_SESSIONS)

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


def _relation_pages(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_size(%s::regclass) / 8192", [table])
        return int(cursor.fetchone()[0])


def run_side_by_side(statements: list[str], *, sessions: int) -> None:
    """Run ``statements`` (each its own transaction) in ``sessions`` database
    sessions at once, each taking the next statement when it is done, in
    list order. The first error is raised once every session has stopped."""
    pending = list(reversed(statements))
    lock = threading.Lock()
    errors: list[BaseException] = []
    main = connections[DEFAULT_DB_ALIAS]  # the same database (and the test database under tests)

    def session() -> None:
        db = type(main)(main.settings_dict, main.alias)  # a session of its own, autocommit
        try:
            with db.cursor() as cursor:
                cursor.execute(f"SET maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
                while True:
                    with lock:
                        if errors or not pending:
                            return
                        statement = pending.pop()
                    cursor.execute(statement)
        except BaseException as err:  # noqa: BLE001 - handed to the caller's thread
            with lock:
                errors.append(err)
        finally:
            db.close()

    threads = [threading.Thread(target=session, name=f"demo-index-build-{k}") for k in range(max(1, sessions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def ahead(items: Iterator[Any]) -> Iterator[Any]:
    """``items``, with the next one computed in a background thread while the
    caller handles the current one (the draw and the COPY text of chunk
    *k* + 1 while the database takes chunk *k*: the Python work and the
    server's then use two cores). Same items, same order; an error in the
    producer is raised here."""
    done = object()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-draw") as pool:
        future = pool.submit(next, items, done)
        while True:
            item = future.result()
            if item is done:
                return
            future = pool.submit(next, items, done)
            yield item
