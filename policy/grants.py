"""One-off grants (e.g. the Spring Festival grant) defined as DATA.

A grant is person-level and paid once, in its month, to every person in ANY of
its target groups.  Program id: ``one_off:<name>``.  Target-group vocabulary
(``TARGET_GROUPS``):

* program ids: ``dibao`` (dibao beneficiaries: hukou members of a dibao
  household not in extreme poverty), ``low_income``, ``expense_poverty``
  (hukou members of such households), ``extreme_poverty``,
  ``severe_disability_unemployed``, ``disability_living_subsidy``,
  ``disability_care_subsidy``, ``child_basic_living``, ``elderly_allowance``,
  ``price_subsidy`` (persons eligible that month);
* input flags: ``unemployment_insurance``, ``youfu``.

No grant amount is fixed by a standing rule, so none ships with the package:
grants come from the caller (in the platform, the rows the bureau enters on the
"一次性补助" page, ``minzheng.eligibility.models.GrantDefinition``), each naming
the document that decided it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from policy.engine.context import EvaluationContext
from policy.engine.results import ProgramResult
from policy.months import Month
from policy.programs import PROGRAMS
from policy.programs.base import Program, ReasonCollector, reason_table
from policy.programs.memberships import FLAG_GROUPS, membership

TARGET_GROUPS: tuple[str, ...] = (*PROGRAMS, *FLAG_GROUPS)
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

GRANT_REASONS = reason_table(
    IN_TARGET_GROUP="属于本次一次性补助的发放对象",
    NOT_IN_TARGET_GROUP="不属于本次一次性补助的发放对象",
)


@dataclass(frozen=True)
class OneOffGrant:
    """A one-off grant: paid in ``month`` (``YYYY-MM``) to persons in any target group."""

    name: str
    label: str
    month: str
    amount_fen: int
    target_groups: tuple[str, ...]
    reference: str = ""

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"grant name {self.name!r}: use lower_snake_case")
        Month.parse(self.month)
        if not isinstance(self.amount_fen, int) or self.amount_fen < 0:
            raise ValueError("amount_fen must be a non-negative int")
        unknown = set(self.target_groups) - set(TARGET_GROUPS)
        if unknown or not self.target_groups:
            raise ValueError(f"unknown or empty target groups {sorted(unknown)}; use {TARGET_GROUPS}")

    @property
    def program_id(self) -> str:
        return f"one_off:{self.name}"

    def program(self) -> Program:
        """The grant as a person-level Program (same result shape as the others)."""

        def formula(ctx: EvaluationContext, results: Mapping[str, ProgramResult]) -> ProgramResult:
            return _evaluate(self, program, ctx, results)

        program = Program(
            id=self.program_id,
            label=self.label,
            reference=self.reference or "一次性补助发放通知",
            rule="one-off grant (data)",
            level="person",
            reasons=GRANT_REASONS,
            depends_on=tuple(g for g in self.target_groups if g in PROGRAMS),
            formula=formula,
            beneficiary_label=f"{self.label}发放对象",
            applications=False,
            automatic=False,
            payment="decision",
        )
        return program


def _evaluate(
    grant: OneOffGrant, program: Program, ctx: EvaluationContext, results: Mapping[str, ProgramResult]
) -> ProgramResult:
    n = ctx.person_count
    out = ReasonCollector(program, n)
    member = np.zeros(n, dtype=np.bool_)
    unknown = np.zeros(n, dtype=np.bool_)
    for group in grant.target_groups:
        known, unsure = membership(ctx, results, group)
        member |= known
        if unsure is not ctx.no_person:
            unknown |= unsure
    ctx.trace(f"{program.id}.in_target_group", "person", member, unit="bool",
              inputs=tuple(g for g in grant.target_groups if g in results or g in FLAG_GROUPS),
              note="属于任一发放对象群体：" + "、".join(grant.target_groups))
    out.fail("NOT_IN_TARGET_GROUP", ~(member | unknown))
    out.needs_missing(unknown & ~member)
    eligible = out.decide()
    out.qualify("IN_TARGET_GROUP", eligible)
    return out.result(ctx, eligible, grant.amount_fen)
