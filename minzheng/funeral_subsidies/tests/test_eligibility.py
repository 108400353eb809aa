"""The basic funeral service subsidy's eligibility (pure function): each listed
group qualifies; non-Shanghai hukou is refused; what the platform cannot know
(定期定量, social-insurance funeral pay) leaves the answer open (None), never "no"."""

from __future__ import annotations

import pytest

from minzheng.funeral_subsidies.eligibility import (
    MISSING_DINGQI,
    MISSING_FUNERAL_PAY,
    MISSING_HUKOU,
    REASON_NO_HUKOU,
    REASON_NONE,
    DeathFacts,
    basic_subsidy_eligibility,
)

NONE = frozenset()


def facts(**kw) -> DeathFacts:
    base = {"hukou_shanghai": True, "youfu": False, "enrolments": NONE}
    return DeathFacts(**(base | kw))


@pytest.mark.parametrize(("kw", "reason"), [
    ({"youfu": True}, "优抚对象"),
    ({"enrolments": frozenset({"dibao"})}, "最低生活保障对象"),
    ({"enrolments": frozenset({"extreme_poverty"})}, "特困供养人员"),
    ({"enrolments": frozenset({"expense_poverty"})}, "因病支出型贫困"),
    ({"dingqi_dingliang": True}, "定期定量"),
    ({"funeral_pay": False}, "未享受社会保险丧葬补助金"),
])
def test_each_listed_group_qualifies_with_its_reason(kw, reason):
    out = basic_subsidy_eligibility(facts(**kw))
    assert out.eligible is True
    assert out.missing == []
    assert any(reason in r for r in out.reasons)
    assert "逝者为本市户籍" in out.reasons


def test_low_income_alone_is_not_a_listed_group_and_leaves_it_open():
    out = basic_subsidy_eligibility(facts(enrolments=frozenset({"low_income"})))
    assert out.eligible is None
    assert out.missing == [MISSING_DINGQI, MISSING_FUNERAL_PAY]


def test_none_of_the_known_groups_is_undetermined_not_refused():
    out = basic_subsidy_eligibility(facts())
    assert out.eligible is None
    assert MISSING_DINGQI in out.missing and MISSING_FUNERAL_PAY in out.missing


def test_non_shanghai_hukou_is_refused_even_for_a_dibao_recipient():
    out = basic_subsidy_eligibility(facts(hukou_shanghai=False, enrolments=frozenset({"dibao"})))
    assert out.eligible is False
    assert out.reasons == [REASON_NO_HUKOU]


def test_refused_when_every_criterion_is_known_and_none_holds():
    out = basic_subsidy_eligibility(facts(dingqi_dingliang=False, funeral_pay=True))
    assert out.eligible is False
    assert out.reasons == [REASON_NONE]


def test_unknown_hukou_with_a_qualifying_group_stays_open():
    out = basic_subsidy_eligibility(DeathFacts(hukou_shanghai=None, youfu=None, enrolments=None, funeral_pay=False))
    assert out.eligible is None
    assert out.missing == [MISSING_HUKOU]


def test_a_deceased_not_in_the_registry_names_every_unknown():
    out = basic_subsidy_eligibility(DeathFacts(hukou_shanghai=None, youfu=None, enrolments=None))
    assert out.eligible is None
    assert len(out.missing) == 5
