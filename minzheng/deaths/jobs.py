"""部门死亡数据入库 (``deaths_from_feeds``) as a background job (ADR 0017, 0023):
every department-data death event (``feeds`` events of kind ``death``) not yet
processed becomes a report of source 部门数据 on the one death record of that
ID number, with the consequences when the record is matched for the first
time. Idempotent: an event already processed is skipped (``DeathReport.feed_event``
is unique), so a second run the same day records nothing.

Run daily by cron after the night's department files (docs/deploy.md), by the
demo setup, and by hand from the jobs page right after an import.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from minzheng.deaths.models import DeathReport
from minzheng.deaths.services import death_report_from_feed_event
from minzheng.feeds.models import EventKind, FeedEvent
from minzheng.jobs.services import JobKind, Outcome, Progress

KIND = "deaths_from_feeds"
STAGE = "部门死亡数据入库"


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


def deaths_from_feeds(*, actor: Any, today: dt.date | None = None,
                      progress: Progress | None = None) -> dict[str, int]:
    """Process the unprocessed death events (see the module docstring); the counts."""
    today = today or dt.date.today()
    report = progress or (lambda stage, done, total: None)
    pending = list(FeedEvent.objects.filter(kind=EventKind.DEATH)
                   .exclude(pk__in=DeathReport.objects.filter(feed_event__isnull=False).values("feed_event_id"))
                   .select_related("person").order_by("event_date", "id"))
    counts = {"events": len(pending), "reports": 0, "skipped": 0}
    report(STAGE, 0, len(pending))
    for done, event in enumerate(pending, start=1):
        record = death_report_from_feed_event(actor=actor, event=event, today=today)
        counts["reports" if record is not None else "skipped"] += 1
        if done % 200 == 0 or done == len(pending):
            report(STAGE, done, len(pending))
    return counts


def _run(actor: Any, params: dict[str, Any], progress: Progress) -> Outcome:
    today = dt.date.fromisoformat(params["today"]) if params.get("today") else None
    counts = deaths_from_feeds(actor=actor, today=today, progress=progress)
    summary = f"部门数据死亡事件 {counts['events']} 条：记入死亡登记 {counts['reports']} 条"
    if counts["skipped"]:
        summary += f"，日期晚于执行日期或早于出生日期、暂不入库 {counts['skipped']} 条"
    return Outcome(summary=summary, url="/deaths/", link_label="查看死亡登记", value=counts)


DEATHS_FROM_FEEDS = JobKind(code=KIND, label="部门死亡数据入库", permission="deaths.import_feeds", run=_run,
                            clean=_clean, describe=_describe, lock_key=lambda params: "deaths:feeds",
                            lock_label=lambda params: "部门死亡数据入库")
