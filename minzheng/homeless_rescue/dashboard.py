"""The 流浪乞讨人员救助 section of the 特殊群体工作台 (``core.street_dashboards``,
board ``special_groups``): per street, this year's rescues (人次), returned home
(情暖归途), still in care and identity pending — the same reads as the figures page."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from minzheng.core.models import User
from minzheng.core.street_dashboards import StreetFigures
from minzheng.homeless_rescue import selectors
from minzheng.homeless_rescue.models import Outcome

COLUMNS = ["本年救助人次", "护送返乡（情暖归途）", "救助中", "身份待查人次"]


def section(user: User, today: dt.date) -> StreetFigures:
    rows = {r["street_id"]: [r["n"], r["home"], r["in_care"], r["pending"]] for r in
            selectors.rescues_visible(user).filter(found_at__year=today.year).values("street_id").order_by()
            .annotate(n=Count("id"), home=Count("id", filter=Q(outcome=Outcome.RETURNED_HOME)),
                      in_care=Count("id", filter=Q(outcome=Outcome.IN_CARE)),
                      pending=Count("id", filter=Q(person__identity="pending")))}
    for street in selectors.streets_visible(user):
        rows.setdefault(street.code, [0, 0, 0, 0])
    totals = [sum(v[i] for v in rows.values()) for i in range(len(COLUMNS))]
    return StreetFigures(title=f"流浪乞讨人员救助（{today.year}年，按发现街镇）", columns=COLUMNS, rows=rows,
                         totals=totals, link="homeless_rescue:figures",
                         note="每次救助计一人次；护送返乡即“情暖归途”。")
