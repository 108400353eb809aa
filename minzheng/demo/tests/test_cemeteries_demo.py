"""The demo's cemeteries (minzheng.demo.cemeteries): loaded through the services,
once; last year's inspections show every outcome and one overdue rectification."""

from __future__ import annotations

import datetime as dt

from minzheng.cemeteries.models import Cemetery, CemeteryStatus
from minzheng.cemeteries.selectors import over_cap_report, rectifications_overdue
from minzheng.cemeteries.yearly_report import yearly_report
from minzheng.demo.cemeteries import cemeteries_seed

TODAY = dt.date(2026, 12, 1)


def test_demo_cemeteries_once_with_every_outcome(users):
    bureau = users["bureau"]
    assert "12 个" in cemeteries_seed(bureau=bureau, today=TODAY)
    assert cemeteries_seed(bureau=bureau, today=TODAY) == "演示公墓和骨灰堂已存在，跳过"
    assert Cemetery.objects.filter(status=CemeteryStatus.PLANNED).count() == 4
    outcomes = {r.cemetery.name: r.outcome_text for r in yearly_report(bureau, 2025, TODAY).rows}
    assert outcomes["小昆山演示公墓"] == "不合格"
    assert outcomes["车墩演示纪念园"] == "合格"
    assert outcomes["佘山演示陵园"] == "限期整改"
    assert outcomes["九亭镇公益性骨灰堂（选址中）"] == "不参加年检（规划中）"
    assert [r.inspection.cemetery.name for r in rectifications_overdue(bureau, TODAY)] == ["小昆山演示公墓"]
    assert [(o.cemetery.name, o.plot_kind) for o in over_cap_report(bureau, TODAY)] == [("佘山演示陵园", "traditional")]
