"""价格临时补贴 (price_subsidy) — person level, monthly.

Parameters: `policy/parameters/price_subsidy/`; 发改价格〔2021〕1553号 (official).

* Trigger: the CPI year-on-year rise ≥ 3.5 %, or food CPI rise ≥ 6 %
  (both inclusive).  Loosened 2022-09..2023-03: CPI trigger 3.0 %, and
  low-income (低保边缘) household members and unemployment-subsidy (失业补助金)
  recipients covered (parameters ``cpi_trigger``, ``low_income_covered``,
  ``unemployment_subsidy_covered``).
* Which CPI (REFERENCE §9): the subsidy for month M is triggered by the figures
  published for month **M − 1**.  The engine applies the figures it is given
  (``cpi`` input); the platform picks month M − 1's from its CPI table.
* Covered: dibao beneficiaries, extreme-poverty persons, orphans and de facto
  unsupported children (``child_basic_living``), unemployment-insurance
  recipients, 优抚 recipients; when loosened, low-income household members and
  unemployment-subsidy recipients (input ``unemployment_subsidy``).
* Amount = the person's monthly standard × the triggering rise (the larger if
  both trigger), rounded half up to 0.1 yuan (assumption).  Standards: dibao
  standard (not the minors' classified one), extreme-poverty standard, child
  allowance.  No cited document gives a standard for unemployment-insurance,
  unemployment-subsidy, 优抚 or low-income persons (parameters ``price_subsidy.base_*`` have no values), so a
  person covered only through those groups gets PARAMETER_MISSING.  A person in
  several groups gets the highest known standard.
* CPI figures are data: without them the covered persons get PARAMETER_MISSING.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from policy.engine.context import EvaluationContext
from policy.engine.results import ProgramResult
from policy.money import scale_fen_half_up
from policy.programs import extreme_poverty
from policy.programs.base import Program, ReasonCollector, reason_table
from policy.programs.memberships import membership
from policy.programs.rate_selection import best_rate_code

CPI_TRIGGER = "price_subsidy.cpi_trigger"
FOOD_TRIGGER = "price_subsidy.food_cpi_trigger"
LOW_INCOME_COVERED = "price_subsidy.low_income_covered"
UNEMPLOYMENT_SUBSIDY_COVERED = "price_subsidy.unemployment_subsidy_covered"
ROUNDING = "price_subsidy.rounding_step"


def _bases(ctx: EvaluationContext) -> list[tuple[str, int | None, str]]:
    """(group, monthly standard in fen or None, qualifying code) for the month."""
    bases = [
        ("dibao", ctx.param_fen("dibao.standard"), "COVERED_DIBAO"),
        ("extreme_poverty", extreme_poverty.standard_fen(ctx), "COVERED_EXTREME_POVERTY"),
        ("child_basic_living", ctx.param_fen("child_basic_living.amount"), "COVERED_CHILD"),
        ("unemployment_insurance", ctx.param_fen("price_subsidy.base_unemployment_insurance"),
         "COVERED_UNEMPLOYMENT_INSURANCE"),
        ("youfu", ctx.param_fen("price_subsidy.base_youfu"), "COVERED_YOUFU"),
    ]
    low_income_covered = ctx.param_flag(LOW_INCOME_COVERED)
    if low_income_covered is not False:
        base = ctx.param_fen("price_subsidy.base_low_income") if low_income_covered else None
        bases.append(("low_income", base, "COVERED_LOW_INCOME"))
    subsidy_covered = ctx.param_flag(UNEMPLOYMENT_SUBSIDY_COVERED)
    if subsidy_covered is not False:
        base = ctx.param_fen("price_subsidy.base_unemployment_subsidy") if subsidy_covered else None
        bases.append(("unemployment_subsidy", base, "COVERED_UNEMPLOYMENT_SUBSIDY"))
    return bases


def _rise(ctx: EvaluationContext) -> tuple[Decimal | None, bool, bool, bool]:
    """(triggering rise, CPI triggered, food triggered, known?)."""
    cpi_trigger = ctx.param_decimal(CPI_TRIGGER)
    food_trigger = ctx.param_decimal(FOOD_TRIGGER)
    if ctx.cpi is None or cpi_trigger is None or food_trigger is None:
        return None, False, False, False
    by_cpi = ctx.cpi.all_yoy_pct >= cpi_trigger
    by_food = ctx.cpi.food_yoy_pct >= food_trigger
    rises = [r for r, hit in ((ctx.cpi.all_yoy_pct, by_cpi), (ctx.cpi.food_yoy_pct, by_food)) if hit]
    return (max(rises) if rises else None), by_cpi, by_food, True


@functools.lru_cache(maxsize=256)
def _amounts(bases: tuple[int, ...], rise: Decimal, step: int) -> tuple[int, ...]:
    """Each monthly standard × rise %, rounded half up to ``step`` fen (memoised per month's figures)."""
    ratio = Fraction(rise) / 100
    return tuple(scale_fen_half_up(base, ratio, step) for base in bases)


def evaluate(ctx: EvaluationContext, results: Mapping[str, ProgramResult]) -> ProgramResult:
    n = ctx.person_count
    out = ReasonCollector(PROGRAM, n)
    in_any = np.zeros(n, dtype=np.bool_)
    unresolved = np.zeros(n, dtype=np.bool_)
    qualifying: list[tuple[str, NDArray[np.bool_], int]] = []
    for group, standard, code in _bases(ctx):
        member, unknown = membership(ctx, results, group)
        in_any |= member
        if unknown is not ctx.no_person:  # some status is PARAMETER_MISSING
            in_any |= unknown
            unresolved |= unknown
        if standard is None:
            unresolved |= member
            continue
        qualifying.append((code, member, standard))
    best, bases = best_rate_code([m for _, m, _ in qualifying], [s for _, _, s in qualifying], n)
    priced = best > 0
    ctx.trace("price_subsidy.base", "person", lambda: np.array(bases, dtype=np.int64)[best], unit="fen",
              inputs=("dibao", "extreme_poverty", "child_basic_living", "low_income",
                      "input.unemployment_insurance", "input.unemployment_subsidy", "input.youfu"),
              parameters=("dibao.standard", extreme_poverty.STANDARD,
                          "child_basic_living.amount", LOW_INCOME_COVERED, UNEMPLOYMENT_SUBSIDY_COVERED),
              note="所属保障群体中最高的月保障标准（低保标准/特困供养标准/孤儿基本生活费）")
    out.fail("NOT_IN_COVERED_GROUP", ~in_any)
    rise, by_cpi, by_food, known = _rise(ctx)
    step = ctx.param_fen(ROUNDING)
    if not known or step is None:
        out.needs_missing(True)
    elif rise is None:
        out.fail("CPI_BELOW_TRIGGER", True)
    out.needs_missing(unresolved & ~priced)
    amount: NDArray[np.int64] | int = 0
    if rise is not None and step is not None:
        table = _amounts(tuple(bases), rise, step)
        amount = np.take(np.array(table, dtype=np.int64), best.astype(np.intp))
        ctx.trace("price_subsidy.rise_pct", "person", lambda: np.full(n, str(rise), dtype=object),
                  unit="code", parameters=(CPI_TRIGGER, FOOD_TRIGGER),
                  note=f"触发涨幅：CPI {ctx.cpi.all_yoy_pct if ctx.cpi else '-'}%，"
                       f"食品 {ctx.cpi.food_yoy_pct if ctx.cpi else '-'}%（取触发项中较大者）")
        ctx.trace("price_subsidy.rounded_amount", "person", amount, unit="fen",
                  inputs=("price_subsidy.base", "price_subsidy.rise_pct"), parameters=(ROUNDING,),
                  note="月保障标准 × 触发涨幅，四舍五入到0.1元")
    eligible = out.decide()
    for code, member, _ in qualifying:
        out.qualify(code, eligible & member)
    if by_cpi:
        out.qualify("TRIGGER_CPI", eligible)
    if by_food:
        out.qualify("TRIGGER_FOOD_CPI", eligible)
    return out.result(ctx, eligible, amount, ("price_subsidy.base",))


PROGRAM = Program(
    id="price_subsidy",
    label="价格临时补贴",
    reference="关于进一步健全社会救助和保障标准与物价上涨挂钩联动机制的通知（发改价格〔2021〕1553号）",
    rule="policy/README.md §9",
    level="person",
    reasons=reason_table(
        COVERED_DIBAO="低保对象",
        COVERED_EXTREME_POVERTY="特困人员",
        COVERED_CHILD="散居孤儿或事实无人抚养儿童",
        COVERED_UNEMPLOYMENT_INSURANCE="领取失业保险金人员",
        COVERED_YOUFU="优抚对象",
        COVERED_LOW_INCOME="低收入（低保边缘）家庭成员（阶段性扩围期间）",
        COVERED_UNEMPLOYMENT_SUBSIDY="领取失业补助金人员（阶段性扩围期间）",
        TRIGGER_CPI="上月CPI同比涨幅达到启动条件",
        TRIGGER_FOOD_CPI="上月食品价格同比涨幅达到启动条件",
        NOT_IN_COVERED_GROUP="不属于价格临时补贴保障对象",
        CPI_BELOW_TRIGGER="上月CPI及食品价格同比涨幅均未达到启动条件",
    ),
    depends_on=("dibao", "extreme_poverty", "child_basic_living", "low_income"),
    formula=evaluate,
    beneficiary_label="价格临时补贴对象",
    applications=False,
    automatic=False,
    payment="decision",
)
