"""Household aggregation of person columns (exact integer sums, no Python loops).

Sums use a cumulative sum over persons ordered by household and differences at
segment ends (exact in int64, and faster than ``np.add.reduceat`` or a
float-weighted ``np.bincount``).  Unsorted input is permuted once with a
stable argsort; sorted input (the normal case) needs no copy.  One household
(the single-household path) is one reduction per call.  Household →
person broadcasts gather through the person rows' household index
(``values[index]``), ~4× faster than ``np.repeat`` by sizes.  A sparse
mask (most program masks: orphans, severe disability, members of a
program) is counted or tested through the rows where it holds — a gather
of those few rows and a ``bincount`` or scatter — instead of a running count.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from policy.errors import InputError

#: A mask holding for at most one person in this many is counted through the rows
#: where it holds (``np.bincount``), not a running count over every person (the
#: two cost the same near one in two; measured with bench/policy_engine.py).
SPARSE_SHARE = 3


class HouseholdGrouping:
    """Sums, counts and broadcasts between household and person rows."""

    def __init__(self, household_index: NDArray[np.int64], household_count: int) -> None:
        self.household_count = household_count
        #: columns that depend only on the person table (``EvaluationContext.lasting``)
        self.lasting: dict[str, Any] = {}
        self._one = household_count == 1  # the single-household path: one reduction per call
        if self._one and len(household_index):
            self._single(household_index)
            return
        if len(household_index) and (
            household_index.min() < 0 or household_index.max() >= household_count
        ):
            raise InputError([{"field": "persons.household_index", "message": "家庭索引超出范围"}])
        self.index = household_index.astype(np.intp, copy=False)
        self.sizes = np.bincount(household_index, minlength=household_count).astype(np.int64)
        self.sizes.flags.writeable = False  # shared by every evaluation of these tables
        if household_count and (self.sizes == 0).any():
            raise InputError([{"field": "households", "message": "存在没有成员的家庭"}])
        ordered = bool((household_index[1:] >= household_index[:-1]).all())
        self._order: NDArray[np.intp] | None = (
            None if ordered else np.argsort(household_index, kind="stable")
        )
        self._last = (np.cumsum(self.sizes) - 1).astype(np.intp)

    def _single(self, household_index: NDArray[np.int64]) -> None:
        """One household (the single-household path): the same checks and
        fields with a handful of numpy calls instead of the general ones."""
        if household_index.any():  # every row must point at household 0
            raise InputError([{"field": "persons.household_index", "message": "家庭索引超出范围"}])
        size = len(household_index)
        self.index = household_index.astype(np.intp, copy=False)
        self.sizes = np.array([size], dtype=np.int64)
        self.sizes.flags.writeable = False
        self._order = None
        self._last = np.array([size - 1], dtype=np.intp)

    def _ordered(self, values: NDArray[Any]) -> NDArray[Any]:
        return values if self._order is None else values[self._order]

    def _segment_totals(self, cumulative: NDArray[Any]) -> NDArray[Any]:
        at_end = cumulative[self._last]
        totals = at_end.copy()
        totals[1:] -= at_end[:-1]
        return totals

    def sum(self, values: NDArray[np.int64]) -> NDArray[np.int64]:
        """Σ of an int64 person column per household (exact)."""
        if self._one:
            total: NDArray[np.int64] = np.add.reduce(values, dtype=np.int64, keepdims=True)
            return total
        if self.household_count == 0:
            return np.zeros(0, dtype=np.int64)
        return self._segment_totals(np.cumsum(self._ordered(values), dtype=np.int64))

    def _sparse_rows(self, mask: NDArray[np.bool_]) -> NDArray[np.intp] | None:
        """The household of each person where a *sparse* ``mask`` holds (None when
        it is not sparse): counting those (a gather of few rows) is several times
        cheaper than a running count over every person."""
        hits = np.count_nonzero(mask)
        if hits * SPARSE_SHARE > len(mask):
            return None
        return self.index[np.flatnonzero(mask)]

    def count(self, mask: NDArray[np.bool_]) -> NDArray[np.int64]:
        """Number of persons per household where ``mask`` holds."""
        if self._one:
            count: NDArray[np.int64] = np.add.reduce(mask, dtype=np.int64, keepdims=True)
            return count
        if self.household_count == 0:
            return np.zeros(0, dtype=np.int64)
        rows = self._sparse_rows(mask)
        if rows is not None:
            return np.bincount(rows, minlength=self.household_count).astype(np.int64, copy=False)
        return self._segment_totals(np.cumsum(self._ordered(mask), dtype=np.int32)).astype(np.int64)

    def any(self, mask: NDArray[np.bool_]) -> NDArray[np.bool_]:
        """Whether any person of the household satisfies ``mask`` (the running count rises)."""
        if self._one:
            found: NDArray[np.bool_] = np.logical_or.reduce(mask, keepdims=True)
            return found
        if self.household_count == 0:
            return np.empty(0, dtype=np.bool_)
        rows = self._sparse_rows(mask)
        if rows is not None:
            out = np.zeros(self.household_count, dtype=np.bool_)
            out[rows] = True
            return out
        out = np.empty(self.household_count, dtype=np.bool_)
        at_end = np.cumsum(self._ordered(mask), dtype=np.int32)[self._last]
        out[0] = at_end[0] > 0
        np.not_equal(at_end[1:], at_end[:-1], out=out[1:])
        return out

    def to_persons(self, values: NDArray[Any]) -> NDArray[Any]:
        """Broadcast a household column to each member (one gather, sorted or not)."""
        return values[self.index]
