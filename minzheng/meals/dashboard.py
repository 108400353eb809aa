"""The meal assistance's section of the elderly-care dashboard (issue 16):
meals and subsidised meals this month by street, at the canteens the user
sees (registered in ``apps.MealsConfig.ready``)."""

from __future__ import annotations

import datetime as dt

from minzheng.care_facilities.dashboard import StreetFigures
from minzheng.core.models import User
from minzheng.core.months import month_label, month_of
from minzheng.meals.selectors import month_by_street


def meals_section(user: User, today: dt.date) -> StreetFigures:
    month = month_of(today)
    figures = month_by_street(user, month)
    rows = {street: [meals, subsidised] for street, (meals, subsidised) in figures.items()}
    totals = [sum(v[0] for v in figures.values()), sum(v[1] for v in figures.values())] if figures else None
    return StreetFigures(title=f"老年人助餐（{month_label(month)}）", columns=["用餐人次", "补贴人次"], rows=rows,
                         totals=totals, link="meals:index",
                         note="按助餐点所在街镇统计；本月尚无记录的街镇不列出（不是0）。")
