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
from dataclasses import dataclass

import numpy as np
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
    if connection.vendor != "postgresql":
        rows = len(data[0])
        if any(len(column) != rows for column in data):
            raise ValueError("columns differ in length")
        return copy_rows(table, columns, zip(*data, strict=True))
    return copy_encoded(table, columns, encode_columns(data))


@dataclass(frozen=True)
class EncodedRows:
    """Rows already in PostgreSQL's COPY text format (:func:`encode_columns`):
    one string per batch of rows, each line ending in a newline."""

    batches: list[str]
    rows: int


def encode_columns(data: Sequence[Sequence[object]]) -> EncodedRows:
    """The COPY text of rows given column-wise — the work :func:`copy_columns`
    does before it writes, so that a caller can do it ahead (in another
    thread, while the database takes the previous rows)."""
    rows = len(data[0]) if data else 0
    if any(len(column) != rows for column in data):
        raise ValueError("columns differ in length")
    batches = []
    for start in range(0, rows, _BATCH_ROWS):
        parts = [_column_text(column[start : start + _BATCH_ROWS]) for column in data]
        batches.append("\n".join(map("\t".join, zip(*parts, strict=True))) + "\n")
    return EncodedRows(batches, rows)


def copy_encoded(table: str, columns: Sequence[str], encoded: EncodedRows) -> int:
    """``COPY … FROM STDIN`` of rows encoded by :func:`encode_columns` (PostgreSQL)."""
    if not encoded.rows:
        return 0
    column_list = ", ".join(columns)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
        for batch in encoded.batches:
            copy.write(batch)
    return encoded.rows


_COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"


def copy_arrays(table: str, columns: Sequence[str], arrays: Sequence[np.ndarray],
                nulls: dict[int, np.ndarray] | None = None, *, freeze: bool = False) -> int:
    """Insert rows given as numpy arrays, one per column: int64 (``bigint``),
    bool, or UTF-8 bytes (``S`` dtype, for ``varchar``/``text``);
    ``nulls[j]`` marks the rows where integer column *j* is NULL.

    On PostgreSQL the rows go as one binary ``COPY … FROM STDIN (FORMAT
    binary)`` built by numpy: rows with the same text lengths and NULLs are
    one fixed-width record type, filled column by column — no Python object
    per row. Row order is not kept (a table has none). ``freeze``: the
    table was created in this transaction, so the rows go in frozen (``COPY
    … FREEZE``: no later pass sets their visibility bits). Elsewhere the
    values go through ``copy_rows``. Runs in the caller's transaction."""
    nulls = nulls or {}
    rows = len(arrays[0]) if arrays else 0
    if not rows:
        return 0
    if any(len(a) != rows for a in arrays):
        raise ValueError("columns differ in length")
    if connection.vendor != "postgresql":
        lists = [[v.decode() for v in a.tolist()] if a.dtype.kind == "S" else a.tolist() for a in arrays]
        for j, mask in nulls.items():
            lists[j] = [None if null else v for v, null in zip(lists[j], mask.tolist(), strict=True)]
        return copy_rows(table, columns, zip(*lists, strict=True))
    # group rows by the lengths of their text values and their NULLs: each group is one record type
    shape_columns = []
    for j, a in enumerate(arrays):
        if a.dtype.kind == "S":
            shape_columns.append(np.char.str_len(a).astype(np.int64))
        elif j in nulls:
            shape_columns.append(nulls[j].astype(np.int64))
    if shape_columns and max(int(c.max()) for c in shape_columns) < 1 << 15 and len(shape_columns) <= 4:
        # one int64 per row (each length or NULL flag in 16 bits): a 1-d unique, no row-wise sort
        packed = np.zeros(rows, dtype=np.int64)
        for k, column in enumerate(shape_columns):
            packed |= column << (16 * k)
        keys, group = np.unique(packed, return_inverse=True)
        shapes = np.stack([(keys >> (16 * k)) & 0xFFFF for k in range(len(shape_columns))], axis=1)
        group = group.reshape(-1)
    elif shape_columns:
        shapes, group = np.unique(np.stack(shape_columns, axis=1), axis=0, return_inverse=True)
        group = group.reshape(-1)
    else:
        shapes, group = np.zeros((1, 0), dtype=np.int64), np.zeros(rows, dtype=np.int64)
    column_list = ", ".join(columns)
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {table} ({column_list}) FROM STDIN (FORMAT binary{', FREEZE' if freeze else ''})") as copy:
        copy.write(_COPY_SIGNATURE)
        for g, shape in enumerate(shapes.tolist()):
            index = np.flatnonzero(group == g)
            fields: list[tuple[str, str]] = [("n", ">i2")]
            fill: list[tuple[str, np.ndarray | None, int]] = []
            k = 0
            for j, a in enumerate(arrays):
                if a.dtype.kind == "S":
                    width = shape[k]
                    k += 1
                    fields += [(f"l{j}", ">i4"), (f"v{j}", f"S{width}")] if width else [(f"l{j}", ">i4")]
                    fill.append((f"{j}", a[index] if width else None, width))
                elif j in nulls:
                    is_null = shape[k]
                    k += 1
                    if is_null:
                        fields.append((f"l{j}", ">i4"))
                        fill.append((f"{j}", None, -1))
                    else:
                        fields += [(f"l{j}", ">i4"), (f"v{j}", ">i8")]
                        fill.append((f"{j}", a[index], 8))
                elif a.dtype == np.bool_:
                    fields += [(f"l{j}", ">i4"), (f"v{j}", "u1")]
                    fill.append((f"{j}", a[index], 1))
                else:
                    fields += [(f"l{j}", ">i4"), (f"v{j}", ">i8")]
                    fill.append((f"{j}", a[index], 8))
            record = np.empty(len(index), dtype=np.dtype(fields))
            record["n"] = len(arrays)
            for name, values, width in fill:
                record[f"l{name}"] = width
                if values is not None:
                    record[f"v{name}"] = values
            copy.write(record.tobytes())
        copy.write(b"\xff\xff")
    return rows
