"""Bulk writing for whole-district jobs: PostgreSQL ``COPY … FROM STDIN``
(text format) and ``executemany`` on SQLite. Callers pass plain values; no
model instances, no signals, no per-row audit (the job audits itself).

Two shapes: :func:`copy_rows` takes an iterable of row tuples;
:func:`copy_columns` takes one sequence per column and is the fast path for
millions of rows (each column is converted to text in one pass).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import connection

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_BATCH_ROWS = 100_000


def copy_text(value: object) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    return str(value)


def _sqlite_value(value: object) -> object:
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[object]], *, batch: int = _BATCH_ROWS) -> int:
    """Insert ``rows`` (tuples in ``columns`` order); returns the count.

    Runs in the caller's transaction (wrap in ``transaction.atomic`` for
    all-or-nothing)."""
    written = 0
    column_list = ", ".join(columns)
    if connection.vendor == "postgresql":
        # psycopg adapts each value in C (dates, decimals, None) — faster than Python text
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
        return written
    sql = f"INSERT INTO {table} ({column_list}) VALUES ({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        chunk: list[Sequence[object]] = []
        for row in rows:
            chunk.append([_sqlite_value(v) for v in row])
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                written += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            written += len(chunk)
    return written


_SPECIALS = ("\\", "\t", "\n", "\r")


def _column_text(values: Sequence[object]) -> list[str]:
    """One column as COPY text, with a fast path for uniform ints, bools and
    plain strings (the common case for millions of rows)."""
    kinds = set(map(type, values))  # one pass in C
    if kinds == {bool}:
        return ["t" if v else "f" for v in values]
    if kinds == {int}:
        return list(map(str, values))
    if kinds == {str}:
        joined = "".join(values)  # type: ignore[arg-type]
        if not any(special in joined for special in _SPECIALS):
            return list(values)  # type: ignore[arg-type]
    return [copy_text(v) for v in values]


def copy_columns(table: str, columns: Sequence[str], data: Sequence[Sequence[object]]) -> int:
    """Insert rows given column-wise: ``data[j][i]`` is row *i* of column *j*.

    Each column is converted to text in one pass (uniform ints, bools and
    plain strings take a fast path), then rows are joined. Runs in the
    caller's transaction."""
    if not data or not len(data[0]):
        return 0
    rows = len(data[0])
    if any(len(column) != rows for column in data):
        raise ValueError("columns differ in length")
    if connection.vendor != "postgresql":
        return copy_rows(table, columns, zip(*data, strict=True))
    column_list = ", ".join(columns)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
        for start in range(0, rows, _BATCH_ROWS):
            parts = [_column_text(column[start : start + _BATCH_ROWS]) for column in data]
            copy.write("\n".join(map("\t".join, zip(*parts, strict=True))) + "\n")
    return rows
