"""The care institutions' section of the elderly-care dashboard (ADR 0029):
institutions, beds in service, residents and occupancy by street, computed
for the day (``selectors.by_street``)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from minzheng.care_facilities.dashboard import StreetFigures
from minzheng.care_homes.selectors import by_street
from minzheng.core.models import User


def _rate(residents: int, beds: int) -> Decimal | None:
    if not beds:
        return None
    return (Decimal(residents * 100) / beds).quantize(Decimal("0.1"), ROUND_HALF_UP)


def care_homes_section(user: User, today: dt.date) -> StreetFigures:
    streets = by_street(user, today)
    rows = {code: [v["institutions"], v["beds"], v["residents"], _rate(v["residents"], v["beds"])]
            for code, v in sorted(streets.items())}
    n = sum(v["institutions"] for v in streets.values())
    beds = sum(v["beds"] for v in streets.values())
    residents = sum(v["residents"] for v in streets.values())
    return StreetFigures(title="养老机构", columns=["机构数", "在用床位", "入住老人", "入住率（%）"], rows=rows,
                         totals=[n, beds, residents, _rate(residents, beds)], link="care_homes:oversight",
                         note="入住率 = 当日入住老人 ÷ 在用床位；没有在用床位时无数据。")
