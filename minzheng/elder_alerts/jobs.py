"""The call centre's and the sensors' feeds and the alert scan as background
jobs (``jobs``, ADR 0017; ADR 0033), started from the 数据导入和扫描 page:

* ``elder_alerts_calls_import`` / ``elder_alerts_readings_import``: the page
  stores the file (``upload_store``) and queues the import; it runs
  ``services.calls_import`` / ``services.readings_import`` as the staff member
  who started it. Both are idempotent (a call or a reading already present —
  same device and time — changes nothing), so a retry is safe. One import of
  each feed at a time (lock key).
* ``elder_alerts_scan``: ``services.alerts_scan`` up to a time; a window
  already alerted is skipped by the database's unique key, so a retry or a
  second scan creates nothing new. One scan at a time.

The command line runs the same services (``minzheng elderly alerts …``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from minzheng.core.file_import import ImportFileError
from minzheng.elder_alerts.models import FeedImport
from minzheng.elder_alerts.services import alerts_scan, calls_import, readings_import
from minzheng.jobs.services import (
    JobKind,
    Outcome,
    Progress,
    upload_description,
    upload_discard,
    upload_get,
    upload_open,
    upload_param,
)

CALLS_IMPORT = "elder_alerts_calls_import"
READINGS_IMPORT = "elder_alerts_readings_import"
SCAN = "elder_alerts_scan"
UNTIL_FORMAT = "%Y-%m-%d %H:%M"


def _upload_clean(params: dict[str, Any]) -> dict[str, Any]:
    return {"upload": upload_param(params)}


def _import_runner(importer, what: str):
    def run(actor: Any, params: dict[str, Any], progress: Progress) -> Outcome:
        upload = upload_get(params["upload"])
        progress(f"校验并导入{what}", None, None)
        try:
            feed = importer(actor=actor, data=upload_open(upload).read(), filename=upload.original_name)
        except ImportFileError as err:
            raise ValidationError(str(err)) from err
        upload_discard(upload)
        return Outcome(summary=_feed_summary(feed), url=reverse("elder_alerts:feeds") + f"#feed-{feed.pk}",
                       link_label="查看导入结果和问题行", value=feed)
    return run


def _feed_summary(feed: FeedImport) -> str:
    text = f"共 {feed.total_rows} 行：新增 {feed.imported_rows} 行，已有（未变）{feed.unchanged_rows} 行"
    if feed.updated_rows:
        text += f"，补充 {feed.updated_rows} 行"
    return text + f"，有问题 {feed.rejected_rows} 行"


def _scan_clean(params: dict[str, Any]) -> dict[str, Any]:
    try:
        until = dt.datetime.strptime(str(params.get("until", "")), UNTIL_FORMAT)
    except ValueError as err:
        raise ValidationError("扫描截止时间格式应为 YYYY-MM-DD HH:MM") from err
    return {"until": until.strftime(UNTIL_FORMAT)}


def _scan_run(actor: Any, params: dict[str, Any], progress: Progress) -> Outcome:
    progress("按提醒规则扫描监测数据", None, None)
    until = timezone.make_aware(dt.datetime.strptime(params["until"], UNTIL_FORMAT))
    counts = alerts_scan(actor=actor, until=until)
    by_rule = "，".join(f"{label} {n} 条" for label, n in counts["新增提醒"].items())
    return Outcome(summary=f"截至 {counts['截止时间']}：新增提醒（{by_rule}），新增任务 {counts['新增任务']} 条，"
                           f"此前已有提醒 {counts['已有提醒（未重复创建）']} 条（未重复创建）",
                   url=reverse("elder_alerts:task_list"), link_label="查看提醒任务", value=counts)


ELDER_CALLS_IMPORT = JobKind(
    code=CALLS_IMPORT, label="导入一键通呼叫记录", permission="elder_alerts.import",
    run=_import_runner(calls_import, "呼叫记录"), clean=_upload_clean,
    describe=lambda params: f"文件：{upload_description(params['upload'])}",
    lock_key=lambda params: "elder_alerts:calls_import", lock_label=lambda params: "一键通呼叫记录的两次导入")
ELDER_READINGS_IMPORT = JobKind(
    code=READINGS_IMPORT, label="导入居家安全监测数据", permission="elder_alerts.import",
    run=_import_runner(readings_import, "监测数据"), clean=_upload_clean,
    describe=lambda params: f"文件：{upload_description(params['upload'])}",
    lock_key=lambda params: "elder_alerts:readings_import", lock_label=lambda params: "监测数据的两次导入")
ELDER_SCAN = JobKind(
    code=SCAN, label="居家安全提醒扫描", permission="elder_alerts.scan", run=_scan_run, clean=_scan_clean,
    describe=lambda params: f"扫描截止时间：{params['until']}",
    lock_key=lambda params: "elder_alerts:scan", lock_label=lambda params: "居家安全提醒扫描")
