"""Death record endpoints (mounted at /api/v1/deaths, ADR 0023): the scoped
list and one record (masked ID numbers, sources, the family checklist), and a
source's report (201 with the merged record). Refusals: 403 wrong role, 404
outside the user's scope, 422 a broken rule with the Chinese reasons."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from minzheng.core.api import Limit, Offset, call_service, coded, path_id, responses
from minzheng.deaths import selectors, services
from minzheng.deaths.models import DeathRecord, DeathStatus, SourceKind

router = Router(tags=["死亡登记"])

SourceCode = coded(SourceKind.choices, "死亡信息来源")
StatusCode = coded(DeathStatus.choices, "死亡登记状态")


class DeathReportOut(Schema):
    source: str
    source_label: str
    reference: str
    death_date: dt.date
    place: str
    date_differs: bool = Field(description="报告的死亡日期与登记不一致")
    recorded_at: dt.datetime


class ChecklistItemOut(Schema):
    section: str
    title: str
    detail: str
    done: bool


class DeathRecordOut(Schema):
    id: int
    name: str
    id_number_masked: str
    death_date: dt.date
    status: str
    status_label: str
    matched: bool = Field(description="已匹配本区人口库")
    street: str | None
    sources: list[str] = Field(description="来源（中文）")


class DeathRecordDetailOut(DeathRecordOut):
    reports: list[DeathReportOut]
    checklist: list[ChecklistItemOut] = Field(description="公民身故“一件事”告知单的事项")


class DeathRecordPage(Schema):
    count: int
    results: list[DeathRecordOut]


class DeathReportIn(Schema):
    source: SourceCode
    id_number: str = Field(..., min_length=1, max_length=18, description="死者居民身份证号码")
    name: str = Field(..., min_length=1, max_length=64)
    death_date: dt.date
    reference: str = Field("", max_length=60, description="文书编号（死亡医学证明、火化证明等）")
    place: str = Field("", max_length=100)
    reporter: str = Field("", max_length=64)
    note: str = Field("", max_length=200)


def _record(record: DeathRecord) -> dict:
    labels = dict(SourceKind.choices)
    return {"id": record.pk, "name": record.name, "id_number_masked": record.id_number_masked,
            "death_date": record.death_date, "status": record.status, "status_label": record.get_status_display(),
            "matched": record.person_id is not None, "street": record.street.name if record.street_id else None,
            "sources": list(dict.fromkeys(labels[r.source] for r in record.reports.all()))}


def _detail(request: HttpRequest, record: DeathRecord) -> dict:
    sections = selectors.death_checklist(request.user, record)
    return {**_record(record),
            "reports": [{"source": r.source, "source_label": r.get_source_display(), "reference": r.reference,
                         "death_date": r.death_date, "place": r.place, "date_differs": r.date_differs,
                         "recorded_at": r.recorded_at} for r in selectors.death_reports(record)],
            "checklist": [{"section": i.section, "title": i.title, "detail": i.detail, "done": i.done}
                          for items in sections.values() for i in items]}


@router.get("/deaths", response=responses(DeathRecordPage), summary="死亡登记（身份证号脱敏，按辖区）",
            operation_id="death_record_list")
def record_list(request: HttpRequest, status: StatusCode | None = Query(None, description="状态；省略：全部"),
                limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.death_records(request.user)).prefetch_related("reports")
    if status:
        rows = rows.filter(status=status)
    return {"count": rows.count(), "results": [_record(r) for r in rows[offset : offset + limit]]}


@router.post("/deaths/reports", response=responses(DeathRecordDetailOut, 201),
             summary="登记一条死亡信息来源（同一身份证号合并为一条登记；首次匹配人口库时当天停发待遇）",
             operation_id="death_report")
def report(request: HttpRequest, payload: DeathReportIn) -> Status:
    record = call_service(lambda: services.death_report(actor=request.user, **payload.dict()))
    record = DeathRecord.objects.select_related("street").get(pk=record.pk)
    return Status(201, _detail(request, record))


@router.get("/deaths/{record_id}", response=responses(DeathRecordDetailOut), summary="死亡登记详情（来源和告知单）",
            operation_id="death_record_detail")
def record_detail(request: HttpRequest, record_id: int = path_id("死亡登记编号")) -> dict:
    record = call_service(lambda: selectors.death_record_get(request.user, record_id))
    return _detail(request, record)
