"""整改逾期上报 as a background job kind (``jobs``, ADR 0017) and the command
``minzheng elderly supervision-escalate`` (a daily timer): both run
``services.orders_escalate``, which is idempotent — an order is escalated
once, so a retry or an overlapping run is safe (ADR 0030)."""

from __future__ import annotations

from typing import Any

from minzheng.jobs.services import JobKind, Outcome, Progress
from minzheng.supervision.services import orders_escalate

ESCALATE_CODE = "elderly_supervision_escalate"


def _clean(params: dict[str, Any]) -> dict[str, Any]:
    return {}


def _describe(params: dict[str, Any]) -> str:
    return "将逾期未整改完成的整改通知上报区民政局"


def _run(actor: Any, params: dict[str, Any], progress: Progress) -> Outcome:
    progress("扫描逾期整改通知", None, None)
    n = orders_escalate(actor=actor)
    return Outcome(summary=f"新上报逾期整改通知{n}份", value=n)


ESCALATE = JobKind(code=ESCALATE_CODE, label="整改逾期上报", permission="supervision.plan", run=_run,
                   clean=_clean, describe=_describe, lock_key=lambda params: ESCALATE_CODE,
                   lock_label=lambda params: "整改逾期上报")
