"""The 残疾人服务 section of the 特殊群体工作台 (``core.street_dashboards``,
board ``special_groups``): per street, valid certificates, those expiring in
the window, open rentals and applications waiting, working rehabilitation
sites and people served, care beds opened — the overview page's read
(``selectors.overview_by_street``)."""

from __future__ import annotations

import datetime as dt

from minzheng.core.models import User
from minzheng.core.street_dashboards import StreetFigures
from minzheng.disability_services import selectors

FIELDS = (("certificates", "有效残疾人证"), ("expiring", "即将到期"), ("rentals_open", "辅具在租"),
          ("applications_open", "租赁补贴待审核"), ("rehab_working", "运行中的精神康复站点"),
          ("served", "精神康复服务人数"), ("beds_opened", "照护床位已开放"))


def section(user: User, today: dt.date) -> StreetFigures:
    figures = selectors.overview_by_street(user, today)
    rows = {f.street.code: [getattr(f, name) for name, _ in FIELDS] for f in figures}
    totals = [sum(getattr(f, name) for f in figures) for name, _ in FIELDS]
    return StreetFigures(title="残疾人服务", columns=[label for _, label in FIELDS], rows=rows, totals=totals,
                         link="disability_services:overview",
                         note=f"即将到期：{selectors.EXPIRY_WINDOW_DAYS}天内到期且未换证的残疾人证。")
