"""The one evaluation path: all programs for one month over columnar inputs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from policy.engine.context import Cpi, EvaluationContext
from policy.engine.parameters import ParameterSet, load_parameters
from policy.engine.results import BatchResult, ProgramResult
from policy.engine.tables import HouseholdTable, PersonTable
from policy.errors import InputError
from policy.months import Month
from policy.programs import PROGRAMS
from policy.version import RULES_VERSION

if TYPE_CHECKING:
    from policy.grants import OneOffGrant


def evaluate_batch(
    month: str,
    households: HouseholdTable,
    persons: PersonTable,
    *,
    cpi: Mapping[str, Any] | None,
    grants: Sequence[OneOffGrant] = (),
    parameters: ParameterSet | None = None,
    trace: bool = False,
) -> BatchResult:
    """Evaluate every program (and the month's one-off grants) for all rows.

    ``cpi``: ``{"all_yoy_pct": …, "food_yoy_pct": …}`` — the figures to apply
    to this month's price subsidy (REFERENCE §9: those published for month
    M − 1; the platform picks them), or None.
    Grants whose ``month`` differs from ``month`` are ignored.  ``trace`` records
    the dependency trace (meant for the single-household path).
    """
    try:
        parsed_month = Month.parse(month)
    except ValueError as error:
        raise InputError([{"field": "month", "message": str(error)}]) from None
    parsed_cpi = parse_cpi(cpi, "cpi")
    params = parameters if parameters is not None else load_parameters()
    ctx = EvaluationContext(parsed_month, params, households, persons, parsed_cpi, trace)
    results: dict[str, ProgramResult] = {}
    for program_id, program in PROGRAMS.items():
        results[program_id] = program.evaluate(ctx, results)
    for grant in grants:
        if grant.month == str(parsed_month):
            grant_program = grant.program()
            results[grant_program.id] = grant_program.evaluate(ctx, results)
    return BatchResult(
        month=str(parsed_month),
        parameter_set=params.hash_for(parsed_month),
        rules_version=RULES_VERSION,
        household_count=len(households),
        person_count=len(persons),
        household_index=persons.household_index,
        programs=results,
        trace=ctx.recorder,
    )


def parse_cpi(cpi: Mapping[str, Any] | None, path: str) -> Cpi | None:
    """Validate a CPI dict (both rises, in percent; may be negative)."""
    if cpi is None:
        return None
    if not isinstance(cpi, Mapping):
        raise InputError([{"field": path, "message": "应为对象 {all_yoy_pct, food_yoy_pct}"}])
    problems = [
        {"field": f"{path}.{key}", "message": "未知字段"}
        for key in cpi
        if key not in ("all_yoy_pct", "food_yoy_pct")
    ]
    values: dict[str, Decimal] = {}
    for key in ("all_yoy_pct", "food_yoy_pct"):
        raw = cpi.get(key)
        try:
            if isinstance(raw, bool) or not isinstance(raw, (int, float, str, Decimal)):
                raise InvalidOperation
            value = Decimal(str(raw))
            if not value.is_finite():
                raise InvalidOperation
            values[key] = value
        except InvalidOperation:
            problems.append({"field": f"{path}.{key}", "message": "应为同比涨幅百分数（数字）"})
    if problems:
        raise InputError(problems)
    return Cpi(values["all_yoy_pct"], values["food_yoy_pct"])
