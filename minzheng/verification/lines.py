"""The lines a verification compares against, for the verification month,
from ``policy.lines`` (the functions the engine's programs use):

* dibao line = ``dibao.standard`` × members (``below_dibao_line``);
* low-income line = standard × ``low_income.income_line_ratio`` per person
  (rounded half up to the fen) × members (``below_low_income_line``);
* monetary assets ≤ per-person limit × members, the limit being
  ``dibao.asset_limit_per_person_small_household`` for 1-2 members and
  ``…_large_household`` for 3 or more; no private car; at most one home
  (``asset_limit_fen``, ``private_cars_within_limit``, ``homes_within_limit``).

Income held against the lines is the counted income (REFERENCE §1
"Earned-income disregard", 就业人员收入豁免): for a member the registry
records as employed (在职), ``dibao.earned_income_disregard`` of the wage
average (the earned part, ``computation.income_parts``) is not counted
(``counted_income_fen``, never below zero); pensions, unemployment benefit and
other income count in full. The low-income line uses the counted income while
``low_income.earned_income_disregard_applies`` holds (§2, assumption). When a
member needs the disregard and it has no value for the month (before 2023-07)
the outcome is "undetermined" with the reason in Chinese — never the whole
income as a guess. A household without such a member does not need those
two parameters.

Every purpose is judged on the same two bands (below the dibao standard /
below the low-income line), which is what the verification centre reports;
the receiving program applies its own rule to the band. A parameter with no
value in force is reported by name and month and the outcome is
"undetermined" — never a guessed value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from minzheng.verification.computation import Figures
from minzheng.verification.models import Outcome
from policy import load_parameters
from policy.lines import (
    EARNED_INCOME_DISREGARD,
    LINE_PARAMETERS,
    LOW_INCOME_DISREGARD_APPLIES,
    LOW_INCOME_RATIO,
    MAX_HOMES,
    asset_limit_fen,
    asset_limit_per_person_fen,
    below_dibao_line,
    below_low_income_line,
    counted_income_fen,
    dibao_standard_fen,
    earned_income_disregard_fen,
    homes_within_limit,
    low_income_counts_disregard,
    low_income_line_per_person_fen,
    private_cars_within_limit,
)

#: Read only when a member's counted income depends on them (REFERENCE §1).
DISREGARD_PARAMETERS = (EARNED_INCOME_DISREGARD, LOW_INCOME_DISREGARD_APPLIES)


@dataclass
class Comparison:
    outcome: str
    lines: list[dict] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)


def _yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}元"


def _needing_disregard(figures: Figures) -> list[int]:
    """Members whose counted income depends on the earned-income disregard:
    employed (registry 在职) with a wage average above zero (``policy.lines.needs_disregard``)."""
    return [pk for pk in figures.member_income_fen
            if figures.member_employed.get(pk, False) and figures.income_parts.get(pk, {}).get("earned_fen", 0) > 0]


def compare(figures: Figures, *, month: dt.date) -> Comparison:
    """Compare ``figures`` with the lines in force on the 1st of ``month``."""
    params = load_parameters()
    result = Comparison(outcome=Outcome.UNDETERMINED)
    needing = _needing_disregard(figures)
    names = {getattr(m, "pk", None): getattr(m, "name", "") for m in figures.members}
    required = LINE_PARAMETERS if needing else tuple(n for n in LINE_PARAMETERS if n not in DISREGARD_PARAMETERS)
    values = {}
    for name in LINE_PARAMETERS:
        found = params.get(name, month)
        if found is not None:
            values[name] = found
            result.lines.append(found.as_json() | {"description": params.parameter(name).description})
        elif name == EARNED_INCOME_DISREGARD and needing:
            result.findings.append(
                f"{'、'.join(names.get(pk) or '家庭成员' for pk in needing)}为就业人员且有劳动收入，"
                f"应扣除就业人员收入豁免额后计入，但该豁免额在{month.year}年{month.month}月没有有效值"
                "（参数缺失），无法判断，请区民政局补充参数后重新核对。")
        elif name in required:
            result.findings.append(
                f"政策参数“{name}”（{params.parameter(name).description}）在{month.year}年{month.month}月没有有效值，"
                "无法判断，请区民政局补充参数后重新核对。")
    size = figures.household_size
    income = figures.monthly_income_fen
    result.findings.append(
        f"家庭共同生活成员{size}人，月均收入合计{_yuan(income)}，人均月收入{_yuan(figures.per_capita_income_fen)}"
        f"（{figures.window_start:%Y年%m月}至{figures.window_end:%Y年%m月}）。")
    result.findings.append(
        f"货币财产{_yuan(figures.monetary_assets_fen)}（存款{_yuan(figures.deposits_fen)}、证券{_yuan(figures.securities_fen)}、"
        f"市场主体出资{_yuan(figures.business_capital_fen)}），住房{figures.homes}套，机动车{figures.vehicles}辆。")
    if figures.mobility_vehicles:
        result.findings.append(f"残疾人机动轮椅车{figures.mobility_vehicles}辆，按规定不计入机动车。")
    if figures.medical_out_of_pocket_fen:
        result.findings.append(f"近365天医疗费用个人自负{_yuan(figures.medical_out_of_pocket_fen)}。")
    if size == 0:
        result.findings.append("家庭没有现有成员，无法核对。")
        return result
    if any(name not in values for name in required):
        return result
    counted = income
    if needing:
        disregard_fen = earned_income_disregard_fen(month, parameters=params)
        counted = 0
        for pk, member_income in figures.member_income_fen.items():
            earned = figures.income_parts.get(pk, {}).get("earned_fen", 0)
            member_counted = counted_income_fen(month, income_fen=member_income, earned_fen=earned,
                                                employed=figures.member_employed.get(pk, False), parameters=params)
            counted += member_counted
            if pk in needing:
                result.findings.append(
                    f"就业人员收入豁免：{names.get(pk) or '家庭成员'}为就业人员，月均劳动收入{_yuan(earned)}，"
                    f"豁免{_yuan(member_income - member_counted)}（每人每月{_yuan(disregard_fen)}，不超过劳动收入），"
                    f"计入收入{_yuan(member_counted)}；养老金和其他收入全额计入。")
        result.findings.append(
            f"家庭计入收入合计{_yuan(counted)}，人均计入收入{_yuan(_per_capita(counted, size))}。")
    low_counted = counted if needing and low_income_counts_disregard(month, parameters=params) else income
    standard_fen = dibao_standard_fen(month, parameters=params)
    low_line_fen = low_income_line_per_person_fen(month, parameters=params)
    per_person_limit_fen = asset_limit_per_person_fen(month, size, parameters=params)
    limit_fen = asset_limit_fen(month, size, parameters=params)
    assets_ok = True
    if figures.monetary_assets_fen > limit_fen:
        assets_ok = False
        result.findings.append(f"货币财产超过上限{_yuan(limit_fen)}（人均{_yuan(per_person_limit_fen)} × {size}人）。")
    else:
        result.findings.append(f"货币财产未超过上限{_yuan(limit_fen)}（人均{_yuan(per_person_limit_fen)} × {size}人）。")
    if not private_cars_within_limit(figures.vehicles):
        assets_ok = False
        result.findings.append(f"家庭拥有机动车{figures.vehicles}辆（残疾人机动轮椅车除外），不符合财产条件。")
    if not homes_within_limit(figures.homes):
        assets_ok = False
        result.findings.append(f"家庭拥有住房{figures.homes}套，超过{MAX_HOMES}套。")
    below_standard = below_dibao_line(month, size, counted, parameters=params)
    below_low = below_low_income_line(month, size, low_counted, parameters=params)
    dibao_label = "人均计入收入" if counted != income else "人均月收入"
    low_label = "人均计入收入" if low_counted != income else "人均月收入"
    result.findings.append(
        f"低保标准{_yuan(standard_fen)}/人·月，{dibao_label}{'低于' if below_standard else '不低于'}低保标准；"
        f"低收入标准{_yuan(low_line_fen)}/人·月（低保标准×{values[LOW_INCOME_RATIO].value}），"
        f"{low_label}{'低于' if below_low else '不低于'}低收入标准。")
    if assets_ok and below_standard:
        result.outcome = Outcome.BELOW_DIBAO
    elif assets_ok and below_low:
        result.outcome = Outcome.BELOW_LOW_INCOME
    else:
        result.outcome = Outcome.ABOVE_LINES
    return result


def _per_capita(total_fen: int, size: int) -> int:
    """Display only, rounded half up (the tests compare Σ income with line × members)."""
    return (2 * total_fen + size) // (2 * size)
