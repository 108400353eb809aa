"""Months and ages.

Project conventions: a benefit for month M uses the parameters in force on
the 1st of M; age for month M is the age in completed years on the LAST day of M.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, written ``YYYY-MM``."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: object) -> Month:
        """Parse ``YYYY-MM``; raise ``ValueError`` for anything else."""
        if not isinstance(text, str) or not (match := _MONTH.match(text)):
            raise ValueError("月份格式无效，应为 YYYY-MM")
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12 or year < 1900:
            raise ValueError("月份无效")
        return cls(year, month)

    @classmethod
    def of(cls, day: date) -> Month:
        """The month ``day`` falls in."""
        return cls(day.year, day.month)

    def shift(self, months: int) -> Month:
        """The month ``months`` later (earlier when negative)."""
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def ymd_key(day: date) -> int:
    """``YYYYMMDD`` as an integer, the key used for exact age arithmetic."""
    return day.year * 10000 + day.month * 100 + day.day


def birth_ymd_keys(birth_dates: NDArray[np.datetime64]) -> NDArray[np.int32]:
    """Vectorised ``YYYYMMDD`` keys of ``datetime64[D]`` birth dates.

    Birth dates span at most a few tens of thousands of distinct days, so the
    keys are computed once per day of the span and gathered (one pass over the
    column) instead of doing calendar arithmetic per person.
    """
    if len(birth_dates) <= _FEW:  # one household: Python dates cost less than numpy calls
        dates = birth_dates.astype("datetime64[D]").tolist()
        if all(type(d) is date for d in dates):
            return np.array([ymd_key(d) for d in dates], dtype=np.int32)
    days = birth_dates.astype(np.int64)
    if len(days) == 0:
        return np.zeros(0, dtype=np.int32)
    first, last = int(days.min()), int(days.max())
    if last - first > min(_DIRECT_SPAN, len(days)):
        return _civil_keys(days)  # few persons or a huge span: compute directly
    table = _civil_keys(np.arange(first, last + 1, dtype=np.int64))
    return table[days - first]


_DIRECT_SPAN = 400_000
_FEW = 64


def _civil_keys(days: NDArray[np.int64]) -> NDArray[np.int32]:
    """Days since 1970-01-01 → ``YYYYMMDD`` (H. Hinnant's civil-from-days, integer only)."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    keys: NDArray[np.int32] = (year * 10000 + month * 100 + day).astype(np.int32)
    return keys


def ages_on(day: date, birth_keys: NDArray[np.int32]) -> NDArray[np.int32]:
    """Completed years on ``day``: ``(YYYYMMDD(day) − YYYYMMDD(birth)) // 10000``.

    Exact for every calendar case: someone born on 29 February completes a year
    on 1 March in common years.
    """
    return ((ymd_key(day) - birth_keys) // 10000).astype(np.int32)
