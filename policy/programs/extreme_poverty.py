"""特困人员救助供养 (extreme_poverty) — person level.

Parameters: `policy/parameters/extreme_poverty/`.  Who (特困人员认定办法,
民发〔2021〕43号, art. 5, official): aged 60+, or under 16, or disabled on the
national list — intellectual or mental grade 1-3, physical (肢体) grade 1-2,
visual (视力) grade 1; hearing, speech and multiple disabilities are not on it;
with no capacity to work, no income source and no legal supporter able to
support.  Amount: the basic living standard ``extreme_poverty.standard``, a
dated table of the published figures (2023: 1970, 2024: 2075) and marked
assumptions for the other years — not a formula, since the published figures
fit no single rounding of 1.3 × dibao (REFERENCE §4).

Interpretations: "no income source" = monthly income 0; the cited documents name no
hukou condition, so none is applied (open question).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from policy.engine.context import EvaluationContext
from policy.engine.results import ProgramResult
from policy.engine.tables import DISABILITY_KINDS, KIND_INTELLECTUAL, KIND_MENTAL
from policy.programs.base import Program, ReasonCollector, reason_table

ELDERLY_AGE = 60
CHILD_AGE_BELOW = 16
STANDARD = "extreme_poverty.standard"
#: 特困人员认定办法 art. 5: the disability kinds and the most lenient grade that
#: count as "no capacity to work" (grade 1 is the most severe).
NO_WORK_CAPACITY_GRADES = {KIND_INTELLECTUAL: 3, KIND_MENTAL: 3, DISABILITY_KINDS["肢体"]: 2,
                           DISABILITY_KINDS["视力"]: 1}


#: The most lenient listed grade by kind code (0: kind not on the list).
_GRADE_LIMIT = np.zeros(8, dtype=np.int8)
for _kind, _grade in NO_WORK_CAPACITY_GRADES.items():
    _GRADE_LIMIT[_kind] = _grade
_GRADE_LIMIT.flags.writeable = False


def standard_fen(ctx: EvaluationContext) -> int | None:
    """The monthly basic living standard in force (None: missing)."""
    return ctx.param_fen(STANDARD)


def national_list_disability(ctx: EvaluationContext) -> np.ndarray:
    """Disabled on the national list of 特困人员认定办法 art. 5."""
    p = ctx.persons
    listed: np.ndarray = ctx.lasting("extreme_poverty.listed_disability", lambda: (
        (p.disability_grade >= 1) & (p.disability_grade <= _GRADE_LIMIT[p.disability_kind])))
    ctx.trace("extreme_poverty.listed_disability", "person", listed, unit="bool",
              inputs=("input.disability_grade", "input.disability_kind"),
              note="智力、精神残疾一至三级，肢体残疾一至二级，视力残疾一级（听力、言语、多重残疾不在名单内）")
    return listed


def evaluate(ctx: EvaluationContext, results: Mapping[str, ProgramResult]) -> ProgramResult:
    p = ctx.persons
    out = ReasonCollector(PROGRAM, ctx.person_count)
    age = ctx.age
    elderly = age >= ELDERLY_AGE
    child = age < CHILD_AGE_BELOW
    disabled = national_list_disability(ctx)
    category = elderly | disabled | child
    ctx.trace("extreme_poverty.category", "person", category, unit="bool",
              inputs=("age", "extreme_poverty.listed_disability"),
              note="年满60周岁，或属于认定办法所列残疾，或未满16周岁")
    out.fail("NOT_IN_SUPPORTED_CATEGORY", ~category)
    out.fail("ABLE_TO_WORK", p.able_to_work)
    out.fail("HAS_INCOME", p.monthly_income_fen > 0)
    out.fail("HAS_ABLE_SUPPORTER", p.has_able_supporter)
    standard = standard_fen(ctx)
    if standard is None:
        out.needs_missing(True)
    else:
        ctx.trace("extreme_poverty.standard", "person", lambda: np.full(ctx.person_count, standard),
                  unit="fen", parameters=(STANDARD,),
                  note="特困人员基本生活标准（按日期的参数表）")
    eligible = out.decide()
    out.qualify("AGE_60_OR_OVER", eligible & elderly)
    out.qualify("SEVERE_DISABILITY", eligible & disabled)
    out.qualify("UNDER_16", eligible & child)
    return out.result(ctx, eligible, standard or 0,
                      ("input.able_to_work", "input.monthly_income", "input.has_able_supporter"))


PROGRAM = Program(
    id="extreme_poverty",
    label="特困人员救助供养",
    reference="特困人员认定办法（民发〔2021〕43号）；国务院关于进一步健全特困人员救助供养制度的意见（国发〔2016〕14号）",
    rule="policy/README.md §4",
    level="person",
    reasons=reason_table(
        AGE_60_OR_OVER="年满60周岁，无劳动能力、无生活来源、无有能力的法定赡养抚养扶养人",
        SEVERE_DISABILITY="智力、精神残疾一至三级，肢体残疾一至二级或视力残疾一级，无劳动能力、无生活来源、"
                          "无有能力的法定赡养抚养扶养人",
        UNDER_16="未满16周岁，无生活来源、无有能力的法定抚养人",
        NOT_IN_SUPPORTED_CATEGORY="不属于老年人（60周岁以上）、认定办法所列残疾人或未满16周岁的未成年人",
        ABLE_TO_WORK="具有劳动能力",
        HAS_INCOME="有收入来源",
        HAS_ABLE_SUPPORTER="有具备赡养抚养扶养能力的法定义务人",
    ),
    depends_on=(),
    formula=evaluate,
    beneficiary_label="特困人员",
    applications=True,
    automatic=False,
    payment="enrolment",
)
