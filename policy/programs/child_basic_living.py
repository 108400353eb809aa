"""散居孤儿和事实无人抚养儿童基本生活费 (child_basic_living) — person level.

Parameters: `policy/parameters/child_basic_living/`: 1,800 yuan per month from 2018-01-01 (official,
shanghai.gov.cn).  Who: under 18 (age on the last day of the month), not living
in a welfare institution, and an orphan (both parents dead or missing) or a de
facto unsupported child (事实无人抚养).  The cited documents name no hukou condition, so
none is applied (open question).
"""

from __future__ import annotations

from collections.abc import Mapping

from policy.engine.context import EvaluationContext
from policy.engine.results import ProgramResult
from policy.programs.base import Program, ReasonCollector, reason_table

AGE_BELOW = 18
AMOUNT = "child_basic_living.amount"


def evaluate(ctx: EvaluationContext, results: Mapping[str, ProgramResult]) -> ProgramResult:
    p = ctx.persons
    out = ReasonCollector(PROGRAM, ctx.person_count)
    out.fail("AGE_18_OR_OVER", ctx.age >= AGE_BELOW)
    out.fail("IN_INSTITUTION", p.in_institution)
    out.fail("NOT_ORPHAN_OR_UNSUPPORTED", ~(p.orphan | p.unsupported_child))
    amount = ctx.param_fen(AMOUNT)
    if amount is None:
        out.needs_missing(True)
    ctx.trace("child_basic_living.conditions", "person",
              lambda: (ctx.age < AGE_BELOW) & ~p.in_institution & (p.orphan | p.unsupported_child),
              unit="bool",
              inputs=("age", "input.in_institution", "input.orphan", "input.unsupported_child"),
              parameters=(AMOUNT,), note="未满18周岁、非机构养育、孤儿或事实无人抚养")
    eligible = out.decide()
    out.qualify("ORPHAN", eligible & p.orphan)
    out.qualify("UNSUPPORTED_CHILD", eligible & p.unsupported_child)
    return out.result(ctx, eligible, amount or 0)


PROGRAM = Program(
    id="child_basic_living",
    label="散居孤儿和事实无人抚养儿童基本生活费",
    reference="上海市散居孤儿和事实无人抚养儿童基本生活保障（shanghai.gov.cn）",
    rule="policy/README.md §7",
    level="person",
    reasons=reason_table(
        ORPHAN="未满18周岁的散居孤儿",
        UNSUPPORTED_CHILD="未满18周岁的事实无人抚养儿童",
        AGE_18_OR_OVER="已满18周岁",
        IN_INSTITUTION="在福利机构集中养育",
        NOT_ORPHAN_OR_UNSUPPORTED="非孤儿，也非事实无人抚养儿童",
    ),
    depends_on=(),
    formula=evaluate,
    beneficiary_label="散居孤儿和事实无人抚养儿童",
    applications=True,
    automatic=True,
    payment="enrolment",
)
