"""Benefit months written ``YYYY-MM`` (the policy engine's month format).

The one place the apps parse a month typed by a person or given on the
command line (``month_parse``); the arithmetic is ``policy.months.Month``'s.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from policy.months import Month


def month_parse(text: str) -> str:
    """``YYYY-MM`` normalised, or ``ValidationError`` with a Chinese message."""
    try:
        return str(Month.parse(text))
    except ValueError as err:
        raise ValidationError(f"月份“{text}”无效，应为 YYYY-MM") from err


def month_of(day: dt.date) -> str:
    return str(Month.of(day))


def month_shift(month: str, n: int) -> str:
    return str(Month.parse(month).shift(n))


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
