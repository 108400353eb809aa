"""重度残疾人护理补贴 (disability_care_subsidy) — person level.

Parameters: `policy/parameters/disability_care_subsidy/`: grade 1: 350; grade 2, or grade 3 intellectual/mental: 180
yuan per month, from 2025-07-01 (secondary).  Before 2025-07-01 the rates are
unknown: qualifying persons get PARAMETER_MISSING.  No means test
(assumption); needs a valid disability certificate.  The cited documents name no hukou
condition, so none is applied (open question).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from policy.engine.context import EvaluationContext
from policy.engine.results import ProgramResult
from policy.engine.tables import KIND_INTELLECTUAL, KIND_MENTAL
from policy.programs.base import Program, ReasonCollector, reason_table

GRADE_1 = "disability_care_subsidy.grade_1_rate"
GRADE_2 = "disability_care_subsidy.grade_2_rate"


def evaluate(ctx: EvaluationContext, results: Mapping[str, ProgramResult]) -> ProgramResult:
    p = ctx.persons
    out = ReasonCollector(PROGRAM, ctx.person_count)
    grade, kind = p.disability_grade, p.disability_kind
    grade_1 = grade == 1
    grade_2 = (grade == 2) | ((grade == 3) & ((kind == KIND_INTELLECTUAL) | (kind == KIND_MENTAL)))
    out.fail("NO_QUALIFYING_DISABILITY", ~(grade_1 | grade_2))
    rate_1 = ctx.param_fen(GRADE_1)
    rate_2 = ctx.param_fen(GRADE_2)
    out.needs_missing(grade_1 if rate_1 is None else False)
    out.needs_missing(grade_2 if rate_2 is None else False)
    # grade_1 and grade_2 are exclusive: code 1 / 2 picks the rate from a 3-row table (one gather)
    code = grade_2.view(np.int8) << 1
    code |= grade_1.view(np.int8)
    amount = np.array([0, rate_1 or 0, rate_2 or 0], dtype=np.int64)[code]
    ctx.trace("disability_care_subsidy.rate", "person", amount, unit="fen",
              inputs=("input.disability_grade", "input.disability_kind"),
              parameters=(GRADE_1, GRADE_2), note="一级 350；二级或三级智力/精神 180（2025-07-01起）")
    eligible = out.decide()
    out.qualify("GRADE_1", eligible & grade_1)
    out.qualify("GRADE_2_OR_GRADE_3_INTELLECTUAL_MENTAL", eligible & grade_2)
    return out.result(ctx, eligible, amount)


PROGRAM = Program(
    id="disability_care_subsidy",
    label="重度残疾人护理补贴",
    reference="上海市困难残疾人生活补贴和重度残疾人护理补贴（2025-08 区通知转引市通知）",
    rule="policy/README.md §6",
    level="person",
    reasons=reason_table(
        GRADE_1="持证一级残疾人",
        GRADE_2_OR_GRADE_3_INTELLECTUAL_MENTAL="持证二级残疾人，或三级智力/精神残疾人",
        NO_QUALIFYING_DISABILITY="未持有一级、二级或三级智力/精神残疾人证",
    ),
    depends_on=(),
    formula=evaluate,
    beneficiary_label="重度残疾人护理补贴对象",
    applications=True,
    automatic=False,
    payment="enrolment",
)
