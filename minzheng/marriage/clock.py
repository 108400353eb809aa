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

from minzheng.core.workdays import is_working_day

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


COOLING_OFF, APPEARANCE, EXPIRED = "cooling_off", "appearance", "expired"
PHASE_LABELS = {COOLING_OFF: "冷静期（可撤回）", APPEARANCE: "待双方到场申领离婚证", EXPIRED: "到场期限已过"}


def phase(*, withdrawal_until: dt.date, appear_until: dt.date, today: dt.date) -> str:
    """Where an open application stands on ``today``."""
    if today <= withdrawal_until:
        return COOLING_OFF
    if today <= appear_until:
        return APPEARANCE
    return EXPIRED


def days_left(until: dt.date, today: dt.date) -> int:
    """Days left including ``until`` itself (0 after it): on the last day, 1."""
    return max((until - today).days + 1, 0)
