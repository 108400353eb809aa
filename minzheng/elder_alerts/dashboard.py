"""The 一键通 and home-safety section of the elderly-care dashboard (ADR 0033):
terminals in use, coverage of elders 60+, calls of the last 30 days, p90
response time and open tasks, by street (scoped like every read)."""

from __future__ import annotations

import datetime as dt

from minzheng.care_facilities.dashboard import StreetFigures
from minzheng.core.models import User
from minzheng.elder_alerts.selectors import MIN_FOR_P90, dashboard_figures


def section(user: User, today: dt.date) -> StreetFigures:
    columns, rows, totals = dashboard_figures(user, today)
    return StreetFigures(title="一键通和居家安全提醒", columns=columns, rows=rows, totals=totals,
                         link="elder_alerts:call_figures",
                         note=f"响应时间为呼叫至到场的分钟数；到场少于 {MIN_FOR_P90} 次的街镇不计算P90（显示无数据）。")
