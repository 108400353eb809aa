"""Counting daytime hours (ADR 0033, the no-water rule).

Only the daytime part of a quiet spell counts: with daytime 06:00–22:00 (the
rule's ``day_start``/``day_end``, data) a spell from 18:00 to 10:00 the next
morning counts 4 h (18–22) + 4 h (06–10) = 8 h; the night adds nothing.

The count is a difference of one monotone function: ``D(t)`` = the daytime
seconds from a fixed origin (1970-01-01 local) up to the local time ``t`` =
``days × L + clamp(seconds_of_day − start, 0, L)`` with ``L = end − start``.
The daytime between two moments is ``D(t1) − D(t0)``; the same formula runs
in SQL (PostgreSQL, :mod:`minzheng.elder_alerts.scan`) and here (SQLite, tests,
the moment an alert is due). Local time is the settings' zone (Asia/Shanghai).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

DAY = 86_400
_ORIGIN = dt.datetime(1970, 1, 1)


def _seconds(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


@dataclass(frozen=True)
class Daytime:
    start: int  # seconds after local midnight
    end: int

    @classmethod
    def of(cls, start: dt.time, end: dt.time) -> Daytime:
        if not start < end:
            raise ValueError("白天开始时间应早于结束时间")
        return cls(_seconds(start), _seconds(end))

    @property
    def length(self) -> int:
        return self.end - self.start

    def counter(self, at: dt.datetime) -> int:
        """``D(at)``: daytime seconds from the origin to ``at`` (aware)."""
        local = timezone.localtime(at).replace(tzinfo=None)
        secs = int((local - _ORIGIN).total_seconds())
        days, sod = divmod(secs, DAY)
        return days * self.length + min(max(sod - self.start, 0), self.length)

    def between(self, t0: dt.datetime, t1: dt.datetime) -> int:
        """Daytime seconds in [t0, t1]."""
        return self.counter(t1) - self.counter(t0)

    def moment(self, counter: int) -> dt.datetime:
        """The earliest (aware) moment whose ``D`` equals ``counter``: when the
        count is reached. A count reached exactly at a day's end is that day's
        end (22:00), not the next morning."""
        days, rest = divmod(counter, self.length)
        if rest == 0 and days > 0:
            days, rest = days - 1, self.length
        local = _ORIGIN + dt.timedelta(days=days, seconds=self.start + rest)
        return timezone.make_aware(local)
