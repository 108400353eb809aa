"""The daily expiry of divorce applications as a background job (ADR 0017):
离婚申请到期视为撤回 (民法典 art. 1077 ¶2). Registered in ``MarriageConfig.ready``;
``minzheng marriage expire`` runs it on the command line. Idempotent: a second
run the same day closes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from minzheng.jobs.services import JobKind, Outcome, Progress
from minzheng.marriage.services import divorce_expire

KIND = "marriage_expire"


def _clean(params: dict[str, Any]) -> dict[str, Any]:
    today = params.get("today") or ""
    if today:
        try:
            today = dt.date.fromisoformat(str(today)).isoformat()
        except ValueError as err:
            raise ValidationError(f"执行日期“{str(today)[:20]}”无效，应为 YYYY-MM-DD") from err
    return {"today": today}


def _describe(params: dict[str, Any]) -> str:
    if params.get("today"):
        day = dt.date.fromisoformat(params["today"])
        return f"执行日期：{day.year}年{day.month}月{day.day}日"
    return "执行日期：当天"


def _run(actor: Any, params: dict[str, Any], progress: Progress) -> Outcome:
    today = dt.date.fromisoformat(params["today"]) if params.get("today") else None
    progress("离婚申请到期处理", 0, 1)
    closed = divorce_expire(actor=actor, today=today)
    progress("离婚申请到期处理", 1, 1)
    return Outcome(summary=f"到场期限已过、视为撤回的离婚登记申请：{closed} 件", value=closed)


MARRIAGE_EXPIRE = JobKind(code=KIND, label="离婚申请到期视为撤回", permission="marriage.expire", run=_run,
                          clean=_clean, describe=_describe, lock_key=lambda params: "marriage:expire",
                          lock_label=lambda params: "离婚申请到期处理")
