"""The supervision section of the elderly-care dashboard (care_facilities
dashboard registry): per street, the inspections done, the items found
发现问题, and the open and overdue rectification orders (ADR 0030). Scoped
like every read; the figures count what is recorded (a street without
inspections shows 0 inspections, which is a count, not missing data)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q

from minzheng.care_facilities.dashboard import StreetFigures
from minzheng.core.models import User
from minzheng.supervision import selectors
from minzheng.supervision.models import InspectionStatus, ItemOutcome, OrderStatus

COLUMNS = ["已完成检查", "发现问题项", "整改中通知", "逾期通知"]


def dashboard_figures(user: User, today: dt.date) -> StreetFigures:
    rows: dict[str, list] = defaultdict(lambda: [0, 0, 0, 0])
    inspections = (selectors.inspections_visible(user).filter(status=InspectionStatus.DONE)
                   .annotate(issues=Count("records", filter=Q(records__outcome=ItemOutcome.ISSUE))))
    for i in inspections:
        row = rows[i.facility.street_id]
        row[0] += 1
        row[1] += i.issues
    for order in selectors.orders_visible(user).exclude(status=OrderStatus.ACCEPTED):
        row = rows[order.inspection.facility.street_id]
        row[2] += 1
        row[3] += order.is_overdue(today)
    totals = [sum(r[n] for r in rows.values()) for n in range(4)]
    return StreetFigures(title="养老机构双随机检查", columns=COLUMNS, rows=dict(rows), totals=totals,
                         link="supervision:plan_list", note="逾期：超过整改期限仍未验证通过的整改通知")
