"""养老服务补贴 (elderly_care_subsidy) — person level.

REFERENCE §10 (secondary, date unknown): monthly, by care-needs level
(老年照护统一需求评估, 照护等级 1-6) and household status:

======== ===== ==========
level    dibao low-income
======== ===== ==========
1        1,110 888
2-4      1,036 740
5-6      740   444
======== ===== ==========

Parameters: `policy/parameters/elderly_care_subsidy/` (six scalars, yuan per
month, encoded from 2019-04-01 by the project convention for undated values,
hence unverified; an earlier month gives PARAMETER_MISSING).

Interpretations (docs/adr/0031-elderly-care-subsidy.md):

* Household status is read as the other programs' memberships
  (``programs/memberships.py``): a dibao beneficiary (Shanghai-hukou member of
  a dibao household, not in extreme-poverty support) gets the dibao rate; a
  member of a low-income household the low-income rate.  Anyone else is not
  in the covered group (ineligible, not missing).  An upstream status that is
  PARAMETER_MISSING makes the row PARAMETER_MISSING.
* The assessment counts for month M when it is dated on or before the 1st of
  M (facts in force on the 1st, like the parameters and the registry's dated
  facts); one dated later is ``ASSESSMENT_NOT_YET_VALID``.  No assessment:
  ``NOT_ASSESSED``.  REFERENCE gives no validity period, so none is applied.
* REFERENCE names no age or hukou condition of its own; none is applied
  beyond what the household status implies.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from policy.engine.context import EvaluationContext
from policy.engine.results import ProgramResult
from policy.programs.base import Program, ReasonCollector, reason_table
from policy.programs.memberships import membership

BANDS = ("level_1", "levels_2_4", "levels_5_6")
#: care level 0-6 → band index (0 = none, 1 = level 1, 2 = levels 2-4, 3 = levels 5-6)
BAND_OF_LEVEL = np.array([0, 1, 2, 2, 2, 3, 3], dtype=np.intp)
STATUSES = (("dibao", "DIBAO_HOUSEHOLD"), ("low_income", "LOW_INCOME_HOUSEHOLD"))


def parameter_name(status: str, band: str) -> str:
    return f"elderly_care_subsidy.{status}_{band}"


def evaluate(ctx: EvaluationContext, results: Mapping[str, ProgramResult]) -> ProgramResult:
    p = ctx.persons
    n = ctx.person_count
    out = ReasonCollector(PROGRAM, n)
    level = p.care_level
    assessed = level > 0
    first_day = np.datetime64(ctx.month.first_day.isoformat(), "D")
    not_yet = assessed & (p.care_assessed_on > first_day)
    valid = assessed & ~not_yet
    out.fail("NOT_ASSESSED", ~assessed)
    out.fail("ASSESSMENT_NOT_YET_VALID", not_yet)
    band = BAND_OF_LEVEL[np.where(valid, level, 0).astype(np.intp)]
    ctx.trace("elderly_care_subsidy.band", "person", band, unit="code",
              inputs=("input.care_level", "input.care_assessed_on"),
              note=f"照护等级档次（1：一级；2：二至四级；3：五至六级；0：无{ctx.month.first_day.isoformat()}前的评估）")
    dibao, dibao_unknown = membership(ctx, results, "dibao")
    low, low_unknown = membership(ctx, results, "low_income")
    low = low & ~dibao  # a dibao beneficiary is paid at the dibao rate
    covered = dibao | low
    unknown = (dibao_unknown | low_unknown) & ~covered
    out.fail("NOT_IN_COVERED_GROUP", ~covered & ~unknown)
    out.needs_missing(unknown)
    # code = status (0 none, 1 dibao, 2 low-income) × 4 + band: one gather from a 12-row table
    code = (dibao.view(np.int8) + 2 * low.view(np.int8)).astype(np.intp) * 4 + band
    rates = np.zeros(12, dtype=np.int64)
    missing = np.zeros(12, dtype=np.bool_)
    for s_index, (status, _) in enumerate(STATUSES, start=1):
        for b_index, b in enumerate(BANDS, start=1):
            rate = ctx.param_fen(parameter_name(status, b))
            if rate is None:
                missing[s_index * 4 + b_index] = True
            else:
                rates[s_index * 4 + b_index] = rate
    if missing.any():
        out.needs_missing(missing[code])
    amount = rates[code]
    ctx.trace("elderly_care_subsidy.rate", "person", amount, unit="fen",
              inputs=("dibao", "low_income", "elderly_care_subsidy.band"),
              parameters=tuple(parameter_name(status, b) for status, _ in STATUSES for b in BANDS),
              note="按家庭状况（低保/低收入）和照护等级档次的月补贴标准")
    eligible = out.decide()
    for status, reason in STATUSES:
        out.qualify(reason, eligible & (dibao if status == "dibao" else low))
    return out.result(ctx, eligible, amount, ("input.care_level",))


PROGRAM = Program(
    id="elderly_care_subsidy",
    label="养老服务补贴",
    reference="上海市养老服务补贴（按老年照护统一需求评估等级和家庭经济状况；转引资料，起始日期不详）",
    rule="policy/README.md §10",
    level="person",
    reasons=reason_table(
        DIBAO_HOUSEHOLD="经照护需求评估，属低保家庭保障对象",
        LOW_INCOME_HOUSEHOLD="经照护需求评估，属低收入困难家庭成员",
        NOT_ASSESSED="未经老年照护统一需求评估（无照护等级）",
        ASSESSMENT_NOT_YET_VALID="照护需求评估日期晚于该月1日，该月尚不适用（自评估日后的首个1日所在月份起计）",
        NOT_IN_COVERED_GROUP="非低保对象或低收入困难家庭成员",
    ),
    depends_on=("dibao", "extreme_poverty", "low_income"),
    formula=evaluate,
    beneficiary_label="养老服务补贴对象",
    applications=True,
    automatic=False,
    payment="enrolment",
)
