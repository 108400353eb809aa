"""困难残疾人生活补贴 (disability_living_subsidy) — person level.

Parameters: `policy/parameters/disability_living_subsidy/`.  Needs a valid disability certificate (grade 1-4).  Routes:

* dibao beneficiary (hukou member of a dibao household, not in extreme
  poverty): 300 before 2021-08-01, 410 from 2021-08-01, 450 from 2025-07-01;
* 重残无业 (``severe_disability_unemployed`` eligible): 330 before 2021-08-01,
  then as above;
* member of a low-income (低保边缘) household: 320 from 2025-07-01; before
  that no cited document gives a rate, so PARAMETER_MISSING.

A person on several routes gets the highest known rate.  PARAMETER_MISSING only
when no route yields a known rate and some route is true-but-unpriced or of
unknown status.  The pre-2021-08 rates carry an assumed start date (2019-04-01).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from policy.engine.context import EvaluationContext
from policy.engine.results import ProgramResult
from policy.programs.base import Program, ReasonCollector, reason_table
from policy.programs.memberships import membership
from policy.programs.rate_selection import best_rate_code

ROUTES = (
    ("dibao", "disability_living_subsidy.dibao_rate", "DIBAO_BENEFICIARY"),
    ("severe_disability_unemployed", "disability_living_subsidy.severe_unemployed_rate",
     "SEVERE_DISABILITY_UNEMPLOYED"),
    ("low_income", "disability_living_subsidy.low_income_rate", "LOW_INCOME_HOUSEHOLD"),
)


def evaluate(ctx: EvaluationContext, results: Mapping[str, ProgramResult]) -> ProgramResult:
    n = ctx.person_count
    out = ReasonCollector(PROGRAM, n)
    certificate = ctx.persons.disability_grade > 0
    out.fail("NO_DISABILITY_CERTIFICATE", ~certificate)
    in_any = np.zeros(n, dtype=np.bool_)
    unresolved = np.zeros(n, dtype=np.bool_)
    qualifying: list[tuple[str, NDArray[np.bool_], int]] = []
    for group, parameter, code in ROUTES:
        member, unknown = membership(ctx, results, group)
        in_any |= member
        if unknown is not ctx.no_person:  # some status is PARAMETER_MISSING
            in_any |= unknown
            unresolved |= unknown
        member = member & certificate
        rate = ctx.param_fen(parameter)
        if rate is None:
            unresolved |= member
            continue
        qualifying.append((code, member, rate))
        ctx.trace(f"disability_living_subsidy.route_{group}", "person", member, unit="bool",
                  inputs=(group, "input.disability_grade"), parameters=(parameter,),
                  note=f"补贴途径：{PROGRAM.reasons[code]}")
    best, rates = best_rate_code([m for _, m, _ in qualifying], [r for _, _, r in qualifying], n)
    priced = best > 0
    out.fail("NOT_IN_COVERED_GROUP", ~in_any)
    out.needs_missing(unresolved & ~priced)
    eligible = out.decide()
    for code, member, _ in qualifying:
        out.qualify(code, eligible & member)
    amount = np.take(np.array(rates, dtype=np.int64), best.astype(np.intp))
    return out.result(ctx, eligible, amount, ("input.disability_grade",))


PROGRAM = Program(
    id="disability_living_subsidy",
    label="困难残疾人生活补贴",
    reference="上海市困难残疾人生活补贴和重度残疾人护理补贴（shine.cn 2021-08；2025-08 区通知转引市通知）",
    rule="policy/README.md §6",
    level="person",
    reasons=reason_table(
        DIBAO_BENEFICIARY="持证残疾人，属低保家庭保障对象",
        SEVERE_DISABILITY_UNEMPLOYED="持证残疾人，属重残无业人员",
        LOW_INCOME_HOUSEHOLD="持证残疾人，属低收入（低保边缘）家庭成员",
        NO_DISABILITY_CERTIFICATE="未持有有效残疾人证",
        NOT_IN_COVERED_GROUP="非低保对象、重残无业人员或低收入家庭成员",
    ),
    depends_on=("dibao", "extreme_poverty", "severe_disability_unemployed", "low_income"),
    formula=evaluate,
    beneficiary_label="困难残疾人生活补贴对象",
    applications=True,
    automatic=False,
    payment="enrolment",
)
