"""就业人员收入豁免 (earned-income disregard): the counted household income of
the dibao and low-income tests (policy/README.md §1, REFERENCE §1).

For an employed member, ``dibao.earned_income_disregard`` (870 yuan from
2023-07-01, secondary) of the monthly *earned* income is not counted, never
below zero; pensions and other income are never disregarded.  Before the
disregard has a value, a household with an employed member who has earned
income gets ``PARAMETER_MISSING`` — the amount is unknown, not zero.  The
arithmetic is ``policy.lines.counted_incomes_fen`` (the one place).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from policy.engine.context import EvaluationContext
from policy.lines import (
    EARNED_INCOME_DISREGARD,
    counted_incomes_fen,
    earned_income_disregard_rule,
    needs_disregard,
)


@dataclass(frozen=True)
class CountedIncome:
    """Per household: Σ counted income (fen), whether it is unknown, and the
    lowest it could be (``lowest_fen``: when the disregard is unknown, every
    employed member's whole earned income disregarded — the disregard never
    exceeds it — so a household at or above a line even then is certainly
    not below it; otherwise equal to ``household_fen``)."""

    household_fen: NDArray[np.int64]
    missing: NDArray[np.bool_]
    lowest_fen: NDArray[np.int64]

    def certainly_not_below(self, line_fen: NDArray[np.int64]) -> NDArray[np.bool_]:
        """Households whose counted income is at or above ``line_fen`` whatever the disregard."""
        result: NDArray[np.bool_] = self.lowest_fen >= line_fen
        return result


def counted_income(ctx: EvaluationContext) -> CountedIncome:
    """The households' counted income for the month (records the parameter use
    for the calling program; the columns are computed once per evaluation)."""
    disregard = earned_income_disregard_rule(ctx.param)
    # depends only on the person table and the disregard's value: reused across months
    return ctx.lasting(f"counted_income:{disregard}", lambda: _compute(ctx, disregard))


def _compute(ctx: EvaluationContext, disregard: int | None) -> CountedIncome:
    p = ctx.persons
    needs = needs_disregard(p.earned_income_fen, p.employed)
    if disregard is None:
        missing = ctx.grouping.any(needs)
        lowest = ctx.household_income_fen - ctx.grouping.sum(np.where(needs, p.earned_income_fen, 0))
        ctx.trace("household.counted_income", "household", ctx.household_income_fen, unit="fen",
                  inputs=("household.total_income", "input.earned_income", "input.employed"),
                  parameters=(EARNED_INCOME_DISREGARD,),
                  note="就业人员收入豁免额当月无参数值：有就业成员劳动收入的家庭，除非全部劳动收入不计仍不低于标准，"
                       "否则不能测算（PARAMETER_MISSING）")
        return CountedIncome(ctx.household_income_fen, missing, lowest)
    counted = counted_incomes_fen(p.monthly_income_fen, p.earned_income_fen, p.employed, disregard)
    ctx.trace("person.counted_income", "person", counted, unit="fen",
              inputs=("input.monthly_income", "input.earned_income", "input.employed"),
              parameters=(EARNED_INCOME_DISREGARD,),
              note="计入收入：就业成员的劳动收入扣除豁免额（不低于0），养老金和其他收入全额计入")
    total = ctx.grouping.sum(counted)
    ctx.trace("household.counted_income", "household", total, unit="fen",
              inputs=("person.counted_income",), note="全体共同生活成员计入收入之和")
    return CountedIncome(total, np.zeros(ctx.household_count, dtype=np.bool_), total)
