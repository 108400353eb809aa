"""Explaining a stored decision: re-evaluate one household from the run's
input snapshot (same inputs, CPI and grants) with the trace, and compare
with the stored rows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.core.files.storage import default_storage

from minzheng.eligibility.cpi_months import cpi_used_text
from minzheng.eligibility.inputs import household_payload, snapshot_load
from minzheng.eligibility.models import Decision, DecisionRun, RunStatus
from policy import OneOffGrant, evaluate_household
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
    result = evaluate_household(payload, trace=trace, grants=grants)
    stored = {
        (d.program, str(d.person_id) if d.person_id else None): d
        for d in Decision.objects.filter(run=run, household_id=household_id)
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
    if result["parameter_set"] != run.parameter_set:
        mismatches.append(f"参数集不同：重算 {result['parameter_set'][:12]}，存储 {run.parameter_set[:12]}")
    return Explanation(run_id=run.pk, result=result, compared=len(stored), mismatches=mismatches,
                       cpi_text=cpi_used_text(run.cpi_month, run.cpi))
