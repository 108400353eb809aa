"""Benefit months written ``YYYY-MM`` (the policy engine's month format)."""

from __future__ import annotations

import datetime as dt


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_shift(month: str, n: int) -> str:
    year, mon = (int(x) for x in month.split("-"))
    index = year * 12 + mon - 1 + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive (empty when last < first)."""
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = month_shift(month, 1)
    return months


def month_label(month: str) -> str:
    if not month:
        return "—"
    year, mon = month.split("-")
    return f"{year}年{int(mon)}月"
