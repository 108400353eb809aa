"""Person-level membership of a group, derived from program results.

Used by the disability living subsidy, the price subsidy and one-off grants.
Each membership is tri-state: ``member`` (known yes) and ``unknown`` (the
status is PARAMETER_MISSING); everything else is known no.

* person-level program: eligible persons.
* household-level program: the household's Shanghai-hukou members (only hukou
  members are beneficiaries); for ``dibao`` also excluding persons in
  extreme-poverty support (project convention).
* ``unemployment_insurance`` / ``unemployment_subsidy`` / ``youfu``: the input flags.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from policy.engine.context import EvaluationContext
from policy.engine.results import ProgramResult

FLAG_GROUPS = ("unemployment_insurance", "unemployment_subsidy", "youfu")
FLAG_GROUP_LABELS = {"unemployment_insurance": "领取失业保险金人员", "unemployment_subsidy": "领取失业补助金人员",
                     "youfu": "优抚对象"}

Membership = tuple[NDArray[np.bool_], NDArray[np.bool_]]


def membership(ctx: EvaluationContext, results: Mapping[str, ProgramResult], group: str) -> Membership:
    """``(member, unknown)`` person masks for ``group`` (computed once per
    evaluation: the disability subsidy, the price subsidy and grants share them).
    The masks are shared; combine them into new arrays.  ``unknown`` is
    ``ctx.no_person`` (identity) when no status is missing."""
    return ctx.cached(f"membership:{group}", lambda: _membership(ctx, results, group))


def _membership(ctx: EvaluationContext, results: Mapping[str, ProgramResult], group: str) -> Membership:
    p = ctx.persons
    if group in FLAG_GROUPS:
        flag: NDArray[np.bool_] = getattr(p, group)
        return flag, ctx.no_person
    result = results[group]
    if result.level == "person":
        return result.eligible, result.missing if result.missing.any() else ctx.no_person
    member = p.hukou_shanghai & ctx.to_persons(result.eligible)
    missing = result.missing
    unknown = p.hukou_shanghai & ctx.to_persons(missing) if missing.any() else ctx.no_person
    if group == "dibao":
        member &= ~results["extreme_poverty"].eligible
    return member, unknown
