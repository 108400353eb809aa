"""Household aggregation of person columns (exact integer sums, no Python loops).

Sums use a cumulative sum over persons ordered by household and differences at
segment ends (exact in int64, and faster than ``np.add.reduceat`` or a
float-weighted ``np.bincount``).  Unsorted input is permuted once with a
stable argsort; sorted input (the normal case) needs no copy.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from policy.errors import InputError


class HouseholdGrouping:
    """Sums, counts and broadcasts between household and person rows."""

    def __init__(self, household_index: NDArray[np.int64], household_count: int) -> None:
        if len(household_index) and (
            household_index.min() < 0 or household_index.max() >= household_count
        ):
            raise InputError([{"field": "persons.household_index", "message": "家庭索引超出范围"}])
        self.index = household_index
        self.sizes = np.bincount(household_index, minlength=household_count).astype(np.int64)
        if household_count and (self.sizes == 0).any():
            raise InputError([{"field": "households", "message": "存在没有成员的家庭"}])
        ordered = bool((household_index[1:] >= household_index[:-1]).all())
        self._order: NDArray[np.intp] | None = (
            None if ordered else np.argsort(household_index, kind="stable")
        )
        self._last = (np.cumsum(self.sizes) - 1).astype(np.intp)
        self.household_count = household_count

    def _ordered(self, values: NDArray[Any]) -> NDArray[Any]:
        return values if self._order is None else values[self._order]

    def _segment_totals(self, cumulative: NDArray[Any]) -> NDArray[Any]:
        at_end = cumulative[self._last]
        totals = at_end.copy()
        totals[1:] -= at_end[:-1]
        return totals

    def sum(self, values: NDArray[np.int64]) -> NDArray[np.int64]:
        """Σ of an int64 person column per household (exact)."""
        if self.household_count == 0:
            return np.zeros(0, dtype=np.int64)
        return self._segment_totals(np.cumsum(self._ordered(values), dtype=np.int64))

    def count(self, mask: NDArray[np.bool_]) -> NDArray[np.int64]:
        """Number of persons per household where ``mask`` holds."""
        if self.household_count == 0:
            return np.zeros(0, dtype=np.int64)
        return self._segment_totals(np.cumsum(self._ordered(mask), dtype=np.int32)).astype(np.int64)

    def any(self, mask: NDArray[np.bool_]) -> NDArray[np.bool_]:
        """Whether any person of the household satisfies ``mask``."""
        return self.count(mask) > 0

    def to_persons(self, values: NDArray[Any]) -> NDArray[Any]:
        """Broadcast a household column to each member."""
        if self._order is None:
            return np.repeat(values, self.sizes)
        return values[self.index]
