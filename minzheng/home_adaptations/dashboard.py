"""适老化改造 on the elderly-care dashboard: this year's progress by street (ADR 0034)."""

from __future__ import annotations

import datetime as dt

from minzheng.care_facilities.dashboard import StreetFigures
from minzheng.core.models import User
from minzheng.home_adaptations.selectors import progress_by_street, year_target

COLUMNS = ["本年申请", "办理中", "本年完成（已验收）"]


def section(user: User, today: dt.date) -> StreetFigures:
    rows = progress_by_street(user, today.year)
    target = year_target(today.year)
    goal = target.target_households if target else None
    done = sum(r.done for r in rows)
    note = (f"{today.year}年目标 {goal} 户，已完成 {done} 户（出处：{target.source}）" if goal is not None
            else f"{today.year}年目标：未录入")
    return StreetFigures(
        title="居家环境适老化改造", columns=COLUMNS,
        rows={r.street.code: [r.applied, r.in_progress, r.done] for r in rows},
        totals=[sum(r.applied for r in rows), sum(r.in_progress for r in rows), done],
        link="home_adaptations:progress", note=note)
