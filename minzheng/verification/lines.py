"""The lines a verification compares against, for the verification month,
from ``policy.lines`` (the functions the engine's programs use):

* dibao line = ``dibao.standard`` × members (``below_dibao_line``);
* low-income line = standard × ``low_income.income_line_ratio`` per person
  (rounded half up to the fen) × members (``below_low_income_line``);
* monetary assets ≤ per-person limit × members, the limit being
  ``dibao.asset_limit_per_person_small_household`` for 1-2 members and
  ``…_large_household`` for 3 or more; no private car; at most one home
  (``asset_limit_fen``, ``private_cars_within_limit``, ``homes_within_limit``).

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
    LINE_PARAMETERS,
    LOW_INCOME_RATIO,
    MAX_HOMES,
    asset_limit_fen,
    asset_limit_per_person_fen,
    below_dibao_line,
    below_low_income_line,
    dibao_standard_fen,
    homes_within_limit,
    low_income_line_per_person_fen,
    private_cars_within_limit,
)


@dataclass
class Comparison:
    outcome: str
    lines: list[dict] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)


def _yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}元"


def compare(figures: Figures, *, month: dt.date) -> Comparison:
    """Compare ``figures`` with the lines in force on the 1st of ``month``."""
    params = load_parameters()
    result = Comparison(outcome=Outcome.UNDETERMINED)
    values = {}
    for name in LINE_PARAMETERS:
        found = params.get(name, month)
        if found is None:
            result.findings.append(
                f"政策参数“{name}”（{params.parameter(name).description}）在{month.year}年{month.month}月没有有效值，"
                "无法判断，请区民政局补充参数后重新核对。")
        else:
            values[name] = found
            result.lines.append(found.as_json() | {"description": params.parameter(name).description})
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
    if len(values) < len(LINE_PARAMETERS):
        return result
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
    below_standard = below_dibao_line(month, size, income, parameters=params)
    below_low = below_low_income_line(month, size, income, parameters=params)
    result.findings.append(
        f"低保标准{_yuan(standard_fen)}/人·月，人均月收入{'低于' if below_standard else '不低于'}低保标准；"
        f"低收入标准{_yuan(low_line_fen)}/人·月（低保标准×{values[LOW_INCOME_RATIO].value}），"
        f"人均月收入{'低于' if below_low else '不低于'}低收入标准。")
    if assets_ok and below_standard:
        result.outcome = Outcome.BELOW_DIBAO
    elif assets_ok and below_low:
        result.outcome = Outcome.BELOW_LOW_INCOME
    else:
        result.outcome = Outcome.ABOVE_LINES
    return result
