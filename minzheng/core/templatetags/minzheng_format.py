"""Formatting Chinese users expect: amounts in yuan from fen, dates as 2024年8月1日."""

from __future__ import annotations

import datetime as dt

from django import template

from policy.money import format_fen

register = template.Library()


@register.filter
def yuan(fen: int | None) -> str:
    """12345678 → ``123,456.78 元``."""
    if fen is None:
        return "—"
    return format_fen(int(fen), grouping=True, unit=" 元")


@register.filter
def cn_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value)
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def age_on(birth: dt.date, day: dt.date | None = None) -> int:
    day = day or dt.date.today()
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@register.filter
def staff(username: str | None) -> str:
    """An actor's account name → the staff member's name and post (``core.selectors.staff_signature``)."""
    from minzheng.core.selectors import staff_signature

    return staff_signature(username) if username else "—"


@register.filter
def days_until(day: dt.date | dt.datetime | None) -> int | None:
    """Calendar days from today (Beijing time) to ``day``; negative when it has passed."""
    if day is None:
        return None
    from django.utils import timezone

    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date()
    return (day - timezone.localdate()).days


@register.filter
def absolute(value: int | None) -> int | None:
    return None if value is None else abs(value)
