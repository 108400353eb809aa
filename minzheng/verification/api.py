"""Verification endpoints (mounted at /api/v1): the scoped queue, a request
with its latest result and figures, opening a request and computing it.
Out-of-scope households and requests answer 404 like missing ones."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from minzheng.core.permissions import require
from minzheng.registry import selectors as registry_selectors
from minzheng.registry.models import Household
from minzheng.verification import selectors, services
from minzheng.verification.models import VerificationRequest

router = Router(tags=["经济状况核对"])


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


class ResultOut(Schema):
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
    lines: list[dict]
    figures: list[FigureOut]
    missing_replies: list[dict]  # each: source, source_name, person, name, months, text — empty when complete
    exceptions: list[dict]
    declared: dict  # the registry's facts in force on the verification date
    differences: list[str]
    accepted_by: str
    accepted_at: dt.datetime | None


class RequestDetailOut(RequestOut):
    authorisations: list[dict]
    result: ResultOut | None


class QueueOut(Schema):
    count: int
    status_counts: dict[str, int]
    results: list[RequestOut]


class RequestIn(Schema):
    household_id: int
    purpose: str
    note: str = ""


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
    return HttpError(422, "；".join(getattr(err, "messages", [str(err)])))


@router.get("/verification/requests", response=QueueOut, summary="核对委托队列（按辖区）")
def queue(request: HttpRequest, status: str = "", purpose: str = "", limit: int = Query(50, ge=1), offset: int = Query(0, ge=0)) -> dict:
    require(request.user, "verification.view")
    qs = selectors.request_queue(request.user, status, purpose)
    limit = max(1, min(limit, 200))
    return {"count": qs.count(), "status_counts": selectors.request_status_counts(request.user),
            "results": [_out(r) for r in qs[offset : offset + limit]]}


@router.get("/verification/requests/{request_id}", response=RequestDetailOut, summary="核对委托详情及最新结果")
def detail(request: HttpRequest, request_id: int) -> dict:
    return _detail(_get(request, request_id))


@router.post("/verification/requests", response={201: RequestOut}, summary="发起核对委托")
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


@router.post("/verification/requests/{request_id}/compute", response=RequestDetailOut, summary="核对（需已登记授权书）")
def compute(request: HttpRequest, request_id: int, payload: ComputeIn) -> dict:
    vr = _get(request, request_id)
    try:
        services.verification_compute(actor=request.user, request=vr, as_of=payload.as_of)
    except (ValidationError, PermissionDenied) as err:
        raise _refuse(err) from err
    return _detail(_get(request, request_id))


@router.post("/verification/requests/{request_id}/accept", response=RequestDetailOut,
             summary="认定最近一次核对结果：自核对日期起记入人口库（须由核对人以外的街镇或区工作人员办理）")
def accept(request: HttpRequest, request_id: int) -> dict:
    vr = _get(request, request_id)
    result = selectors.request_latest_result(vr)
    if result is None:
        raise HttpError(409, "尚未核对，不能认定")
    try:
        services.verification_result_accept(actor=request.user, result=result)
    except (ValidationError, PermissionDenied) as err:
        raise _refuse(err) from err
    return _detail(_get(request, request_id))


@router.get("/verification/yearly-count", response=dict[str, int], summary="年度核对委托户次（仪表盘）")
def yearly_count(request: HttpRequest, year: int) -> dict:
    return {"year": year, "count": selectors.verification_yearly_count(request.user, year)}
