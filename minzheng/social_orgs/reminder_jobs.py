"""催报 of every unfiled annual report as a background job (``jobs``, ADR 0017, ADR 0044):
it may touch hundreds of organizations (the seed's 2023: 59 of 804 unfiled). Runs
:func:`.reminders.reminders_send_all`, which skips the organizations reminded
today — a retry or a second run the same day reminds nobody twice."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from minzheng.jobs.services import JobKind, Outcome, Progress
from minzheng.social_orgs.models import OrgKind, ReminderChannel
from minzheng.social_orgs.reminders import reminders_send_all

KIND = "social_orgs_remind"


def _clean(params: dict[str, Any]) -> dict[str, Any]:
    year = str(params.get("year", ""))
    if not (year.isascii() and year.isdigit() and len(year) == 4):
        raise ValidationError("报告年度应为四位数字")
    channel = str(params.get("channel") or "")
    if channel not in ReminderChannel.values:
        raise ValidationError("催报方式应为：" + "、".join(ReminderChannel.labels))
    kind = str(params.get("kind") or "")
    if kind and kind not in OrgKind.values:
        raise ValidationError("类型无效，应为：" + "、".join(OrgKind.labels))
    return {"year": int(year), "channel": channel, "kind": kind}


def _describe(params: dict[str, Any]) -> str:
    what = OrgKind(params["kind"]).label if params.get("kind") else "全部类型"
    return f"{params['year']}年度报告未报送的社会组织（{what}），{ReminderChannel(params['channel']).label}"


def _run(actor: Any, params: dict[str, Any], progress: Progress) -> Outcome:
    progress("催报年度报告", None, None)
    sent = reminders_send_all(actor=actor, year=params["year"], channel=params["channel"], kind=params["kind"],
                              today=timezone.localdate(),
                              progress=lambda done, total: progress("催报年度报告", done, total))
    return Outcome(summary=f"已催报{sent}家社会组织（今天已催报过的不重复催报）", url="/socialorgs/reminders/",
                   link_label="查看未报送清单", value=sent)


REMIND_ALL = JobKind(code=KIND, label="社会组织年度报告批量催报", permission="social_orgs.remind", run=_run,
                     clean=_clean, describe=_describe, lock_key=lambda params: f"{KIND}:{params['year']}",
                     lock_label=lambda params: f"{params['year']}年度报告批量催报")
