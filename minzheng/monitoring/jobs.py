"""The monthly monitoring run as a background job (``jobs``, ADR 0017): 动态监测.

Registered in ``MonitoringConfig.ready``. It shares the month's lock key
with the policy batch (it runs the batch first), so a second start for the
same month — from another tab, another user or the command line — is
refused while one is queued or running (this replaced the per-process
``run_guard`` of issue 9).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse

from minzheng.core.bounds import month_check
from minzheng.core.months import month_label
from minzheng.eligibility.services import month_lock, month_lock_label
from minzheng.jobs.services import JobKind, Outcome, Progress
from minzheng.monitoring.monitor_runs import monitor_run_month

KIND = "monitoring_run"

# What the summary names, in this order (a run's stored counts, district-wide).
COUNT_LABELS = (("leads", "政策找人线索", "条"), ("exit_reviews", "应退尽退核实", "条"),
                ("auto_enrolments", "免申即享纳入", "人"), ("risk_tasks", "风险跟进任务", "条"),
                ("edge_households", "边缘家庭", "户"), ("death_stops", "因死亡停发", "人"))


def _clean(params: dict[str, Any]) -> dict[str, Any]:
    today = params.get("today") or ""
    if today:
        try:
            today = dt.date.fromisoformat(str(today)).isoformat()
        except ValueError as err:
            raise ValidationError(f"执行日期“{str(today)[:20]}”无效，应为 YYYY-MM-DD") from err
    on = dt.date.fromisoformat(today) if today else None
    return {"month": month_check(str(params.get("month", "")), "监测月份", on=on), "today": today,
            "reuse_batch": bool(params.get("reuse_batch", False))}


def _describe(params: dict[str, Any]) -> str:
    text = f"监测月份：{month_label(params['month'])}"
    if params.get("reuse_batch"):
        text += "；沿用该月已有的批量测算结果"
    if params.get("today"):
        day = dt.date.fromisoformat(params["today"])
        text += f"；执行日期：{day.year}年{day.month}月{day.day}日"
    return text


def _run(actor: Any, params: dict[str, Any], progress: Progress) -> Outcome:
    today = dt.date.fromisoformat(params["today"]) if params.get("today") else None
    run = monitor_run_month(actor=actor, month=params["month"], today=today, run_batch=not params.get("reuse_batch"),
                            progress=progress)
    created = "、".join(f"{label} {run.counts.get(key, 0)} {unit}" for key, label, unit in COUNT_LABELS)
    return Outcome(summary=f"{month_label(run.month)}动态监测已完成（全区新建：{created}）",
                   url=reverse("monitoring:dashboard"), link_label="查看救助工作台", value=run)


MONITORING_RUN = JobKind(
    code=KIND, label="动态监测", permission="monitoring.run", run=_run, clean=_clean, describe=_describe,
    lock_key=month_lock, lock_label=month_lock_label)
