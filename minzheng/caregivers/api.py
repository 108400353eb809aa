"""养老护理员: the endpoints (mounted at /api/v1, ADR 0028). Scoped through the
employer like the pages (an institution's staff: only their own caregivers;
anything else 404); ID numbers only masked; writes through the services."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from minzheng.care_facilities.selectors import facility_get
from minzheng.caregivers import selectors, services
from minzheng.caregivers.figures import share_by_employer, share_total, trained_progress
from minzheng.caregivers.models import Caregiver, CertificateLevel
from minzheng.core.api import (
    STAFF_AUTH,
    Limit,
    Offset,
    RecordId,
    call_service,
    coded,
    path_id,
    responses,
)
from minzheng.core.permissions import require

router = Router(tags=["养老护理员"], auth=STAFF_AUTH)

LevelCode = coded(CertificateLevel.choices, "等级证书")


class CaregiverOut(Schema):
    id: int
    name: str
    id_number_masked: str = Field(description="身份证号（脱敏）")
    employer: int
    employer_name: str
    active: bool
    certificate_level: str = Field(description="等级证书代码；空：未持证")
    certificate_level_label: str
    certificate_issued_on: dt.date | None


class CaregiverPage(Schema):
    count: int
    results: list[CaregiverOut]


class CaregiverIn(Schema):
    name: str = Field(max_length=64)
    id_number: str = Field(max_length=18, description="身份证号码（校验）")
    employer: RecordId = Field(description="工作单位（设施编号）")
    employed_since: dt.date | None = None
    certificate_level: LevelCode | None = None
    certificate_number: str = Field("", max_length=40)
    certificate_issued_on: dt.date | None = None


class CaregiverTrainingIn(Schema):
    course: str = Field(max_length=100)
    hours: int = Field(ge=1, le=2000)
    started_on: dt.date
    ended_on: dt.date
    resulting_level: LevelCode | None = None
    certificate_number: str = Field("", max_length=40)


class CaregiverFiguresOut(Schema):
    caregivers: int = Field(description="在职护理员")
    certified: int = Field(description="持等级证书")
    certified_percent: float | None = Field(description="持证率（%）；无护理员时为空")
    by_employer: dict[str, float | None] = Field(description="各单位持证率（设施编号 → %）")
    year: int
    trained: int = Field(description="当年培训取得中级以上等级人数")
    trained_target: int | None = Field(description="当年目标；未设为空")


def _out(c: Caregiver) -> dict:
    return {"id": c.pk, "name": c.name, "id_number_masked": c.id_number_masked, "employer": c.employer_id,
            "employer_name": c.employer.name, "active": c.active, "certificate_level": c.certificate_level,
            "certificate_level_label": c.get_certificate_level_display() or "未持证",
            "certificate_issued_on": c.certificate_issued_on}


@router.get("/eldercare/caregivers", response=responses(CaregiverPage), summary="养老护理员清单",
            operation_id="caregivers_list")
def caregiver_list(request: HttpRequest, employer: int | None = Query(None, ge=1, description="设施编号"),
                   limit: Limit = 50, offset: Offset = 0) -> dict:
    require(request.user, "caregivers.view")
    rows = selectors.caregivers_visible(request.user)
    if employer:
        rows = rows.filter(employer_id=employer)
    return {"count": rows.count(), "results": [_out(c) for c in rows[offset: offset + limit]]}


@router.get("/eldercare/caregivers/figures/{year}", response=responses(CaregiverFiguresOut),
            summary="持证率和培训目标进度", operation_id="caregivers_figures")
def figures(request: HttpRequest, year: int = Path(..., ge=2000, le=2100, description="年度")) -> dict:
    require(request.user, "caregivers.view")
    total = share_total(request.user)
    trained = trained_progress(request.user, year)
    return {"caregivers": total.total, "certified": total.certified, "certified_percent": total.percent,
            "by_employer": {str(k): v.percent for k, v in share_by_employer(request.user).items()},
            "year": year, "trained": trained.done, "trained_target": trained.target.target if trained.target else None}


@router.get("/eldercare/caregivers/{caregiver_id}", response=responses(CaregiverOut), summary="养老护理员详情",
            operation_id="caregivers_detail")
def caregiver_detail(request: HttpRequest, caregiver_id: int = path_id("护理员编号")) -> dict:
    require(request.user, "caregivers.view")
    return _out(call_service(lambda: selectors.caregiver_get(request.user, caregiver_id)))


@router.post("/eldercare/caregivers", response=responses(CaregiverOut, 201), summary="登记养老护理员",
             operation_id="caregivers_create")
def caregiver_create(request: HttpRequest, payload: CaregiverIn) -> Status:
    data = payload.dict()
    employer = call_service(lambda: facility_get(request.user, data.pop("employer")))
    data["certificate_level"] = data["certificate_level"] or ""
    caregiver = call_service(lambda: services.caregiver_create(actor=request.user, employer=employer, **data))
    return Status(201, _out(caregiver))


@router.post("/eldercare/caregivers/{caregiver_id}/trainings", response=responses(CaregiverOut, 201),
             summary="登记养老护理员培训", operation_id="caregivers_training_add")
def training_add(request: HttpRequest, payload: CaregiverTrainingIn, caregiver_id: int = path_id("护理员编号")) -> Status:
    caregiver = call_service(lambda: selectors.caregiver_get(request.user, caregiver_id))
    data = payload.dict()
    data["resulting_level"] = data["resulting_level"] or ""
    call_service(lambda: services.training_add(actor=request.user, caregiver=caregiver, **data))
    return Status(201, _out(selectors.caregiver_get(request.user, caregiver_id)))
