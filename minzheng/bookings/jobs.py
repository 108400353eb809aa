"""清理过期暂留 as a background job kind (``jobs``, ADR 0017) and the
command ``minzheng bookings expire-holds`` (for a periodic timer, e.g. every
five minutes): both run ``services.expire_holds``, which is idempotent, so a
retry or an overlapping run is safe (a hold is expired once)."""

from __future__ import annotations

from typing import Any

from minzheng.bookings.services import expire_holds
from minzheng.jobs.services import JobKind, Outcome, Progress

EXPIRE_HOLDS_CODE = "bookings_expire_holds"


def _clean(params: dict[str, Any]) -> dict[str, Any]:
    return {}


def _describe(params: dict[str, Any]) -> str:
    return "释放已超过暂留时间的预约名额"


def _run(actor: Any, params: dict[str, Any], progress: Progress) -> Outcome:
    progress("清理过期暂留", None, None)
    n = expire_holds(actor=actor)
    return Outcome(summary=f"已将 {n} 个过期暂留标记为已过期并释放名额", value=n)


EXPIRE_HOLDS = JobKind(code=EXPIRE_HOLDS_CODE, label="清理过期暂留预约", permission="bookings.manage", run=_run,
                       clean=_clean, describe=_describe, lock_key=lambda params: "bookings_expire_holds",
                       lock_label=lambda params: "清理过期暂留预约")
