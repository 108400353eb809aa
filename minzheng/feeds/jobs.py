"""The department-data import as a background job (``jobs``, ADR 0017): 部门数据导入.

The page stores the uploaded file first (``jobs.services.upload_store``,
sealed, under a random name) and queues this job with the upload's number
and the source; the job wraps ``importing.feed_file_import`` (unchanged
semantics: bad rows quarantined with their Chinese reasons, a file already
imported for the source changes nothing) and reports its stages. The
result links to the file's page (counts and the quarantined rows).

A retry is safe: the file's SHA-256 makes a second import of the same file a
no-op (``already_imported``). One import per source at a time (lock key
``feeds:<source>``), so the same file sent twice at once is not raced.
Permission ``feeds.import`` is checked when queued and again when run.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from minzheng.core.file_import import ImportFileError
from minzheng.feeds.catalogue import source_get, sources
from minzheng.feeds.importing import feed_file_import
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

KIND = "feeds_import"


def _clean(params: dict[str, Any]) -> dict[str, Any]:
    source = str(params.get("source", ""))
    if source not in sources():
        raise ValidationError("请选择数据来源")
    upload = upload_param(params)
    return {"source": source, "upload": upload, "complete": bool(params.get("complete", False))}


def _describe(params: dict[str, Any]) -> str:
    name = upload_description(params["upload"])
    scope = "全量数据（期间内未列出的人员即查无记录）" if params.get("complete") else "仅文件中列出的人员和月份"
    return f"数据来源：{source_get(params['source']).name}；文件：{name}；数据范围：{scope}"


def _run(actor: Any, params: dict[str, Any], progress: Progress) -> Outcome:
    upload = upload_get(params["upload"])
    try:
        result = feed_file_import(actor=actor, source_code=params["source"], filename=upload.original_name,
                                  content=upload_open(upload), complete_extract=params["complete"], progress=progress)
    except ImportFileError as err:
        raise ValidationError(str(err)) from err
    upload_discard(upload)
    f = result.file
    url = reverse("feeds:file_detail", args=[f.pk])
    if result.already_imported:
        return Outcome(summary=f"该文件已于 {timezone.localtime(f.imported_at):%Y年%m月%d日 %H:%M} 导入，本次未作任何改动",
                       url=url, link_label="查看该文件", value=result)
    return Outcome(summary=f"已导入：共 {f.total_rows} 行，有效 {f.good_rows} 行（新增记录 {f.new_records}，"
                           f"已有记录 {f.duplicate_rows}），错误 {f.bad_rows} 行已隔离；新增事件 {f.events_created} 个",
                   url=url, link_label="查看文件和错误行" if f.bad_rows else "查看该文件", value=result)


FEEDS_IMPORT = JobKind(
    code=KIND, label="部门数据导入", permission="feeds.import", run=_run, clean=_clean, describe=_describe,
    lock_key=lambda params: f"feeds:{params['source']}",
    lock_label=lambda params: f"“{source_get(params['source']).name}”的两次导入")
