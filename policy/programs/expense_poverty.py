"""支出型贫困 (expense_poverty) — household status, no monthly cash.

Parameters: `policy/parameters/expense_poverty/` (secondary).  Our interpretation, documented in policy/README.md:

* "Per-capita income below last year's Shanghai per-capita disposable income"
  compares MONTHLY per-capita income with the ANNUAL figure / 12, exactly:
  Σ income × 12 < annual figure × members.  The figure for year Y is in force
  during Y+1 (parameter ``expense_poverty.reference_disposable_income``).
* Assets within the low-income limits = the dibao asset test.
* Medical out-of-pocket over the last 12 months ≥ 40 % of the household's
  disposable income over the same months, taken as 12 × the monthly income
  inputs; spending must be positive (a household with no income and no
  medical spending is not "expense-poor").
* At least one Shanghai-hukou member (household-program convention).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from policy.engine.context import EvaluationContext
from policy.engine.results import ProgramResult
from policy.programs.asset_test import ASSET_REASONS, ASSET_TRACE_NODES, apply_asset_test
from policy.programs.base import Program, ReasonCollector, reason_table

REFERENCE_INCOME = "expense_poverty.reference_disposable_income"
SHARE = "expense_poverty.medical_burden_share"
MONTHS = 12


@functools.lru_cache(maxsize=64)
def _percent(share: Decimal) -> Fraction:
    """``share`` % as an exact fraction (memoised: the month's parameter)."""
    return Fraction(share) / 100


def evaluate(ctx: EvaluationContext, results: Mapping[str, ProgramResult]) -> ProgramResult:
    out = ReasonCollector(PROGRAM, ctx.household_count)
    out.fail("NO_SHANGHAI_HUKOU", ~ctx.household_has_hukou)
    income = ctx.household_income_fen
    annual = ctx.param_fen(REFERENCE_INCOME)
    if annual is None:
        out.needs_missing(True)
    else:
        below = income * MONTHS < annual * ctx.household_size
        ctx.trace("expense_poverty.income_below_reference", "household", below, unit="bool",
                  inputs=("household.total_income", "household.size"), parameters=(REFERENCE_INCOME,),
                  note="人均月收入 < 上年度全市居民人均可支配收入 / 12（严格小于）")
        out.fail("INCOME_NOT_BELOW_REFERENCE", ~below)
    apply_asset_test(ctx, out)
    share = ctx.param_decimal(SHARE)
    if share is None:
        out.needs_missing(True)
    else:
        fraction = _percent(share)
        spending = ctx.households.medical_oop_12m_fen
        burden = (spending * fraction.denominator >= fraction.numerator * MONTHS * income) & (spending > 0)
        ctx.trace("expense_poverty.medical_burden", "household", burden, unit="bool",
                  inputs=("input.medical_out_of_pocket_12m", "household.total_income"),
                  parameters=(SHARE,),
                  note="近12个月医疗自付 ≥ 40% × 12 × 家庭月收入，且自付支出 > 0")
        out.fail("MEDICAL_EXPENSE_BELOW_THRESHOLD", ~burden)
    eligible = out.decide()
    out.qualify("MEDICAL_EXPENSE_BURDEN", eligible)
    return out.result(ctx, eligible, 0,
                      ("household.has_hukou_member", *ASSET_TRACE_NODES))


PROGRAM = Program(
    id="expense_poverty",
    label="支出型贫困家庭",
    reference="上海市支出型贫困家庭生活救助相关规定（来源为二手资料，尚未核实）",
    rule="policy/README.md §3",
    level="household",
    reasons=reason_table(
        MEDICAL_EXPENSE_BURDEN="本市户籍家庭，医疗自付支出达到家庭可支配收入的40%，收入和财产符合规定",
        NO_SHANGHAI_HUKOU="家庭成员中无本市户籍人员",
        INCOME_NOT_BELOW_REFERENCE="家庭人均月收入不低于上年度全市居民人均可支配收入的月均值",
        **ASSET_REASONS,
        MEDICAL_EXPENSE_BELOW_THRESHOLD="近12个月医疗自付支出未达到家庭同期可支配收入的40%",
    ),
    depends_on=(),
    formula=evaluate,
    beneficiary_label="支出型贫困家庭成员",
    applications=True,
    automatic=False,
    payment="none",
)
