"""Screenings: tool ranges and cited cut-offs, the screener's risk level, counts by street (ADR 0034)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from minzheng.dementia_care import selectors, services
from minzheng.dementia_care.models import ScreeningTool, YearFigure

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 5, 10)


@pytest.fixture
def elders(make_person):
    return {
        "a": make_person(name="筛查甲", birth=dt.date(1950, 1, 1)),
        "b": make_person(name="筛查乙", birth=dt.date(1948, 1, 1), committee="310117001002"),
        "c": make_person(name="筛查丙", birth=dt.date(1951, 1, 1), committee="310117102201"),
    }


def _screen(user, person, tool_code, score, risk="low"):
    return services.screening_record(actor=user, person=person, tool=ScreeningTool.objects.get(code=tool_code),
                                     score=score, screened_on=DAY, screener="社区医生", risk_level=risk, today=DAY)


def test_tools_cut_offs_only_where_cited():
    ad8, mini_cog, mmse = (ScreeningTool.objects.get(code=c) for c in ("ad8", "mini_cog", "mmse"))
    assert (ad8.positive(1), ad8.positive(2)) == (False, True)
    assert (mini_cog.positive(3), mini_cog.positive(2)) == (False, True)
    assert mmse.positive(10) is None and mmse.cutoff is None
    assert "Neurology 2005" in ad8.cutoff_citation


def test_screening_records_and_refusals(users, elders, make_person):
    committee = users["committee"]
    s = _screen(committee, elders["a"], "ad8", 3, "high")
    assert s.positive is True and s.get_risk_level_display() == "高"
    assert _screen(committee, elders["a"], "mmse", 18, "medium").positive is None
    with pytest.raises(ValidationError, match="0至8分"):
        _screen(committee, elders["a"], "ad8", 9)
    with pytest.raises(ValidationError, match="风险等级"):
        _screen(committee, elders["a"], "ad8", 1, "unknown")
    young = make_person(name="年轻人", birth=dt.date(1990, 1, 1))
    with pytest.raises(ValidationError, match="60周岁"):
        _screen(committee, young, "ad8", 1)
    services.referral_record(actor=committee, screening=s, referral_to="区精神卫生中心记忆门诊", referred_on=DAY)
    services.follow_up_record(actor=committee, screening=s, visited_on=DAY, visitor="社工张", note="已就诊")
    assert s.follow_ups.count() == 1


def test_counts_by_street_and_scope(users, elders):
    bureau = users["bureau"]
    _screen(bureau, elders["a"], "ad8", 3, "high")
    _screen(bureau, elders["a"], "mini_cog", 4)
    _screen(bureau, elders["b"], "ad8", 0)
    _screen(bureau, elders["c"], "mini_cog", 1, "medium")
    rows = {r.street.code: r for r in selectors.counts_by_street(bureau, 2026)}
    assert (rows["310117001"].screenings, rows["310117001"].persons, rows["310117001"].positive,
            rows["310117001"].high) == (3, 2, 1, 1)
    assert (rows["310117102"].screenings, rows["310117102"].positive) == (1, 1)
    assert selectors.counts_by_street(bureau, 2025)[0].screenings == 0
    assert [r.street.code for r in selectors.counts_by_street(users["committee"], 2026)] == ["310117001"]
    assert selectors.counts_by_street(users["committee"], 2026)[0].screenings == 2  # its committee only
    assert YearFigure.objects.get(year=2023).reported_screenings == 15600
