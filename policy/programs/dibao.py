"""最低生活保障 (dibao) — household level.

Parameters: `policy/parameters/dibao/` and the project conventions; legal frame 社会救助暂行办法 (国务院令第649号)
art. 9-13.

* Income is the *counted* income: an employed member's earned income less the
  earned-income disregard (就业人员收入豁免, 870 yuan from 2023-07-01; before
  that a household with an employed earner is PARAMETER_MISSING), pensions and
  other income in full (``policy.programs.earned_income``).
* Eligible when at least one member holds Shanghai hukou, per-capita counted
  monthly income over ALL co-resident members is strictly below the standard
  (checked exactly as Σ income < standard × members), and the asset test passes.
* Beneficiaries are the hukou members not in extreme-poverty support (their
  income still counts in the household).
* Personal standard (分类施保, REFERENCE §1): for members **under 16** and for
  **students in full-time education of any age** (``in_school``), 1.3 ×
  standard rounded UP to the next 5 yuan (the ratio and rounding are our
  inference from the published 1615/1730/1850; unverified); the standard for
  everyone else — a 17-year-old who is not a student gets the plain standard.
* Amount = Σ over beneficiaries of (personal standard − per-capita income),
  computed exactly and rounded to whole yuan half up after summing.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from policy.engine.context import EvaluationContext
from policy.engine.results import ProgramResult
from policy.lines import DIBAO_STANDARD, dibao_standard_rule
from policy.money import divide_half_up_to_yuan, scale_fen_ceil
from policy.programs.asset_test import ASSET_REASONS, ASSET_TRACE_NODES, apply_asset_test
from policy.programs.base import Program, ReasonCollector, reason_table
from policy.programs.earned_income import counted_income

STANDARD = DIBAO_STANDARD
CLASSIFIED_RATIO = "dibao.classified_standard_ratio"
CLASSIFIED_STEP = "dibao.classified_standard_rounding_step"
#: 分类施保 covers "16岁以下未成年人和在校学生" (REFERENCE §1; 2024 source).
CLASSIFIED_AGE_BELOW = 16


def classified_standard_fen(ctx: EvaluationContext) -> int | None:
    """The classified personal standard (under 16, students): ⌈standard × 1.3⌉ to the next 5 yuan."""
    standard = dibao_standard_rule(ctx.param)
    ratio = ctx.param_decimal(CLASSIFIED_RATIO)
    step = ctx.param_fen(CLASSIFIED_STEP)
    if standard is None or ratio is None or step is None:
        return None
    return scale_fen_ceil(standard, ratio, step)


def evaluate(ctx: EvaluationContext, results: Mapping[str, ProgramResult]) -> ProgramResult:
    p = ctx.persons
    out = ReasonCollector(PROGRAM, ctx.household_count)
    has_hukou = ctx.household_has_hukou
    out.fail("NO_SHANGHAI_HUKOU", ~has_hukou)
    size = ctx.household_size
    counted = counted_income(ctx)
    income = counted.household_fen
    out.needs_missing(counted.missing)
    standard = dibao_standard_rule(ctx.param)  # the line: standard × members (policy.lines)
    if standard is None:
        out.needs_missing(True)
    else:
        line = standard * size
        below = income < line
        ctx.trace("dibao.per_capita_income", "household",
                  lambda: (2 * income + size) // (2 * size), unit="fen",
                  inputs=("household.counted_income", "household.size"),
                  note="人均月计入收入（显示值，四舍五入到分；判定用精确比较 Σ收入 < 标准 × 人数）")
        ctx.trace("dibao.income_below_standard", "household", below, unit="bool",
                  inputs=("dibao.per_capita_income",), parameters=(STANDARD,),
                  note="人均月收入 < 低保标准（严格小于）")
        out.fail("INCOME_NOT_BELOW_STANDARD", counted.certainly_not_below(line))
    apply_asset_test(ctx, out)

    extreme = results["extreme_poverty"]
    beneficiary = p.hukou_shanghai & ~extreme.eligible
    ctx.trace("dibao.beneficiary", "person", beneficiary, unit="bool",
              inputs=("input.hukou_shanghai", "extreme_poverty"),
              note="本市户籍且未纳入特困供养的成员")
    out.needs_missing(ctx.grouping.any(p.hukou_shanghai & extreme.missing))
    # hukou members (the same every month) less those in extreme poverty (few): no
    # running count over every person
    hukou_members = ctx.lasting("household_hukou_members", lambda: ctx.grouping.count(p.hukou_shanghai))
    beneficiaries = hukou_members - ctx.grouping.count(p.hukou_shanghai & extreme.eligible)
    out.fail("ALL_HUKOU_MEMBERS_IN_EXTREME_POVERTY", has_hukou & (beneficiaries == 0))

    classified = (ctx.age < CLASSIFIED_AGE_BELOW) | p.in_school
    ctx.trace("dibao.classified", "person", classified, unit="bool", inputs=("age", "input.in_school"),
              note="分类施保：未满16周岁，或全日制在校学生（不论年龄）")
    classified_standard = classified_standard_fen(ctx)
    if classified_standard is None:
        out.needs_missing(ctx.grouping.any(beneficiary & classified))
    eligible = out.decide()
    out.qualify("INCOME_AND_ASSETS_WITHIN_LIMITS", eligible)

    amount: NDArray[np.int64] | int = 0
    if standard is not None:
        classified_fen = classified_standard if classified_standard is not None else standard
        ctx.trace("dibao.personal_standard", "person",
                  lambda: np.where(classified, classified_fen, standard), unit="fen",
                  inputs=("dibao.classified",), parameters=(STANDARD, CLASSIFIED_RATIO, CLASSIFIED_STEP),
                  note="个人保障标准：未满16周岁或在校学生为 ⌈标准×1.3⌉ 到整5元，其余为标准")
        in_classes = ctx.grouping.count(beneficiary & classified)
        # Σ personal standards of beneficiaries, from counts (no per-person int64 column)
        personal_sum = beneficiaries * standard + in_classes * (classified_fen - standard)
        numerator = size * personal_sum - beneficiaries * income
        amount = divide_half_up_to_yuan(np.maximum(numerator, 0), size)
        ctx.trace("dibao.amount_before_rounding", "household",
                  lambda: (2 * np.maximum(numerator, 0) + size) // (2 * size), unit="fen",
                  inputs=("dibao.personal_standard", "dibao.beneficiary", "dibao.per_capita_income"),
                  note="Σ受益成员(个人标准 − 人均收入)，显示到分；随后按元四舍五入")
    return out.result(ctx, eligible, amount, ("household.has_hukou_member", *ASSET_TRACE_NODES))


PROGRAM = Program(
    id="dibao",
    label="最低生活保障",
    reference="社会救助暂行办法（国务院令第649号）第九条至第十三条",
    rule="policy/README.md §1",
    level="household",
    reasons=reason_table(
        INCOME_AND_ASSETS_WITHIN_LIMITS="本市户籍家庭，人均月收入低于低保标准且家庭财产符合规定",
        NO_SHANGHAI_HUKOU="家庭成员中无本市户籍人员",
        INCOME_NOT_BELOW_STANDARD="家庭人均月收入不低于低保标准",
        **ASSET_REASONS,
        ALL_HUKOU_MEMBERS_IN_EXTREME_POVERTY="本市户籍成员均已纳入特困人员救助供养，不再重复享受低保",
    ),
    depends_on=("extreme_poverty",),
    formula=evaluate,
    beneficiary_label="低保对象",
    applications=True,
    automatic=False,
    payment="enrolment",
)
