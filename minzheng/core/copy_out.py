"""Bulk reading for whole-district jobs: a query's fixed-width columns
straight into numpy arrays — one server-side statement, no Python object per
row or value.

The server packs every row into bytes with the types' binary send functions
(``int8send(c0) || int4send(c1) || …``, big-endian, fixed width) and
``string_agg`` joins them into one ``bytea``, fetched in binary (a
server-side-binding cursor: no hex text, no per-row protocol message — a
binary ``COPY … TO STDOUT`` hands the client one message per row, which at
two million rows cost more in the client's Python loop than the query). numpy
views the bytes as one structured array. A NULL makes its row's bytes NULL,
which ``string_agg`` would skip: the reader compares the byte count with
``count(*)`` and refuses (a NULL is an error, never a silent zero — callers
``COALESCE`` where NULL has a meaning). One value holds at most 1 GB, so a
read is limited to ~1 GB of packed rows (20 million rows of six bigints);
larger reads go in parts (one street at a time). PostgreSQL only: SQLite
callers keep their cursor path.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import psycopg
from django.db import connection

_SEND = {"int2": ("int2send", ">i2"), "int4": ("int4send", ">i4"), "int8": ("int8send", ">i8"),
         "bool": ("boolsend", "?")}
_NATIVE = {"int2": np.int16, "int4": np.int32, "int8": np.int64, "bool": np.bool_}


def copy_out_arrays(query: str, params: Sequence[object], types: Sequence[str]) -> list[np.ndarray]:
    """Run ``query`` (``%s`` parameters) and return one native-endian array
    per column; ``types[j]`` is column *j*'s PostgreSQL type, one of int2,
    int4, int8, bool (cast in SQL to match). Rows come in no set order, but
    the columns of a row stay together."""
    names = [f"c{j}" for j in range(len(types))]
    packed = " || ".join(f"{_SEND[kind][0]}(q.{name})" for name, kind in zip(names, types, strict=True))
    sql = f"SELECT string_agg({packed}, ''::bytea), count(*) FROM ({query}) AS q({', '.join(names)})"
    row = np.dtype([(name, _SEND[kind][1]) for name, kind in zip(names, types, strict=True)])
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:  # server-side binding: results in binary
        cursor.execute(sql, list(params) or None, binary=True)
        data, count = cursor.fetchone()
    data = data or b""
    if len(data) != count * row.itemsize:
        raise RuntimeError("a column read as fixed-width is NULL (or not of its declared width)")
    rows = np.frombuffer(data, dtype=row)
    return [rows[name].astype(_NATIVE[kind]) for name, kind in zip(names, types, strict=True)]
