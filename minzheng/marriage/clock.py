"""The divorce cooling-off clock (离婚冷静期), 民法典 art. 1077 with the
counting rules of arts. 201 and 203.

* 民法典 art. 1077: 自婚姻登记机关收到离婚登记申请之日起三十日内，任何一方不愿意
  离婚的，可以向婚姻登记机关撤回离婚登记申请。前款规定期限届满后三十日内，双方应当
  亲自到婚姻登记机关申请发给离婚证；未申请的，视为撤回离婚登记申请。
* art. 201: 按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。
* art. 203: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。

So the withdrawal period is the 30 days from the day after receipt: its last
day is ``received + 30``, moved to the next working day when that is a rest
day (a weekend day that is not a make-up working day, or a public holiday —
``minzheng.core.workdays``; a year without a recorded holiday arrangement
raises ``HolidayArrangementMissing``).

The appearance window is "the following 30 days" after the withdrawal period
**as extended**: the first period ends (届满) on its extended last day — a
party may still withdraw on it — so the second period begins the next day and
the two never overlap (docs/adr/0022-marriage-registration.md). Its last day
is ``withdrawal_until + 30``, itself moved past a rest day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from minzheng.core.workdays import HolidayArrangementMissing, is_working_day

PERIOD_DAYS = 30  # 民法典 art. 1077, both periods
_ONE_DAY = dt.timedelta(days=1)


def last_day(start: dt.date, days: int) -> dt.date:
    """Last day of a period of ``days`` days counted from the day after ``start``
    (art. 201), moved past rest days (art. 203)."""
    day = start + dt.timedelta(days=days)
    while not is_working_day(day):
        day += _ONE_DAY
    return day


@dataclass(frozen=True)
class Clock:
    received: dt.date
    withdrawal_until: dt.date  # last day a party may withdraw
    appear_until: dt.date  # last day both may appear for the certificate

    @property
    def appear_from(self) -> dt.date:
        return self.withdrawal_until + _ONE_DAY

    def as_json(self) -> dict[str, str]:
        return {"received": self.received.isoformat(), "withdrawal_until": self.withdrawal_until.isoformat(),
                "appear_until": self.appear_until.isoformat()}


def divorce_clock(received: dt.date) -> Clock:
    """The two last days for an application the office received on ``received``."""
    withdrawal_until = last_day(received, PERIOD_DAYS)
    return Clock(received, withdrawal_until, last_day(withdrawal_until, PERIOD_DAYS))


@dataclass(frozen=True)
class PartialClock:
    """The clock as far as the recorded holiday arrangements allow: a last day
    in a year not yet recorded is ``None`` and ``missing`` says which year."""

    withdrawal_until: dt.date | None
    appear_until: dt.date | None
    missing: str = ""


def divorce_clock_partial(received: dt.date) -> PartialClock:
    try:
        withdrawal_until = last_day(received, PERIOD_DAYS)
    except HolidayArrangementMissing as err:
        return PartialClock(None, None, err.messages[0])
    try:
        return PartialClock(withdrawal_until, last_day(withdrawal_until, PERIOD_DAYS))
    except HolidayArrangementMissing as err:
        return PartialClock(withdrawal_until, None, err.messages[0])


def surely_within_withdrawal(received: dt.date, day: dt.date) -> bool:
    """``day`` is within the withdrawal period even before its last day is known:
    the period lasts at least 30 days after receipt (art. 203 only extends it)."""
    return day <= received + dt.timedelta(days=PERIOD_DAYS)


COOLING_OFF, APPEARANCE, EXPIRED, PENDING_CALENDAR = (
    "cooling_off", "appearance", "expired", "pending_calendar")
PHASE_LABELS = {COOLING_OFF: "冷静期（可撤回）", APPEARANCE: "待双方到场申领离婚证", EXPIRED: "到场期限已过",
                PENDING_CALENDAR: "期限待定（节假日安排未录入）"}


def phase(*, withdrawal_until: dt.date | None, appear_until: dt.date | None, today: dt.date,
          received: dt.date | None = None) -> str:
    """Where an open application stands on ``today`` (a last day not yet known:
    still cooling off while surely within it, else pending the calendar)."""
    if withdrawal_until is None:
        if received is not None and surely_within_withdrawal(received, today):
            return COOLING_OFF
        return PENDING_CALENDAR
    if today <= withdrawal_until:
        return COOLING_OFF
    if appear_until is None:
        return PENDING_CALENDAR
    if today <= appear_until:
        return APPEARANCE
    return EXPIRED


def days_left(until: dt.date | None, today: dt.date) -> int | None:
    """Days left including ``until`` itself (0 after it): on the last day, 1;
    ``None`` when the last day is not known yet."""
    if until is None:
        return None
    return max((until - today).days + 1, 0)
