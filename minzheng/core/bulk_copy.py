"""Bulk row writing for whole-district jobs: PostgreSQL ``COPY … FROM STDIN``
(text format) and ``executemany`` on SQLite. Callers pass plain tuples; no
model instances, no signals, no per-row audit (the job audits itself)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: object) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    return str(value)


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[object]], *, batch: int = 50_000) -> int:
    """Insert ``rows`` into ``table``; returns the number of rows written.

    Runs in the caller's transaction (wrap in ``transaction.atomic`` for
    all-or-nothing)."""
    written = 0
    column_list = ", ".join(columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                buffer: list[str] = []
                for row in rows:
                    buffer.append("\t".join(map(_copy_text, row)))
                    if len(buffer) >= batch:
                        copy.write("\n".join(buffer) + "\n")
                        written += len(buffer)
                        buffer.clear()
                if buffer:
                    copy.write("\n".join(buffer) + "\n")
                    written += len(buffer)
        return written
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        chunk: list[Sequence[object]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                written += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            written += len(chunk)
    return written
