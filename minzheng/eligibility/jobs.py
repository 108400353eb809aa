"""The policy batch as a background job (``jobs``, ADR 0017): 全区批量测算.

Registered in ``EligibilityConfig.ready``. Its lock key is the month's
(``month:YYYY-MM``), shared with the monitoring run, which runs the batch
first: the same month's batch and monitoring run never run at once.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from minzheng.core.bounds import month_check
from minzheng.core.months import month_label
from minzheng.eligibility.services import decision_run_month, month_lock, month_lock_label
from minzheng.jobs.services import JobKind, Outcome, Progress

KIND = "policy_batch"


def _clean(params: dict[str, Any]) -> dict[str, Any]:
    return {"month": month_check(str(params.get("month", "")), "测算月份")}


def _run(actor: Any, params: dict[str, Any], progress: Progress) -> Outcome:
    run = decision_run_month(actor=actor, month=params["month"], progress=progress)
    return Outcome(
        summary=f"{month_label(run.month)}全区批量测算完成：{run.household_count} 户、{run.person_count} 人，"
                f"写入 {run.stored_rows} 条决定",
        url=f"{reverse('eligibility:runs')}?month={run.month}", link_label="查看测算结果", value=run)


POLICY_BATCH = JobKind(
    code=KIND, label="全区批量测算", permission="eligibility.run", run=_run, clean=_clean,
    describe=lambda params: f"测算月份：{month_label(params['month'])}",
    lock_key=month_lock, lock_label=month_lock_label)
