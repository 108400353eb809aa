"""低收入困难家庭 (low_income) — household status, no monthly cash.

Parameters: `policy/parameters/low_income/`: per-capita income < 2 × the dibao standard (secondary: 2020
line 2480), the same asset test as dibao (assumption), not already dibao, and
(household-program convention) at least one Shanghai-hukou member.  Grants
access to special assistance, the lower disability living subsidy rate, and
price subsidies in loosened periods.  ``amount_fen`` is always 0.

Income is the counted income (earned-income disregard, as for dibao) while
``low_income.earned_income_disregard_applies`` is true (assumption, REFERENCE
§1), else the whole income.

The line per person is ``policy.lines.low_income_line_rule`` (standard × ratio
rounded half up to the fen, exact for ratio 2); the test is Σ income < line ×
members, the same comparison verification and monitoring make.
"""

from __future__ import annotations

from collections.abc import Mapping

from policy.engine.context import EvaluationContext
from policy.engine.results import ProgramResult
from policy.lines import (
    DIBAO_STANDARD,
    LOW_INCOME_DISREGARD_APPLIES,
    LOW_INCOME_RATIO,
    low_income_disregard_applies_rule,
    low_income_line_rule,
)
from policy.programs.asset_test import ASSET_REASONS, ASSET_TRACE_NODES, apply_asset_test
from policy.programs.base import Program, ReasonCollector, reason_table
from policy.programs.earned_income import counted_income

STANDARD = DIBAO_STANDARD
RATIO = LOW_INCOME_RATIO


def evaluate(ctx: EvaluationContext, results: Mapping[str, ProgramResult]) -> ProgramResult:
    out = ReasonCollector(PROGRAM, ctx.household_count)
    out.fail("NO_SHANGHAI_HUKOU", ~ctx.household_has_hukou)
    line = low_income_line_rule(ctx.param)  # per person, in fen (policy.lines)
    applies = low_income_disregard_applies_rule(ctx.param)
    if line is None or applies is None:
        out.needs_missing(True)
    else:
        income, income_node = ctx.household_income_fen, "household.total_income"
        line_total = line * ctx.household_size
        not_below = income >= line_total
        if applies:
            counted = counted_income(ctx)
            income, income_node = counted.household_fen, "household.counted_income"
            out.needs_missing(counted.missing)
            not_below = counted.certainly_not_below(line_total)
        below = income < line_total
        ctx.trace("low_income.income_below_line", "household", below, unit="bool",
                  inputs=(income_node, "household.size"),
                  parameters=(STANDARD, RATIO, LOW_INCOME_DISREGARD_APPLIES),
                  note="人均月收入 < 低保标准 × 2（严格小于）")
        out.fail("INCOME_NOT_BELOW_LINE", not_below)
    apply_asset_test(ctx, out)
    dibao = results["dibao"]
    out.fail("ALREADY_DIBAO", dibao.eligible)
    out.needs_missing(dibao.missing)
    eligible = out.decide()
    out.qualify("INCOME_BELOW_LOW_INCOME_LINE", eligible)
    return out.result(ctx, eligible, 0,
                      ("household.has_hukou_member", *ASSET_TRACE_NODES, "dibao"))


PROGRAM = Program(
    id="low_income",
    label="低收入困难家庭",
    reference="社会救助暂行办法（国务院令第649号）；上海市低收入困难家庭认定办法",
    rule="policy/README.md §2",
    level="household",
    reasons=reason_table(
        INCOME_BELOW_LOW_INCOME_LINE="本市户籍家庭，人均月收入低于低保标准的2倍且家庭财产符合规定，未享受低保",
        NO_SHANGHAI_HUKOU="家庭成员中无本市户籍人员",
        INCOME_NOT_BELOW_LINE="家庭人均月收入不低于低收入标准（低保标准的2倍）",
        **ASSET_REASONS,
        ALREADY_DIBAO="已符合最低生活保障条件（按低保认定）",
    ),
    depends_on=("dibao",),
    formula=evaluate,
    beneficiary_label="低收入家庭成员",
    applications=True,
    automatic=False,
    payment="none",
)
