"""特困人员救助供养 (extreme_poverty) — person level.

Parameters: `policy/parameters/extreme_poverty/`.  Who: aged 60+, or disabled (grade 1-2, or grade 3
intellectual/mental), or under 16; with no capacity to work, no income source
and no legal supporter able to support (特困人员认定办法, 民发〔2021〕43号).
Amount: the basic living standard, encoded as exactly 1.3 × the dibao standard
(the floor set by 国发〔2016〕14号; assumption), rounded UP to whole yuan.

Interpretations: "no income source" = monthly income 0; the cited documents name no
hukou condition, so none is applied (open question).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from policy.engine.context import EvaluationContext
from policy.engine.results import ProgramResult
from policy.money import FEN_PER_YUAN, scale_fen_ceil
from policy.programs.base import Program, ReasonCollector, reason_table

ELDERLY_AGE = 60
CHILD_AGE_BELOW = 16
STANDARD = "dibao.standard"
RATIO = "extreme_poverty.standard_ratio"


def standard_fen(ctx: EvaluationContext) -> int | None:
    """The monthly basic living standard: ⌈dibao standard × ratio⌉ to whole yuan."""
    dibao = ctx.param_fen(STANDARD)
    ratio = ctx.param_decimal(RATIO)
    if dibao is None or ratio is None:
        return None
    return scale_fen_ceil(dibao, ratio, FEN_PER_YUAN)


def evaluate(ctx: EvaluationContext, results: Mapping[str, ProgramResult]) -> ProgramResult:
    p = ctx.persons
    out = ReasonCollector(PROGRAM, ctx.person_count)
    age = ctx.age
    elderly = age >= ELDERLY_AGE
    child = age < CHILD_AGE_BELOW
    disabled = ctx.severe_disability
    category = elderly | disabled | child
    ctx.trace("extreme_poverty.category", "person", category, unit="bool",
              inputs=("age", "person.severe_disability"),
              note="年满60周岁，或一、二级残疾/三级智力精神残疾，或未满16周岁")
    out.fail("NOT_IN_SUPPORTED_CATEGORY", ~category)
    out.fail("ABLE_TO_WORK", p.able_to_work)
    out.fail("HAS_INCOME", p.monthly_income_fen > 0)
    out.fail("HAS_ABLE_SUPPORTER", p.has_able_supporter)
    standard = standard_fen(ctx)
    if standard is None:
        out.needs_missing(True)
    else:
        ctx.trace("extreme_poverty.standard", "person", lambda: np.full(ctx.person_count, standard),
                  unit="fen", parameters=(STANDARD, RATIO),
                  note="低保标准 × 1.3，向上取整到元")
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
        SEVERE_DISABILITY="一、二级残疾或三级智力/精神残疾，无劳动能力、无生活来源、无有能力的法定赡养抚养扶养人",
        UNDER_16="未满16周岁，无生活来源、无有能力的法定抚养人",
        NOT_IN_SUPPORTED_CATEGORY="不属于老年人（60周岁以上）、重度残疾人或未满16周岁的未成年人",
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
