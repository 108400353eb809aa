"""This app's own sections of the elderly-care dashboard (registered in
``apps.ready`` through :func:`~.dashboard.dashboard_section_register`):
facilities by kind per street, and the year's targets per street."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count

from minzheng.care_facilities.dashboard import StreetFigures
from minzheng.care_facilities.models import FacilityKind, FacilityStatus, PlanTarget
from minzheng.care_facilities.progress import FACILITY_MEASURES, targets_progress
from minzheng.care_facilities.selectors import facilities_visible
from minzheng.core.models import User


def facilities_by_kind(user: User, today: dt.date) -> StreetFigures:
    """Operating facilities of each kind, per street."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    rows = (facilities_visible(user).filter(status=FacilityStatus.OPERATING, operating_since__lte=today)
            .order_by().values_list("street_id", "kind").annotate(n=Count("id")))
    for street, kind, n in rows:
        counts[street][kind] = n
    kinds = list(FacilityKind)
    table = {street: [c.get(k.value, 0) for k in kinds] + [sum(c.values())] for street, c in counts.items()}
    totals = [sum(r[i] for r in table.values()) for i in range(len(kinds) + 1)]
    return StreetFigures(title="运营中的养老服务设施（按类型）", columns=[k.label for k in kinds] + ["合计"],
                         rows=table, totals=totals, link="care_facilities:list",
                         note="状态为“运营”且运营日期不晚于今天的设施；未列出的街镇没有运营中的设施。")


def targets_by_street(user: User, today: dt.date) -> StreetFigures:
    """This year's targets (or the latest year with targets) done per street."""
    years = sorted(set(PlanTarget.objects.filter(measure__in=FACILITY_MEASURES).values_list("year", flat=True)))
    year = today.year if today.year in years else (max((y for y in years if y <= today.year), default=None))
    if year is None:
        return StreetFigures(title="年度工作目标完成情况", columns=[], note="尚未录入年度工作目标（无数据）。")
    progress = targets_progress(user, year)
    streets = sorted({s for p in progress for s in p.by_street})
    rows = {s: [p.by_street.get(s, 0) for p in progress] for s in streets}
    return StreetFigures(title=f"{year}年工作目标完成情况（按街镇）",
                         columns=[f"{p.target.get_measure_display()}（目标{p.target.target}）" for p in progress],
                         rows=rows, totals=[p.done for p in progress], link="care_facilities:dashboard",
                         note="按运营日期（或建成、接入、投用日期）在该年度内的设施计算，见ADR 0028。")
