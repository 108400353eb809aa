"""探访关爱 on the elderly-care dashboard: the list and its coverage by street (ADR 0034)."""

from __future__ import annotations

import datetime as dt

from minzheng.care_facilities.dashboard import StreetFigures
from minzheng.core.models import User
from minzheng.hardship_visits.selectors import coverage_by_street

COLUMNS = ["探访对象", "已指派探访人员", "逾期未探访", "近30天已探访", "按期探访率（%）"]


def section(user: User, today: dt.date) -> StreetFigures:
    rows = coverage_by_street(user, today)
    total = sum(r.targets for r in rows)
    overdue = sum(r.overdue for r in rows)
    return StreetFigures(
        title="特殊困难老年人探访关爱", columns=COLUMNS,
        rows={r.street.code: [r.targets, r.assigned, r.overdue, r.visited_30d, r.coverage] for r in rows},
        totals=[total, sum(r.assigned for r in rows), overdue, sum(r.visited_30d for r in rows),
                None if not total else round(100 * (total - overdue) / total, 1)],
        link="hardship_visits:coverage",
        note="名单由人口库和保障对象按探访对象类别生成；2023年工作总结：为全区约7000名特殊困难老年人提供探访关爱服务。")
