"""Pick, per person, the highest rate among the groups they belong to.

Rates are scalars for the month, so instead of a per-person int64 maximum we
rank the known rates and keep an int8 code of the best group (0 = none);
the amount is then one gather from a tiny table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray


def best_rate_code(
    members: Sequence[NDArray[np.bool_]], rates: Sequence[int], size: int
) -> tuple[NDArray[np.int8], list[int]]:
    """``(code, table)``: ``table[code[i]]`` is person *i*'s highest rate (table[0] = 0)."""
    order = sorted(range(len(rates)), key=lambda i: rates[i])
    code = np.zeros(size, dtype=np.int8)
    table = [0]
    for rank, i in enumerate(order, start=1):
        np.maximum(code, members[i] * np.int8(rank), out=code)
        table.append(rates[i])
    return code, table
