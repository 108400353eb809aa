"""养老服务设施: the endpoints (mounted at /api/v1, ADR 0028). Scoped like the
pages: a street sees its own facilities, a facility's staff only their linked
ones; anything else is 404. Writes go through the services (audited)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from minzheng.care_facilities import selectors, services
from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStatus
from minzheng.care_facilities.progress import targets_progress
from minzheng.core.api import (
    STAFF_AUTH,
    Limit,
    Offset,
    call_service,
    coded,
    path_id,
    refusal,
    responses,
)
from minzheng.core.models import Division, DivisionLevel
from minzheng.core.permissions import require

router = Router(tags=["养老服务设施"], auth=STAFF_AUTH)

KindCode = coded(FacilityKind.choices, "类型")
StatusCode = coded(FacilityStatus.choices, "状态")


class FacilityOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    street: str = Field(description="所在街镇区划代码")
    street_name: str
    committee: str = Field(description="所在居村委区划代码")
    committee_name: str
    status: str
    status_label: str
    operating_since: dt.date | None
    beds: int | None = Field(description="床位数；未录入为空（不是0）")
    dementia_beds: int | None = Field(description="认知障碍照护床位数；未录入为空")


class FacilityPage(Schema):
    count: int
    results: list[FacilityOut]


class FacilityDetailOut(FacilityOut):
    address: str
    longitude: Decimal | None
    latitude: Decimal | None
    operator_name: str
    operator_uscc: str
    planned_on: dt.date | None
    building_since: dt.date | None
    closed_on: dt.date | None
    area_m2: Decimal | None
    opening_hours: str
    smart: bool
    smart_since: dt.date | None
    internet_hospital: bool
    internet_hospital_since: dt.date | None
    dementia_beds_since: dt.date | None
    note: str


class FacilityIn(Schema):
    name: str = Field(max_length=100)
    kind: KindCode
    committee: str = Field(pattern=r"^\d{12}$", description="所在居村委区划代码（12位）")
    address: str = Field("", max_length=200)
    longitude: Decimal | None = None
    latitude: Decimal | None = None
    operator_name: str = Field("", max_length=100)
    operator_uscc: str = Field("", max_length=18, description="统一社会信用代码（18位，校验）")
    beds: int | None = Field(None, ge=0)
    dementia_beds: int | None = Field(None, ge=0)
    dementia_beds_since: dt.date | None = None
    area_m2: Decimal | None = None
    opening_hours: str = Field("", max_length=100)
    smart: bool = False
    smart_since: dt.date | None = None
    internet_hospital: bool = False
    internet_hospital_since: dt.date | None = None
    note: str = Field("", max_length=2000)


class FacilityCreateIn(FacilityIn):
    status: StatusCode = FacilityStatus.PLANNED.value
    planned_on: dt.date | None = None
    building_since: dt.date | None = None
    operating_since: dt.date | None = None
    closed_on: dt.date | None = None


class FacilityStatusIn(Schema):
    status: StatusCode
    on: dt.date = Field(description="新状态的日期（不晚于今天）")


class FacilityProgressOut(Schema):
    measure: str
    measure_label: str
    target: int
    done: int
    percent: int
    building: int | None
    planned: int | None
    undated: int = Field(description="应计入但日期未录入的设施数")
    by_street: dict[str, int]
    source: str


def _out(f: Facility) -> dict:
    return {"id": f.pk, "name": f.name, "kind": f.kind, "kind_label": FacilityKind(f.kind).label,
            "street": f.street_id, "street_name": f.street.name, "committee": f.committee_id,
            "committee_name": f.committee.name, "status": f.status, "status_label": FacilityStatus(f.status).label,
            "operating_since": f.operating_since, "beds": f.beds, "dementia_beds": f.dementia_beds}


def _detail(f: Facility) -> dict:
    out = _out(f)
    out.update({k: getattr(f, k) for k in (
        "address", "longitude", "latitude", "operator_name", "operator_uscc", "planned_on", "building_since",
        "closed_on", "area_m2", "opening_hours", "smart", "smart_since", "internet_hospital",
        "internet_hospital_since", "dementia_beds_since", "note")})
    return out


def _committee(code: str) -> Division:
    committee = Division.objects.filter(code=code, level=DivisionLevel.COMMITTEE).first()
    if committee is None:
        raise refusal(ValidationError(f"没有区划代码为{code}的居村委"))
    return committee


@router.get("/eldercare/facilities", response=responses(FacilityPage), summary="养老服务设施清单",
            operation_id="care_facilities_list")
def facility_list(request: HttpRequest, kind: KindCode | None = Query(None), status: StatusCode | None = Query(None),
                  street: str | None = Query(None, pattern=r"^\d{9}$", description="所在街镇区划代码（9位）"),
                  committee: str | None = Query(None, pattern=r"^\d{12}$", description="所在居村委区划代码（12位）"),
                  limit: Limit = 50, offset: Offset = 0) -> dict:
    require(request.user, "care_facilities.view")
    rows = selectors.facilities_visible(request.user)
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    if street:
        rows = rows.filter(street_id=street)
    if committee:
        rows = rows.filter(committee_id=committee)
    return {"count": rows.count(), "results": [_out(f) for f in rows[offset: offset + limit]]}


@router.get("/eldercare/targets/{year}", response=responses(list[FacilityProgressOut]), summary="年度工作目标进度",
            operation_id="care_facilities_targets")
def targets(request: HttpRequest, year: int = Path(..., ge=2000, le=2100, description="年度")) -> list[dict]:
    require(request.user, "care_facilities.dashboard")
    return [{"measure": p.target.measure, "measure_label": p.target.get_measure_display(), "target": p.target.target,
             "done": p.done, "percent": p.percent, "building": p.building, "planned": p.planned,
             "undated": p.undated, "by_street": p.by_street, "source": p.target.source}
            for p in targets_progress(request.user, year)]


@router.get("/eldercare/facilities/{facility_id}", response=responses(FacilityDetailOut), summary="养老服务设施详情",
            operation_id="care_facilities_detail")
def facility_detail(request: HttpRequest, facility_id: int = path_id("设施编号")) -> dict:
    require(request.user, "care_facilities.view")
    return _detail(call_service(lambda: selectors.facility_get(request.user, facility_id)))


@router.post("/eldercare/facilities", response=responses(FacilityDetailOut, 201), summary="登记养老服务设施",
             operation_id="care_facilities_create")
def facility_create(request: HttpRequest, payload: FacilityCreateIn) -> Status:
    data = payload.dict()
    data["committee"] = _committee(data["committee"])
    facility = call_service(lambda: services.facility_create(actor=request.user, **data))
    return Status(201, _detail(selectors.facility_get(request.user, facility.pk)))


@router.put("/eldercare/facilities/{facility_id}", response=responses(FacilityDetailOut),
            summary="修改养老服务设施（不含状态）", operation_id="care_facilities_update")
def facility_update(request: HttpRequest, payload: FacilityIn, facility_id: int = path_id("设施编号")) -> dict:
    facility = call_service(lambda: selectors.facility_get(request.user, facility_id))
    data = payload.dict()
    data["committee"] = _committee(data["committee"])
    call_service(lambda: services.facility_update(actor=request.user, facility=facility, **data))
    return _detail(selectors.facility_get(request.user, facility_id))


@router.post("/eldercare/facilities/{facility_id}/status", response=responses(FacilityDetailOut),
             summary="推进养老服务设施状态（规划→在建→运营→停业）", operation_id="care_facilities_status")
def facility_status(request: HttpRequest, payload: FacilityStatusIn, facility_id: int = path_id("设施编号")) -> dict:
    facility = call_service(lambda: selectors.facility_get(request.user, facility_id))
    call_service(lambda: services.facility_status_set(actor=request.user, facility=facility, status=payload.status,
                                                      on=payload.on, today=timezone.localdate()))
    return _detail(selectors.facility_get(request.user, facility_id))
