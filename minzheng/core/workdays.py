"""Statutory deadlines in working days (工作日), with Chinese public holidays
and make-up working days (调休上班).

A working day is a Monday-Friday that is not a holiday, or a weekend day that
the State Council declared a make-up working day. The calendar lives in the
database (``HolidayYear`` + ``PublicHoliday``), seeded from the
``chinesecalendar`` package (its data ends with 2026) and extended by bureau
staff with :func:`holiday_year_record` when the next year's arrangement is
published. A date in a year that is not recorded raises
:class:`HolidayArrangementMissing` — never a silent weekends-only count.

Counting convention (as in "自受理之日起10个工作日内"): the start day itself is
not counted; the n-th working day after it is the last day of the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.db import transaction

from minzheng.core.audit import audit_record
from minzheng.core.models import DayKind, HolidayYear, PublicHoliday, User
from minzheng.core.permissions import require

_ONE_DAY = dt.timedelta(days=1)


class HolidayArrangementMissing(ValidationError):
    """The holiday arrangement of ``year`` has not been recorded yet."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"{year}年节假日安排尚未录入，无法按工作日计算期限。"
            f"请区民政局在国务院办公厅公布{year}年部分节假日安排后，在“节假日安排”中录入。"
        )


class _Calendar:
    """The special days of the years touched by one computation (one query pair per year)."""

    def __init__(self) -> None:
        self._years: dict[int, dict[dt.date, str]] = {}

    def kinds(self, year: int) -> dict[dt.date, str]:
        if year not in self._years:
            if not HolidayYear.objects.filter(year=year).exists():
                raise HolidayArrangementMissing(year)
            self._years[year] = dict(PublicHoliday.objects.filter(year_id=year).values_list("date", "kind"))
        return self._years[year]

    def is_working_day(self, day: dt.date) -> bool:
        kind = self.kinds(day.year).get(day)
        if kind == DayKind.WORKDAY:
            return True
        if kind == DayKind.HOLIDAY:
            return False
        return day.weekday() < 5


def known_years() -> list[int]:
    return list(HolidayYear.objects.values_list("year", flat=True))


_held: ContextVar[_Calendar | None] = ContextVar("minzheng_workdays_calendar", default=None)


@contextmanager
def calendar_held() -> Iterator[None]:
    """Within the block, :func:`is_working_day` reads each year's arrangement
    once (a bulk load that evaluates thousands of days, e.g. the demo's
    divorce clocks); outside it, every call reads the database afresh, so a
    holiday year recorded meanwhile is seen."""
    token = _held.set(_held.get() or _Calendar())
    try:
        yield
    finally:
        _held.reset(token)


def is_working_day(day: dt.date) -> bool:
    return (_held.get() or _Calendar()).is_working_day(day)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start`` (``start`` not counted; n = 0 → ``start``)."""
    if n < 0:
        raise ValueError("工作日天数不能为负数")
    calendar = _Calendar()
    day = start
    remaining = n
    while remaining:
        day += _ONE_DAY
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days in (a, b]; negative when ``b`` is before ``a``.

    ``working_days_between(a, add_working_days(a, n)) == n``.
    """
    if b < a:
        return -working_days_between(b, a)
    calendar = _Calendar()
    count = 0
    day = a
    while day < b:
        day += _ONE_DAY
        if calendar.is_working_day(day):
            count += 1
    return count


def _parse_days(days: Iterable[tuple[dt.date, str]], year: int, what: str) -> list[tuple[dt.date, str]]:
    parsed = []
    for day, name in days:
        if day.year != year:
            raise ValidationError(f"{what}日期 {day} 不在 {year} 年")
        if not name.strip():
            raise ValidationError(f"{what}日期 {day} 缺少节日名称")
        parsed.append((day, name.strip()))
    return parsed


@transaction.atomic
def holiday_year_record(
    *, actor: User, year: int, source: str, holidays: Iterable[tuple[dt.date, str]],
    workdays: Iterable[tuple[dt.date, str]], replace: bool = False,
) -> HolidayYear:
    """Record one year's arrangement as published by the State Council General Office
    (国务院办公厅关于××年部分节假日安排的通知): every holiday day (weekend days of a
    holiday period included) and every make-up working day. Bureau staff only.
    A recorded year is only replaced with ``replace=True`` (a correction, audited)."""
    require(actor, "core.holidays_manage")
    holiday_days = _parse_days(holidays, year, "放假")
    workday_days = _parse_days(workdays, year, "调休上班")
    if not holiday_days:
        raise ValidationError(f"{year}年的放假日期不能为空")
    if not source.strip():
        raise ValidationError("请填写依据（通知文号）")
    overlap = {d for d, _ in holiday_days} & {d for d, _ in workday_days}
    if overlap:
        raise ValidationError(f"同一天不能既放假又上班：{'、'.join(str(d) for d in sorted(overlap))}")
    for day, _ in workday_days:
        if day.weekday() < 5:
            raise ValidationError(f"调休上班日 {day} 不是周末，无需录入")
    existing = HolidayYear.objects.filter(year=year).first()
    if existing is not None:
        if not replace:
            raise ValidationError(f"{year}年节假日安排已录入；如需更正，请选择“更正已录入的安排”")
        PublicHoliday.objects.filter(year=existing).delete()
        existing.delete()
    record = HolidayYear.objects.create(year=year, source=source.strip(), recorded_by=actor.username)
    PublicHoliday.objects.bulk_create(
        [PublicHoliday(date=d, kind=DayKind.HOLIDAY, name=n, year=record) for d, n in holiday_days]
        + [PublicHoliday(date=d, kind=DayKind.WORKDAY, name=n, year=record) for d, n in workday_days]
    )
    audit_record(actor=actor, action="holiday_year.record", object_type="HolidayYear", object_id=year,
                 changes={"source": record.source, "holidays": len(holiday_days), "workdays": len(workday_days),
                          "replaced": existing is not None})
    return record
