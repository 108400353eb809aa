"""Department data endpoints (mounted at /api/v1): sources, files, a file's
report with its quarantined rows, and events. Scoped like the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from minzheng.core.api import Limit, Offset, coded, path_id, responses
from minzheng.core.permissions import require
from minzheng.feeds import selectors
from minzheng.feeds.models import EventKind, FeedFile

router = Router(tags=["部门数据"])

EventKindCode = coded(EventKind.choices, "事件类型")


class SourceOut(Schema):
    code: str
    name: str
    department: str
    family: str
    meaning: str
    headers: list[str]


class FileOut(Schema):
    id: int
    source: str
    filename: str
    file_sha256: str
    received_at: dt.datetime
    imported_at: dt.datetime
    imported_by: str
    period_start: dt.date | None
    period_end: dt.date | None
    # District-wide counts: null for a street, which sees only its own residents' records
    # (``records_in_scope``), never the whole file's figures.
    total_rows: int | None
    good_rows: int | None
    new_records: int | None
    duplicate_rows: int | None
    bad_rows: int | None
    unmatched_records: int | None
    events_created: int | None
    deaths_recorded: int | None
    records_in_scope: int


DISTRICT_COUNTS = ("total_rows", "good_rows", "new_records", "duplicate_rows", "bad_rows", "unmatched_records",
                   "events_created", "deaths_recorded")


def _file_out(user: object, f: FeedFile) -> dict:
    out = {field: getattr(f, field, None) for field in FileOut.model_fields if field != "records_in_scope"}
    if not selectors.can_see_district_counts(user):
        out.update(dict.fromkeys(DISTRICT_COUNTS))
    in_scope = getattr(f, "in_scope_records", None)
    out["records_in_scope"] = in_scope if in_scope is not None else selectors.feed_file_records_in_scope(user, f)
    return out


class QuarantinedRowOut(Schema):
    row: int
    column: str
    reason: str


class FileReportOut(FileOut):
    records_in_scope: int
    quarantined: list[QuarantinedRowOut]


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    event_date: dt.date
    person_id: int | None
    name: str
    id_number: str
    source: str
    record_id: int
    registry_updated: bool
    details: dict[str, Any]


class FilePage(Schema):
    count: int
    results: list[FileOut]


class EventPage(Schema):
    count: int
    results: list[EventOut]


@router.get("/feeds/sources", response=responses(list[SourceOut]), summary="部门数据来源", operation_id="feeds_source_list")
def source_list(request: HttpRequest) -> list[dict]:
    return [{"code": s.code, "name": s.name, "department": s.department, "family": s.family,
             "meaning": s.meaning_label, "headers": s.headers} for s in selectors.source_list()]


@router.get("/feeds/files", response=responses(FilePage), summary="已导入的部门数据文件", operation_id="feeds_file_list")
def file_list(request: HttpRequest, source: str = Query("", max_length=64, description="来源代码；空：全部"),
              limit: Limit = 50, offset: Offset = 0) -> dict:
    require(request.user, "feeds.view")
    qs = selectors.feed_file_list(request.user, source)
    return {"count": qs.count(), "results": [_file_out(request.user, f) for f in qs[offset : offset + limit]]}


@router.get("/feeds/files/{file_id}", response=responses(FileReportOut), summary="文件导入报告（含错误行）",
            operation_id="feeds_file_report")
def file_report(request: HttpRequest, file_id: int = path_id("文件编号")) -> dict:
    require(request.user, "feeds.view")
    try:
        f = selectors.feed_file_get(request.user, file_id)
    except FeedFile.DoesNotExist as err:
        raise HttpError(404, "未找到该文件") from err
    rows = selectors.quarantined_rows(request.user, f)[:1000]
    return {
        **_file_out(request.user, f),
        "records_in_scope": selectors.feed_file_records_in_scope(request.user, f),
        "quarantined": [{"row": q.row_number, "column": q.column, "reason": q.reason} for q in rows],
    }


@router.get("/feeds/events", response=responses(EventPage), summary="部门数据事件（按辖区）", operation_id="feeds_event_list")
def event_list(request: HttpRequest, kind: EventKindCode | None = Query(None, description="事件类型；省略：全部"),
               limit: Limit = 50, offset: Offset = 0) -> dict:
    require(request.user, "feeds.view")
    qs = selectors.feed_events_visible(request.user, kind or "")
    return {"count": qs.count(), "results": [
        {"id": e.pk, "kind": e.kind, "kind_label": e.get_kind_display(), "event_date": e.event_date,
         "person_id": e.person_id, "name": e.person.name if e.person else e.name, "id_number": e.id_number_masked,
         "source": e.source, "record_id": e.record_id, "registry_updated": e.registry_updated, "details": e.details}
        for e in qs[offset : offset + limit]
    ]}
