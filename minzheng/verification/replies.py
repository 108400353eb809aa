"""Which department replies a verification needs, and which are missing.

A verification may conclude only when every source it reads has **replied**
for every current member (docs/adr/0011-economic-facts.md): a record, a
complete extract covering the period, or an explicit "no record" reply
(``feeds.selectors.reply_coverage``). Silence is not zero.

* Income sources (``INCOME_SOURCES``), per member and per month of the
  12-month window: wages (human resources and tax), pensions, unemployment
  insurance benefit.
* Query sources (``QUERY_SOURCES``: bank deposits, securities), per member:
  a reply dated within the 365 days before the verification date.
* Registers (``REGISTER_SOURCES``: real estate, vehicles, market entities),
  per member: a record, an extract or a "no record" reply of any date up to
  the verification date (a register answers with its standing entries).

Medical out-of-pocket spending is reported where it exists but is not
required: it never makes a household ineligible.

A missing reply can be covered by a documented exception recorded by staff
(``ReplyException``: the reason, e.g. the department confirmed by phone and
the letter follows); the report then states each exception.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from minzheng.feeds.selectors import reply_coverage, source_get
from minzheng.registry.models import Person

INCOME_SOURCES = ("hrss_wages", "tax_income", "hrss_pension", "hrss_unemployment")
QUERY_SOURCES = ("bank_deposits", "securities")
REGISTER_SOURCES = ("real_estate", "vehicles", "market_business")
REQUIRED_SOURCES = INCOME_SOURCES + QUERY_SOURCES + REGISTER_SOURCES
QUERY_LOOKBACK_DAYS = 365


@dataclass(frozen=True)
class MissingReply:
    """One source that has not replied for one member (with the months, for income)."""

    source: str
    person_id: int
    months: tuple[dt.date, ...] = ()

    def as_json(self, names: dict[int, str]) -> dict:
        return {"source": self.source, "source_name": source_get(self.source).name, "person": self.person_id,
                "name": names.get(self.person_id, ""), "months": [m.isoformat() for m in self.months],
                "text": self.text(names)}

    def text(self, names: dict[int, str]) -> str:
        who = names.get(self.person_id, "")
        name = source_get(self.source).name
        if not self.months:
            return f"{who}：{name}尚未回复"
        return f"{who}：{name}缺{_month_ranges(self.months)}的回复"


def _month_ranges(months: Iterable[dt.date]) -> str:
    ordered = sorted(months)
    ranges: list[tuple[dt.date, dt.date]] = []
    for m in ordered:
        if ranges and _next_month(ranges[-1][1]) == m:
            ranges[-1] = (ranges[-1][0], m)
        else:
            ranges.append((m, m))
    def label(day: dt.date) -> str:
        return f"{day.year}年{day.month}月"

    return "、".join(label(a) if a == b else f"{label(a)}至{label(b)}" for a, b in ranges)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def window_months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, m = [], start.replace(day=1)
    while m <= end:
        months.append(m)
        m = _next_month(m)
    return months


def missing_replies(*, members: list[Person], as_of: dt.date, window_start: dt.date, window_end: dt.date,
                    excepted: set[tuple[str, int | None]]) -> list[MissingReply]:
    """Every needed reply that has not arrived, less those covered by an
    exception (``(source, person_id)``, or ``(source, None)`` for every member)."""
    coverage = reply_coverage(
        [p.id_number_index for p in members], sources_in=REQUIRED_SOURCES,
        since=dt.date(1900, 1, 1), until=as_of)
    months = window_months(window_start, window_end)
    query_since = as_of - dt.timedelta(days=QUERY_LOOKBACK_DAYS)
    missing: list[MissingReply] = []
    for person in members:
        def waived(source: str, person_id: int = person.pk) -> bool:
            return (source, person_id) in excepted or (source, None) in excepted

        for source in INCOME_SOURCES:
            gaps = tuple(m for m in months if not coverage.month_replied(source, person.id_number_index, m))
            if gaps and not waived(source):
                missing.append(MissingReply(source, person.pk, gaps))
        for source in QUERY_SOURCES:
            if not coverage.replied_between(source, person.id_number_index, query_since, as_of) and not waived(source):
                missing.append(MissingReply(source, person.pk))
        for source in REGISTER_SOURCES:
            if not coverage.replied_between(source, person.id_number_index, dt.date(1900, 1, 1), as_of) \
                    and not waived(source):
                missing.append(MissingReply(source, person.pk))
    return missing
