"""Who gets the basic funeral service subsidy (基本殡葬服务补贴) — a pure function.

Rule (the bureau's reference §11; 沪民规〔2017〕5号, extended by 沪民规〔2025〕10号):
a deceased with Shanghai hukou who, at the death date, was at least one of
优抚对象, 最低生活保障对象, 特困供养人员, 定期定量生活补助对象, 因病支出型贫困家庭成员
— or who has no social-insurance funeral pay (丧葬补助金).

Unknown is never "no" (house rule): the platform holds neither 定期定量 status nor
whether social insurance pays a funeral grant, so unless a listed group already
makes the person eligible the answer is ``None`` (待确认) with the missing inputs
named. A refusal needs every criterion known: non-Shanghai hukou, or hukou with
none of the groups and funeral pay confirmed by staff.

The reasons are Chinese sentences shown to staff and families.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# the recipient groups the platform can know, in the order reasons are shown
YOUFU = "youfu"
DIBAO = "dibao"
EXTREME_POVERTY = "extreme_poverty"
EXPENSE_POVERTY = "expense_poverty"  # casework program 支出型贫困家庭 = 因病支出型贫困 (medical-expense burden)
DINGQI_DINGLIANG = "dingqi_dingliang"

GROUP_REASONS = {
    YOUFU: "逝者为优抚对象",
    DIBAO: "逝者死亡当月为最低生活保障对象",
    EXTREME_POVERTY: "逝者死亡当月为特困供养人员",
    EXPENSE_POVERTY: "逝者死亡当月为因病支出型贫困家庭成员",
    DINGQI_DINGLIANG: "逝者为定期定量生活补助对象（经核实）",
}
# enrolment programs (casework EnrolledProgram codes) that are listed groups
ENROLMENT_GROUPS = (DIBAO, EXTREME_POVERTY, EXPENSE_POVERTY)

MISSING_HUKOU = "逝者是否为本市户籍（人口库中无此人）"
MISSING_YOUFU = "逝者是否为优抚对象（人口库中无此人）"
MISSING_ENROLMENTS = "逝者死亡当月是否为低保、特困或因病支出型贫困对象（人口库中无此人）"
MISSING_DINGQI = "逝者是否为定期定量生活补助对象（平台无此数据，需核实）"
MISSING_FUNERAL_PAY = "逝者是否享受社会保险丧葬补助金（平台无此数据，需核实）"

REASON_NO_HUKOU = "逝者非本市户籍，不属于基本殡葬服务补贴对象"
REASON_NO_FUNERAL_PAY = "逝者未享受社会保险丧葬补助金（经核实）"
REASON_NONE = "逝者为本市户籍，但不属于优抚、低保、特困、定期定量、因病支出型贫困对象，且享受社会保险丧葬补助金"
REASON_UNDETERMINED = "尚不能确定是否符合条件：缺少以下信息"
REASON_HUKOU = "逝者为本市户籍"


@dataclass(frozen=True)
class DeathFacts:
    """What is known of the deceased at the death date (None = unknown).

    ``enrolments``: the listed programs the person was enrolled in during the
    death month; None when the person is not in the registry (unknown)."""

    hukou_shanghai: bool | None
    youfu: bool | None
    enrolments: frozenset[str] | None
    dingqi_dingliang: bool | None = None
    funeral_pay: bool | None = None


@dataclass(frozen=True)
class Outcome:
    eligible: bool | None
    reasons: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def basic_subsidy_eligibility(facts: DeathFacts) -> Outcome:
    """Eligible (True), refused (False) or undetermined (None, ``missing`` named)."""
    if facts.hukou_shanghai is False:
        return Outcome(False, [REASON_NO_HUKOU])
    groups: list[str] = []
    if facts.youfu:
        groups.append(YOUFU)
    for program in ENROLMENT_GROUPS:
        if facts.enrolments is not None and program in facts.enrolments:
            groups.append(program)
    if facts.dingqi_dingliang:
        groups.append(DINGQI_DINGLIANG)
    qualifying = [GROUP_REASONS[g] for g in groups]
    if facts.funeral_pay is False:
        qualifying.append(REASON_NO_FUNERAL_PAY)
    missing: list[str] = []
    if facts.hukou_shanghai is None:
        missing.append(MISSING_HUKOU)
    if qualifying:
        if missing:  # a group holds, but hukou is unknown
            return Outcome(None, [*qualifying, REASON_UNDETERMINED], missing)
        return Outcome(True, [REASON_HUKOU, *qualifying])
    if facts.youfu is None:
        missing.append(MISSING_YOUFU)
    if facts.enrolments is None:
        missing.append(MISSING_ENROLMENTS)
    if facts.dingqi_dingliang is None:
        missing.append(MISSING_DINGQI)
    if facts.funeral_pay is None:
        missing.append(MISSING_FUNERAL_PAY)
    if missing:
        return Outcome(None, [REASON_UNDETERMINED], missing)
    return Outcome(False, [REASON_NONE])
