"""重残无业人员生活保障 (severe_disability_unemployed) — person level.

Parameters: `policy/parameters/severe_disability_unemployed/`: Shanghai hukou, working age 16-59 (age on the last day of the
month), disability grade 1-2 of any kind or grade 3 intellectual/mental, not
employed.  Monthly amount equal to the dibao standard (assumption, unverified;
parameter ``severe_disability_unemployed.amount_ratio`` = 1).  A "免申即享"
(no-application) program from 2024.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from policy.engine.context import EvaluationContext
from policy.engine.results import ProgramResult
from policy.money import scale_fen_half_up
from policy.programs.base import Program, ReasonCollector, reason_table

MIN_AGE = 16
MAX_AGE = 59
STANDARD = "dibao.standard"
RATIO = "severe_disability_unemployed.amount_ratio"


def evaluate(ctx: EvaluationContext, results: Mapping[str, ProgramResult]) -> ProgramResult:
    p = ctx.persons
    out = ReasonCollector(PROGRAM, ctx.person_count)
    age = ctx.age
    out.fail("NO_SHANGHAI_HUKOU", ~p.hukou_shanghai)
    out.fail("AGE_BELOW_16", age < MIN_AGE)
    out.fail("AGE_ABOVE_59", age > MAX_AGE)
    out.fail("NO_SEVERE_DISABILITY", ~ctx.severe_disability)
    out.fail("EMPLOYED", p.employed)
    standard = ctx.param_fen(STANDARD)
    ratio = ctx.param_decimal(RATIO)
    amount = 0
    if standard is None or ratio is None:
        out.needs_missing(True)
    else:
        amount = scale_fen_half_up(standard, ratio)
        ctx.trace("severe_disability_unemployed.standard", "person",
                  lambda: np.full(ctx.person_count, amount), unit="fen", parameters=(STANDARD, RATIO),
                  note="月保障金额 = 低保标准 × 1")
    ctx.trace("severe_disability_unemployed.conditions", "person",
              lambda: p.hukou_shanghai & (age >= MIN_AGE) & (age <= MAX_AGE) & ctx.severe_disability & ~p.employed,
              unit="bool",
              inputs=("input.hukou_shanghai", "age", "person.severe_disability", "input.employed"),
              note="本市户籍、16-59周岁、重度残疾、未就业")
    eligible = out.decide()
    out.qualify("SEVERE_DISABILITY_UNEMPLOYED", eligible)
    return out.result(ctx, eligible, amount)


PROGRAM = Program(
    id="severe_disability_unemployed",
    label="重残无业人员生活保障",
    reference="上海市重残无业人员生活保障相关规定（金额为假设）",
    rule="policy/README.md §5",
    level="person",
    reasons=reason_table(
        SEVERE_DISABILITY_UNEMPLOYED="本市户籍、16-59周岁、一二级或三级智力/精神残疾且未就业",
        NO_SHANGHAI_HUKOU="非本市户籍",
        AGE_BELOW_16="未满16周岁",
        AGE_ABOVE_59="已满60周岁（超过劳动年龄）",
        NO_SEVERE_DISABILITY="非一、二级残疾或三级智力/精神残疾",
        EMPLOYED="已就业",
    ),
    depends_on=(),
    formula=evaluate,
    beneficiary_label="重残无业人员",
    applications=False,
    automatic=True,
    payment="decision",
)
