"""The lines a verification compares against, read from the policy engine's
dated parameters for the verification month (``policy.load_parameters()``).

* dibao standard ``dibao.standard`` (per person per month);
* low-income line = standard × ``low_income.income_line_ratio``;
* monetary assets ≤ per-person limit × members, the limit being
  ``dibao.asset_limit_per_person_small_household`` for 1-2 members and
  ``…_large_household`` for 3 or more; no private car; at most one home
  (``policy.programs.asset_test``).

Every purpose is judged on the same two bands (below the dibao standard /
below the low-income line), which is what the verification centre reports;
the receiving program applies its own rule to the band. A parameter with no
value in force is reported by name and month and the outcome is
"undetermined" — never a guessed value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from minzheng.verification.computation import Figures
from minzheng.verification.models import Outcome
from policy import load_parameters
from policy.programs.asset_test import (
    LARGE_HOUSEHOLD_MIN_MEMBERS,
    LARGE_LIMIT,
    MAX_HOMES,
    MAX_PRIVATE_CARS,
    SMALL_LIMIT,
)

STANDARD = "dibao.standard"
LOW_INCOME_RATIO = "low_income.income_line_ratio"


@dataclass
class Comparison:
    outcome: str
    lines: list[dict] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)


def _fen(value: Decimal) -> int:
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}元"


def compare(figures: Figures, *, month: dt.date) -> Comparison:
    """Compare ``figures`` with the lines in force on the 1st of ``month``."""
    params = load_parameters()
    result = Comparison(outcome=Outcome.UNDETERMINED)
    values = {}
    for name in (STANDARD, LOW_INCOME_RATIO, SMALL_LIMIT, LARGE_LIMIT):
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
    if len(values) < 4:
        return result
    standard_fen = _fen(values[STANDARD].value)
    low_line_fen = _fen(values[STANDARD].value * values[LOW_INCOME_RATIO].value)
    per_person_limit = values[LARGE_LIMIT if size >= LARGE_HOUSEHOLD_MIN_MEMBERS else SMALL_LIMIT].value
    asset_limit_fen = _fen(per_person_limit) * size
    assets_ok = True
    if figures.monetary_assets_fen > asset_limit_fen:
        assets_ok = False
        result.findings.append(f"货币财产超过上限{_yuan(asset_limit_fen)}（人均{_yuan(_fen(per_person_limit))} × {size}人）。")
    else:
        result.findings.append(f"货币财产未超过上限{_yuan(asset_limit_fen)}（人均{_yuan(_fen(per_person_limit))} × {size}人）。")
    if figures.vehicles > MAX_PRIVATE_CARS:
        assets_ok = False
        result.findings.append(f"家庭拥有机动车{figures.vehicles}辆（残疾人机动轮椅车除外），不符合财产条件。")
    if figures.homes > MAX_HOMES:
        assets_ok = False
        result.findings.append(f"家庭拥有住房{figures.homes}套，超过{MAX_HOMES}套。")
    below_standard = income < standard_fen * size
    below_low = income < low_line_fen * size
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
