"""When a resource is open (docs/adr/0021-booking-core.md, "Calendars").

A day is open when, in this order:

1. it lies in one of the resource's closures → **closed** (the closure's reason);
2. it is one of the resource's special opening days (5月20日, 七夕 …) → **open**,
   even on a weekend or a public holiday;
3. a resource of a kind that works every day (``EVERY_DAY_KINDS``: funeral
   halls, tomb-sweeping areas) → **open**, weekends and holidays included;
4. otherwise it is open when it is a working day of the State Council's
   holiday arrangement (``core.workdays.is_working_day``: Monday to Friday
   that is not a public holiday, plus the make-up working days 调休上班).
   A year missing from the holiday table raises
   :class:`~minzheng.core.workdays.HolidayArrangementMissing` — never a guess.

Which sessions (``SlotTemplate``) apply on an open day: on an ordinary
working day those whose weekdays include the day's; on a make-up working
day or a special opening day every active session (the office works a full
day, whatever the weekday).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from minzheng.bookings.models import (
    EVERY_DAY_KINDS,
    Closure,
    Resource,
    SlotTemplate,
    SpecialOpeningDay,
)
from minzheng.core.workdays import HolidayArrangementMissing, is_working_day

__all__ = ["HolidayArrangementMissing", "OpeningCalendarMissing", "OpeningDay", "opening_days", "opening_day"]


class OpeningCalendarMissing(HolidayArrangementMissing):
    """The holiday arrangement of ``year`` is not recorded: which days are open is unknown."""

    def __init__(self, year: int):
        self.year = year
        ValidationError.__init__(
            self, f"{year}年节假日安排尚未录入，无法确定哪些日期开放，不能生成或预约{year}年的时段。"
                  f"请区民政局在国务院办公厅公布{year}年部分节假日安排后，在“节假日安排”中录入。")


@dataclass(frozen=True)
class OpeningDay:
    day: dt.date
    open: bool
    reason: str  # Chinese: why open or closed
    every_session: bool = False  # make-up working day or special day: all sessions apply

    def templates(self, templates: list[SlotTemplate]) -> list[SlotTemplate]:
        if not self.open:
            return []
        if self.every_session:
            return list(templates)
        return [t for t in templates if self.day.isoweekday() in t.weekday_numbers()]


def opening_days(resource: Resource, date_from: dt.date, date_to: dt.date) -> list[OpeningDay]:
    """Every day from ``date_from`` to ``date_to`` (inclusive), open or closed and why."""
    closures = list(Closure.objects.filter(resource=resource, date_from__lte=date_to, date_to__gte=date_from))
    specials = dict(SpecialOpeningDay.objects.filter(resource=resource, date__range=(date_from, date_to))
                    .values_list("date", "name"))
    # counted, not stepped past ``date_to``: 9999-12-31 has no next day
    every_day = resource.kind in EVERY_DAY_KINDS
    return [_one(date_from + dt.timedelta(days=i), closures, specials, every_day)
            for i in range((date_to - date_from).days + 1)]


def opening_day(resource: Resource, day: dt.date) -> OpeningDay:
    return opening_days(resource, day, day)[0]


def _one(day: dt.date, closures: list[Closure], specials: dict[dt.date, str], every_day: bool) -> OpeningDay:
    for closure in closures:
        if closure.date_from <= day <= closure.date_to:
            return OpeningDay(day, False, f"暂停开放：{closure.reason}")
    if day in specials:
        return OpeningDay(day, True, f"特别开放日：{specials[day]}", every_session=True)
    if every_day:
        return OpeningDay(day, True, "每日开放")
    try:
        working = is_working_day(day)
    except HolidayArrangementMissing as missing:
        raise OpeningCalendarMissing(missing.year) from None
    if working:
        if day.weekday() >= 5:
            return OpeningDay(day, True, "调休上班日", every_session=True)
        return OpeningDay(day, True, "工作日")
    return OpeningDay(day, False, "周末" if day.weekday() >= 5 else "法定节假日")
