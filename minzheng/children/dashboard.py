"""The 困境儿童 section of the 特殊群体工作台 (``core.street_dashboards``, board
``special_groups``): per street, the children in the seed's groups on the day
(a child in several groups counts once), the allowance's active enrolments and
this year's paid person-times — the same read as the overview page
(``selectors.figures_by_street``)."""

from __future__ import annotations

import datetime as dt

from minzheng.children import selectors
from minzheng.core.models import User
from minzheng.core.street_dashboards import StreetFigures
from policy.money import format_fen


def section(user: User, today: dt.date) -> StreetFigures:
    figures = selectors.figures_by_street(user, year=today.year, day=today)
    columns = ["困境儿童", *(g.label for g in selectors.GROUPS), "享受基本生活费", "本年发放人次", "本年发放金额（元）"]
    rows = {f.street.code: [f.total, *(f.by_group[g.value] for g in selectors.GROUPS), f.allowance_children,
                            f.paid_lines, format_fen(f.paid_fen)] for f in figures}
    totals = [sum(f.total for f in figures), *(sum(f.by_group[g.value] for f in figures) for g in selectors.GROUPS),
              sum(f.allowance_children for f in figures), sum(f.paid_lines for f in figures),
              format_fen(sum(f.paid_fen for f in figures))]
    return StreetFigures(title=f"困境儿童（截至{today:%Y-%m-%d}）", columns=columns, rows=rows, totals=totals,
                         link="children:overview", note="一名儿童属于多类的，在合计中只计一次；留守儿童不计入困境儿童。")
