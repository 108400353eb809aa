"""认知障碍风险筛查 on the elderly-care dashboard: this year's counts by street (ADR 0034)."""

from __future__ import annotations

import datetime as dt

from minzheng.care_facilities.dashboard import StreetFigures
from minzheng.core.models import User
from minzheng.dementia_care.selectors import counts_by_street, year_figure

COLUMNS = ["本年筛查人次", "筛查人数", "按量表界值阳性", "高风险", "已转介"]


def section(user: User, today: dt.date) -> StreetFigures:
    rows = counts_by_street(user, today.year)
    figure = year_figure(today.year)
    goal = figure.target_screenings if figure else None
    note = (f"{today.year}年目标 {goal} 人（出处：{figure.source}）" if goal is not None
            else f"{today.year}年目标：未录入")
    return StreetFigures(
        title="认知障碍风险筛查", columns=COLUMNS,
        rows={r.street.code: [r.screenings, r.persons, r.positive, r.high, r.referred] for r in rows},
        totals=[sum(r.screenings for r in rows), None, sum(r.positive for r in rows), sum(r.high for r in rows),
                sum(r.referred for r in rows)],
        link="dementia_care:figures", note=note)
