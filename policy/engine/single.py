"""Single-household evaluation = 1-household columns through ``evaluate_batch``.

The single path cannot diverge from the district batch: it builds the same
tables and calls the same function, then reshapes the columns into the output
JSON (and, with ``trace=True``, the shared ``trace_nodes`` table and each
result's root node id, ``policy.engine.trace``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from policy.engine.batch import evaluate_batch
from policy.engine.household_input import parse_household
from policy.engine.parameters import ParameterSet, load_parameters
from policy.engine.results import BatchResult
from policy.engine.trace import TraceRenderer
from policy.money import format_fen
from policy.months import Month
from policy.programs import PROGRAMS

if TYPE_CHECKING:
    from policy.grants import OneOffGrant


def evaluate_household(
    payload: Mapping[str, Any],
    *,
    trace: bool = False,
    cpi_lookup: Callable[[str], Mapping[str, Any] | None] | None = None,
    grants: Sequence[OneOffGrant] = (),
    parameters: ParameterSet | None = None,
) -> dict[str, Any]:
    """Validate one household payload and evaluate every program for its month.

    CPI: the payload's ``cpi`` if present, else ``cpi_lookup(month)``, else none
    (covered persons then get PARAMETER_MISSING for the price subsidy).  The
    figures applied to month M are those published for M − 1 (REFERENCE §9):
    the platform's ``cpi_lookup`` answers with month M − 1's record.
    """
    parsed = parse_household(payload)
    month = str(parsed.month)
    cpi = parsed.cpi if parsed.cpi is not None else (cpi_lookup(month) if cpi_lookup else None)
    params = parameters if parameters is not None else load_parameters()
    batch = evaluate_batch(month, parsed.households, parsed.persons, cpi=cpi, grants=grants,
                           parameters=params, trace=trace)
    return household_output(batch, parsed.household_id, parsed.person_ids, params)


def household_output(
    batch: BatchResult, household_id: str, person_ids: Sequence[str], params: ParameterSet
) -> dict[str, Any]:
    """Reshape a 1-household BatchResult into the documented output dict."""
    renderer = None
    if batch.trace is not None:
        renderer = TraceRenderer(batch.trace, params.in_force(Month.parse(batch.month)), person_ids,
                                 batch.household_index)
    results = []
    household_rows: list[str | None] = [None]
    for program_id, result in batch.programs.items():
        parameters = [use.as_json() for use in result.parameters]
        program = PROGRAMS.get(program_id)
        texts = _reason_texts(program_id, program.reasons if program else None)
        root = renderer.root(program_id) if renderer is not None else None
        row_persons = household_rows if result.level == "household" else person_ids
        eligible, amounts, masks = result.eligible.tolist(), result.amount_fen.tolist(), result.reasons.tolist()
        for row, person_id in enumerate(row_persons):
            entry: dict[str, Any] = {
                "program": program_id,
                "person": person_id,
                "eligible": eligible[row],
                "amount_yuan": format_fen(amounts[row]),
                "reasons": [{"code": code, "text": texts[code]} for code in result.codes(masks[row])],
                "parameters": parameters,
            }
            if root is not None:
                entry["trace"] = root
            results.append(entry)
    output: dict[str, Any] = {
        "month": batch.month,
        "household": household_id,
        "parameter_set": batch.parameter_set,
        "rules_version": batch.rules_version,
        "results": results,
    }
    if renderer is not None:
        output["trace_nodes"] = renderer.nodes
    return output


def _reason_texts(program_id: str, reasons: Mapping[str, str] | None) -> Mapping[str, str]:
    if reasons is not None:
        return reasons
    from policy.grants import GRANT_REASONS

    return GRANT_REASONS
