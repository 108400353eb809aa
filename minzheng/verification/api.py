"""Verification endpoints (mounted at /api/v1): the scoped queue, a request
with its latest result and figures, opening a request and computing it.
Out-of-scope households and requests answer 404 like missing ones; a step the
request's state does not allow answers 409."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from minzheng.core.api import Limit, Offset, RecordId, coded, path_id, refusal, responses
from minzheng.core.permissions import require
from minzheng.registry import selectors as registry_selectors
from minzheng.registry.models import Household
from minzheng.verification import selectors, services
from minzheng.verification.models import Purpose, VerificationRequest
from minzheng.verification.models import Status as RequestStatus

router = Router(tags=["经济状况核对"])

PurposeCode = coded(Purpose.choices, "核对用途")
RequestStatusCode = coded(RequestStatus.choices, "委托状态")


class RequestOut(Schema):
    id: int
    reference: str
    household_id: int
    purpose: str
    purpose_label: str
    status: str
    status_label: str
    street: str
    committee: str
    created_at: dt.datetime


class FigureOut(Schema):
    kind: str
    label: str
    person_id: int | None
    amount_fen: int
    count: int
    record_ids: list[int]


class VerificationResultOut(Schema):
    id: int
    as_of: dt.date
    window_start: dt.date
    window_end: dt.date
    household_size: int
    monthly_income_fen: int
    per_capita_income_fen: int
    monetary_assets_fen: int
    homes: int
    vehicles: int
    outcome: str
    outcome_label: str
    findings: list[str]
    lines: list[dict[str, Any]]
    figures: list[FigureOut]
    missing_replies: list[dict[str, Any]] = Field(
        description="尚未回复的部门数据（来源、成员、月份、说明）；空：已全部回复")
    exceptions: list[dict[str, Any]]
    declared: dict[str, Any] = Field(description="核对日期人口库中登记的情况")
    differences: list[str]
    accepted_by: str
    accepted_at: dt.datetime | None


class AuthorisationOut(Schema):
    signed_by: str
    signed_on: str


class RequestDetailOut(RequestOut):
    authorisations: list[AuthorisationOut]
    result: VerificationResultOut | None


class QueueOut(Schema):
    count: int
    status_counts: dict[str, int]
    results: list[RequestOut]


class RequestIn(Schema):
    household_id: RecordId
    purpose: PurposeCode
    note: str = Field("", max_length=2000)


class ComputeIn(Schema):
    as_of: dt.date | None = None


def _out(r: VerificationRequest) -> dict:
    return {"id": r.pk, "reference": r.reference, "household_id": r.household_id, "purpose": r.purpose,
            "purpose_label": r.get_purpose_display(), "status": r.status, "status_label": r.get_status_display(),
            "street": r.street.name, "committee": r.committee.name, "created_at": r.created_at}


def _detail(r: VerificationRequest) -> dict:
    result = selectors.request_latest_result(r)
    result_out = None
    if result is not None:
        result_out = {
            **{f: getattr(result, f) for f in ("id", "as_of", "window_start", "window_end", "household_size",
                                              "monthly_income_fen", "per_capita_income_fen", "monetary_assets_fen",
                                              "homes", "vehicles", "outcome", "findings", "lines",
                                              "missing_replies", "exceptions", "declared", "differences",
                                              "accepted_by", "accepted_at")},
            "outcome_label": result.get_outcome_display(),
            "figures": [{"kind": f.kind, "label": f.label, "person_id": f.person_id, "amount_fen": f.amount_fen,
                         "count": f.count, "record_ids": [rec.pk for rec in f.records.all()]}
                        for f in selectors.result_figures(result)],
        }
    return {**_out(r), "result": result_out, "authorisations": [
        {"signed_by": a.signed_by.name, "signed_on": a.signed_on.isoformat()}
        for a in r.authorisations.select_related("signed_by")]}


def _get(request: HttpRequest, pk: int) -> VerificationRequest:
    require(request.user, "verification.view")
    try:
        return selectors.request_get(request.user, pk)
    except VerificationRequest.DoesNotExist as err:
        raise HttpError(404, "未找到该核对委托") from err


def _refuse(err: Exception) -> HttpError:
    if isinstance(err, PermissionDenied):
        return HttpError(403, str(err))
    if isinstance(err, ValidationError):
        return refusal(err)
    return HttpError(422, str(err))


@router.get("/verification/requests", response=responses(QueueOut), summary="核对委托队列（按辖区）",
            operation_id="verification_request_queue")
def queue(request: HttpRequest, status: RequestStatusCode | None = Query(None, description="委托状态；省略：全部"),
          purpose: PurposeCode | None = Query(None, description="核对用途；省略：全部"),
          limit: Limit = 50, offset: Offset = 0) -> dict:
    require(request.user, "verification.view")
    qs = selectors.request_queue(request.user, status or "", purpose or "")
    return {"count": qs.count(), "status_counts": selectors.request_status_counts(request.user),
            "results": [_out(r) for r in qs[offset : offset + limit]]}


@router.get("/verification/requests/{request_id}", response=responses(RequestDetailOut),
            summary="核对委托详情及最新结果", operation_id="verification_request_detail")
def detail(request: HttpRequest, request_id: int = path_id("核对委托编号")) -> dict:
    return _detail(_get(request, request_id))


@router.post("/verification/requests", response=responses(RequestOut, 201, conflict=True), summary="发起核对委托",
             operation_id="verification_request_create")
def create(request: HttpRequest, payload: RequestIn) -> Status:
    try:
        household = registry_selectors.household_get(request.user, payload.household_id)
    except Household.DoesNotExist as err:
        raise HttpError(404, "未找到该家庭") from err
    try:
        created = services.verification_request_create(actor=request.user, household=household,
                                                       purpose=payload.purpose, note=payload.note)
    except (ValidationError, PermissionDenied) as err:
        raise _refuse(err) from err
    return Status(201, _out(created))


@router.post("/verification/requests/{request_id}/compute", response=responses(RequestDetailOut, conflict=True),
             summary="核对（需已登记授权书）", operation_id="verification_request_compute")
def compute(request: HttpRequest, payload: ComputeIn, request_id: int = path_id("核对委托编号")) -> dict:
    vr = _get(request, request_id)
    try:
        services.verification_compute(actor=request.user, request=vr, as_of=payload.as_of)
    except (ValidationError, PermissionDenied) as err:
        raise _refuse(err) from err
    return _detail(_get(request, request_id))


@router.post("/verification/requests/{request_id}/accept", response=responses(RequestDetailOut, conflict=True),
             summary="认定最近一次核对结果：自核对日期起记入人口库（须由核对人以外的街镇或区工作人员办理）",
             operation_id="verification_result_accept", description="尚未核对或结果已认定时返回 409。")
def accept(request: HttpRequest, request_id: int = path_id("核对委托编号")) -> dict:
    vr = _get(request, request_id)
    result = selectors.request_latest_result(vr)
    if result is None:
        raise HttpError(409, "尚未核对，不能认定")
    try:
        services.verification_result_accept(actor=request.user, result=result)
    except (ValidationError, PermissionDenied) as err:
        raise _refuse(err) from err
    return _detail(_get(request, request_id))


class YearlyCountOut(Schema):
    year: int
    count: int


@router.get("/verification/yearly-count", response=responses(YearlyCountOut), summary="年度核对委托户次（仪表盘）",
            operation_id="verification_yearly_count")
def yearly_count(request: HttpRequest, year: int = Query(..., ge=1900, le=9999, description="年份")) -> dict:
    return {"year": year, "count": selectors.verification_yearly_count(request.user, year)}
