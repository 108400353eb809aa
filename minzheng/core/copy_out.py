"""Bulk reading for whole-district jobs: a query's fixed-width columns
straight into numpy arrays with PostgreSQL ``COPY (query) TO STDOUT (FORMAT
binary)`` — one server-side statement, no Python object per row.

In the binary COPY format every row of a query whose columns are all
fixed-width (``int2``, ``int4``, ``int8``, ``bool``) and never NULL has the
same size, so the whole stream is one numpy structured array (big-endian
fields behind per-field length words). The reader checks every length word;
a NULL (length −1) or an unexpected width is an error, never a silent zero
(callers ``COALESCE`` where NULL has a meaning). PostgreSQL only: SQLite
callers keep their cursor path.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.db import connection

_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
_HEADER = len(_SIGNATURE) + 8  # signature, flags word, header-extension length (0)
_WIDTHS = {"int2": (">i2", 2), "int4": (">i4", 4), "int8": (">i8", 8), "bool": ("?", 1)}
_NATIVE = {"int2": np.int16, "int4": np.int32, "int8": np.int64, "bool": np.bool_}


def copy_out_arrays(query: str, params: Sequence[object], types: Sequence[str]) -> list[np.ndarray]:
    """Run ``query`` (``%s`` parameters, bound client-side) and return one
    native-endian array per column; ``types[j]`` is column *j*'s PostgreSQL
    type, one of int2, int4, int8, bool (cast in SQL to match)."""
    fields: list[tuple[str, str]] = [("count", ">i2")]
    for j, kind in enumerate(types):
        fields += [(f"len{j}", ">i4"), (f"v{j}", _WIDTHS[kind][0])]
    row = np.dtype(fields)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT binary)", list(params) or None) as copy:
            data = b"".join(bytes(block) for block in copy)
    if not data.startswith(_SIGNATURE) or data[-2:] != b"\xff\xff":
        raise RuntimeError("unexpected COPY binary stream")
    body = memoryview(data)[_HEADER:-2]
    if len(body) % row.itemsize:
        raise RuntimeError("COPY rows are not fixed-width (a NULL or a variable-width column)")
    rows = np.frombuffer(body, dtype=row)
    if len(rows) and (rows["count"] != len(types)).any():
        raise RuntimeError("COPY row has an unexpected field count")
    out = []
    for j, kind in enumerate(types):
        if len(rows) and (rows[f"len{j}"] != _WIDTHS[kind][1]).any():
            raise RuntimeError(f"COPY column {j} has a NULL or an unexpected width")
        out.append(rows[f"v{j}"].astype(_NATIVE[kind]))
    return out
