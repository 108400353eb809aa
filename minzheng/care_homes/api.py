"""养老机构 endpoints (mounted at /api/v1/care-homes, ADR 0029): institutions
with occupancy, one institution with beds, residents (ID numbers masked),
staff and incidents, 云监管, admissions, discharges and incidents. Scoped like
the pages: an operator sees only their own institution(s); any other is 404."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from minzheng.care_homes import selectors, services
from minzheng.care_homes.models import DischargeReason, IncidentKind
from minzheng.core.api import STAFF_AUTH, call_service, coded, path_id, responses
from minzheng.core.personal_data import mask_name

router = Router(tags=["养老机构"], auth=STAFF_AUTH)

ReasonCode = coded(DischargeReason.choices, "离院原因")
IncidentCode = coded(IncidentKind.choices, "事件类型")


class CareHomeOccupancyOut(Schema):
    beds: int = Field(description="在用床位")
    residents: int = Field(description="当日在院老人")
    rate: float | None = Field(description="入住率（%）；没有在用床位时为空")


class CareHomeInstitutionOut(Schema):
    id: int
    name: str
    street: str = Field(description="所在街镇区划代码")
    street_name: str
    occupancy: CareHomeOccupancyOut


class CareHomeBedOut(Schema):
    id: int
    room: str
    number: str
    kind_label: str
    in_service: bool
    resident_id: int | None


class CareHomeResidentOut(Schema):
    id: int
    name: str
    id_number_masked: str
    sex_label: str
    bed: str | None
    admitted_on: dt.date
    discharged_on: dt.date | None
    discharge_reason_label: str | None
    care_level: int | None = Field(description="照护等级 1–6；未评估为空")
    assessed_on: dt.date | None
    reassess_due_on: dt.date | None
    in_registry: bool = Field(description="已与人口库人员关联")


class CareHomeStaffOut(Schema):
    id: int
    name: str
    post_label: str
    hired_on: dt.date


class CareHomeIncidentOut(Schema):
    id: int
    institution_id: int
    institution: str
    kind: str
    kind_label: str
    occurred_at: dt.datetime
    resident: str | None = Field(description="涉及老人（姓名脱敏）")
    description: str
    closed_on: dt.date | None
    closure: str


class CareHomeInstitutionDetailOut(CareHomeInstitutionOut):
    caregivers: int = Field(description="当日在职护理员")
    residents_per_caregiver: float | None = Field(description="每名护理员对应老人数；没有护理员时为空")
    beds: list[CareHomeBedOut]
    residents: list[CareHomeResidentOut]
    staff: list[CareHomeStaffOut]
    open_incidents: list[CareHomeIncidentOut]


class CareHomeOversightRowOut(Schema):
    institution_id: int
    name: str
    street_name: str
    occupancy: CareHomeOccupancyOut
    caregivers: int
    residents_per_caregiver: float | None
    open_incidents: int
    columns: dict[str, int | None] = Field(description="检查发现、整改等列（由监督检查提供；无数据为空）")


class CareHomeAdmitIn(Schema):
    name: str = Field(max_length=64)
    id_number: str = Field(max_length=18, description="身份证号（18位）")
    admitted_on: dt.date
    bed_id: int | None = None
    care_level: int | None = Field(None, ge=1, le=6)
    assessed_on: dt.date | None = None
    reassess_due_on: dt.date | None = None


class CareHomeDischargeIn(Schema):
    discharged_on: dt.date
    reason: ReasonCode
    note: str = Field("", max_length=200)


class CareHomeIncidentIn(Schema):
    kind: IncidentCode
    occurred_at: dt.datetime
    resident_id: int | None = None
    description: str = Field(max_length=2000)


class CareHomeCloseIn(Schema):
    closed_on: dt.date
    closure: str = Field(max_length=500)


def _rate(value) -> float | None:
    return None if value is None else float(value)


def _occ(o: selectors.Occupancy) -> dict:
    return {"beds": o.beds, "residents": o.residents, "rate": _rate(o.rate)}


def _resident(r) -> dict:
    return {"id": r.pk, "name": r.name, "id_number_masked": r.id_number_masked, "sex_label": r.get_sex_display(),
            "bed": r.bed.number if r.bed else None, "admitted_on": r.admitted_on, "discharged_on": r.discharged_on,
            "discharge_reason_label": r.get_discharge_reason_display() or None, "care_level": r.care_level,
            "assessed_on": r.assessed_on, "reassess_due_on": r.reassess_due_on, "in_registry": r.person_id is not None}


def _incident(i) -> dict:
    return {"id": i.pk, "institution_id": i.facility_id, "institution": i.facility.name, "kind": i.kind,
            "kind_label": i.get_kind_display(), "occurred_at": i.occurred_at,
            "resident": mask_name(i.resident.name) if i.resident else None, "description": i.description,
            "closed_on": i.closed_on, "closure": i.closure}


@router.get("/care-homes", response=responses(list[CareHomeInstitutionOut]), summary="养老机构（含当日入住率）",
            operation_id="care_homes_list")
def institution_list(request: HttpRequest) -> list[dict]:
    rows = list(call_service(lambda: selectors.institutions(request.user)).order_by("street_id", "name"))
    occ = selectors.occupancy([f.pk for f in rows], timezone.localdate())
    return [{"id": f.pk, "name": f.name, "street": f.street_id, "street_name": f.street.name,
             "occupancy": _occ(occ[f.pk])} for f in rows]


@router.get("/care-homes/oversight", response=responses(list[CareHomeOversightRowOut]), summary="养老机构云监管",
            operation_id="care_homes_oversight")
def oversight(request: HttpRequest, on: dt.date | None = Query(None, description="统计日期；默认今天")) -> list[dict]:
    labels, rows = call_service(lambda: selectors.oversight_rows(request.user, on or timezone.localdate()))
    return [{"institution_id": r.facility.pk, "name": r.facility.name, "street_name": r.facility.street.name,
             "occupancy": _occ(r.occupancy), "caregivers": r.staff.caregivers,
             "residents_per_caregiver": _rate(r.staff.residents_per_caregiver), "open_incidents": r.open_incidents,
             "columns": dict(zip(labels, r.columns, strict=True))} for r in rows]


@router.get("/care-homes/incidents", response=responses(list[CareHomeIncidentOut]), summary="意外事件（处置中的在前）",
            operation_id="care_homes_incidents")
def incident_list(request: HttpRequest, open_only: bool = Query(False, description="只列处置中的")) -> list[dict]:
    rows = call_service(lambda: selectors.incidents(request.user))
    if open_only:
        rows = rows.filter(closed_on__isnull=True)
    return [_incident(i) for i in rows[:500]]


@router.get("/care-homes/{institution_id}", response=responses(CareHomeInstitutionDetailOut),
            summary="养老机构详情（床位、在院老人、工作人员、处置中的意外事件）", operation_id="care_homes_detail")
def institution_detail(request: HttpRequest, institution_id: int = path_id("养老机构编号")) -> dict:
    f = call_service(lambda: selectors.institution_get(request.user, institution_id))
    today = timezone.localdate()
    occ = selectors.occupancy([f.pk], today)
    figures = selectors.staff_figures([f.pk], today, occ)[f.pk]
    residents = list(selectors.residents_on(f, today))
    by_bed = {r.bed_id: r.pk for r in residents if r.bed_id}
    return {"id": f.pk, "name": f.name, "street": f.street_id, "street_name": f.street.name,
            "occupancy": _occ(occ[f.pk]), "caregivers": figures.caregivers,
            "residents_per_caregiver": _rate(figures.residents_per_caregiver),
            "beds": [{"id": b.pk, "room": b.room.number, "number": b.number, "kind_label": b.get_kind_display(),
                      "in_service": b.in_service, "resident_id": by_bed.get(b.pk)} for b in selectors.beds(f)],
            "residents": [_resident(r) for r in residents],
            "staff": [{"id": m.pk, "name": m.name, "post_label": m.get_post_display(), "hired_on": m.hired_on}
                      for m in selectors.staff(f, today)],
            "open_incidents": [_incident(i) for i in f.care_incidents.select_related("facility", "resident")
                               .filter(closed_on__isnull=True)]}


@router.post("/care-homes/{institution_id}/residents", response=responses(CareHomeResidentOut, 201),
             summary="登记入住", operation_id="care_homes_resident_admit")
def resident_admit(request: HttpRequest, payload: CareHomeAdmitIn, institution_id: int = path_id("养老机构编号")) -> Status:
    def run():
        f = selectors.institution_get(request.user, institution_id)
        return services.resident_admit(actor=request.user, facility=f, name=payload.name, id_number=payload.id_number,
                                       admitted_on=payload.admitted_on, bed=payload.bed_id,
                                       care_level=payload.care_level, assessed_on=payload.assessed_on,
                                       reassess_due_on=payload.reassess_due_on)
    resident = call_service(run)
    return Status(201, _resident(resident))


@router.post("/care-homes/residents/{resident_id}/discharge", response=responses(CareHomeResidentOut),
             summary="登记离院（床位即空出）", operation_id="care_homes_resident_discharge")
def resident_discharge(request: HttpRequest, payload: CareHomeDischargeIn, resident_id: int = path_id("入住老人编号")) -> dict:
    resident = call_service(lambda: services.resident_discharge(
        actor=request.user, resident=selectors.resident_get(request.user, resident_id),
        discharged_on=payload.discharged_on, reason=payload.reason, note=payload.note))
    return _resident(resident)


@router.post("/care-homes/{institution_id}/incidents", response=responses(CareHomeIncidentOut, 201),
             summary="报告意外事件", operation_id="care_homes_incident_report")
def incident_report(request: HttpRequest, payload: CareHomeIncidentIn, institution_id: int = path_id("养老机构编号")) -> Status:
    incident = call_service(lambda: services.incident_report(
        actor=request.user, facility=selectors.institution_get(request.user, institution_id), kind=payload.kind,
        occurred_at=payload.occurred_at, resident=payload.resident_id, description=payload.description))
    return Status(201, _incident(incident))


@router.post("/care-homes/incidents/{incident_id}/close", response=responses(CareHomeIncidentOut),
             summary="意外事件结案", operation_id="care_homes_incident_close")
def incident_close(request: HttpRequest, payload: CareHomeCloseIn, incident_id: int = path_id("意外事件编号")) -> dict:
    incident = call_service(lambda: services.incident_close(
        actor=request.user, incident=selectors.incident_get(request.user, incident_id), closed_on=payload.closed_on,
        closure=payload.closure))
    return _incident(incident)
