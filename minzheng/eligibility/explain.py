"""Explaining a stored decision: re-evaluate one household from the run's
input snapshot (same inputs, CPI and grants) with the trace, and compare
with the stored rows.

The parameters are the run's own: a run stores ``in_force_json(month)``
(``DecisionRun.parameters_in_force``) and is re-evaluated with
``policy.parameters_from_in_force``, checked against the run's hash, so a
later change of the parameter files does not change its explanation. Runs
made before that was kept are re-evaluated with the current files; where the
parameter set or the rules version (``policy.RULES_VERSION``) differ from the
run's, the mismatch list says so (参数集不同 / 规则版本不同)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.core.files.storage import default_storage

from minzheng.eligibility.cpi_months import cpi_used_text
from minzheng.eligibility.inputs import household_payload, snapshot_load
from minzheng.eligibility.models import DecisionRun, RunStatus
from minzheng.eligibility.selectors import run_decisions
from policy import (
    RULES_VERSION,
    OneOffGrant,
    ParameterSet,
    evaluate_household,
    parameters_from_in_force,
)
from policy.errors import ParameterFileError
from policy.money import format_fen


@dataclass
class Explanation:
    run_id: int
    result: dict
    compared: int
    mismatches: list[str]
    cpi_text: str = ""


def current_run(month: str) -> DecisionRun | None:
    return DecisionRun.objects.filter(month=month, status=RunStatus.CURRENT).first()


def explain_stored_household(*, month: str, household_id: int, trace: bool = True) -> Explanation:
    run = current_run(month)
    if run is None:
        raise LookupError(f"{month} 没有批量测算结果，请先运行 minzheng policy batch --month {month}")
    with default_storage.open(run.snapshot, "rb") as handle:
        cols = snapshot_load(handle.read())
    rows = np.flatnonzero(cols.household_id == household_id)
    if len(rows) == 0:
        raise LookupError(f"家庭 {household_id} 不在 {month} 的批量测算中")
    payload = household_payload(cols, int(rows[0]), month=month)
    if run.cpi:  # the figures the run used (month M − 1's when it ran), never today's table
        payload["cpi"] = run.cpi
    grants = [OneOffGrant(name=g["name"], label=g["label"], month=month, amount_fen=g["amount_fen"],
                          target_groups=tuple(g["target_groups"])) for g in run.grants]
    parameters, notes = run_parameters(run)
    result = evaluate_household(payload, trace=trace, grants=grants, parameters=parameters)
    stored = {
        (d.program, str(d.person_id) if d.person_id else None): d
        for d in run_decisions(run).filter(household_id=household_id)
    }
    mismatches = []
    for item in result["results"]:
        decision = stored.get((item["program"], item["person"]))
        if decision is None:
            continue  # screened-out person rows are not stored
        codes = [r["code"] for r in item["reasons"]]
        vocabulary = run.reason_vocabulary.get(item["program"], [])
        stored_codes = [c for bit, c in enumerate(vocabulary) if decision.reason_mask >> bit & 1]
        if (item["eligible"], item["amount_yuan"], codes) != (decision.eligible, format_fen(decision.amount_fen), stored_codes):
            mismatches.append(f"{item['program']} {item['person'] or ''}: 重算 {item['eligible']}/{item['amount_yuan']}/{codes}，"
                              f"存储 {decision.eligible}/{format_fen(decision.amount_fen)}/{stored_codes}")
    mismatches.extend(notes)
    if result["parameter_set"] != run.parameter_set:
        mismatches.append(f"参数集不同：重算 {result['parameter_set'][:12]}，存储 {run.parameter_set[:12]}"
                          + ("（该批次未保存当时的参数，按现行参数重算）" if not run.parameters_in_force else ""))
    if run.rules_version != RULES_VERSION:
        mismatches.append(f"规则版本不同：重算按现行规则 {RULES_VERSION}，批次按规则 {run.rules_version}")
    return Explanation(run_id=run.pk, result=result, compared=len(stored), mismatches=mismatches,
                       cpi_text=cpi_used_text(run.cpi_month, run.cpi))


def run_parameters(run: DecisionRun) -> tuple[ParameterSet | None, list[str]]:
    """The parameter set to explain ``run`` with: rebuilt from its stored
    ``parameters_in_force`` when its hash is the run's ``parameter_set``;
    otherwise None (the current files) and a note why."""
    if not run.parameters_in_force:
        return None, []
    try:
        parameters = parameters_from_in_force(run.month, run.parameters_in_force)
        rebuilt = parameters.hash_for(run.month)
    except (KeyError, TypeError, ValueError, ArithmeticError, StopIteration, ParameterFileError):
        return None, ["批次保存的参数无法读取，按现行参数重算"]
    if rebuilt != run.parameter_set:
        return None, [f"批次保存的参数与其参数集哈希不符（{rebuilt[:12]} ≠ {run.parameter_set[:12]}），按现行参数重算"]
    return parameters, []
