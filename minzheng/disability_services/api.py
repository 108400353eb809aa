"""残疾人服务: the endpoints (mounted at /api/v1, ADR 0037). Scoped like the
pages: a person record or a place outside the caller's jurisdiction is 404;
writes go through the same services (403 wrong role, 409 wrong state, 422 a
rule broken — 参数缺失 included)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from minzheng.core.api import (
    ID_MAX,
    STAFF_AUTH,
    Limit,
    Offset,
    call_service,
    coded,
    path_id,
    responses,
)
from minzheng.core.permissions import require
from minzheng.disability_services import selectors, services
from minzheng.disability_services.models import (
    AidRentalApplication,
    ApplicantRelation,
    ApplicationStatus,
    DeviceCategory,
    ParameterKind,
    Rental,
    SiteStatus,
)
from minzheng.disability_services.rental_rule import PARAMETER_MISSING, parameters_on, rental_amount
from minzheng.registry.selectors import person_get

router = Router(tags=["残疾人服务"], auth=STAFF_AUTH)

StatusCode = coded(ApplicationStatus.choices, "申请状态")
ValidityCode = coded(selectors.Validity.CHOICES, "有效性")
DeviceCode = coded(DeviceCategory.choices, "辅具类别")
RelationCode = coded(ApplicantRelation.choices, "申请人与残疾人关系")
SiteStatusCode = coded(SiteStatus.choices, "站点状态")
ParameterCode = coded(ParameterKind.choices, "参数")


# --- certificates ---------------------------------------------------------------------------

class DisabilityCertificateOut(Schema):
    id: int
    person_id: int
    name: str
    id_number_masked: str = Field(description="身份证号（脱敏）")
    street: str
    street_name: str
    committee: str
    number: str
    grade: int = Field(description="等级（1级最重）")
    kind: str = Field(description="类别（视力、听力、言语、肢体、智力、精神、多重）")
    valid_from: dt.date
    valid_to: dt.date | None = Field(description="有效期止；空：长期")
    validity: str
    validity_label: str


class DisabilityCertificatePage(Schema):
    count: int
    results: list[DisabilityCertificateOut]


class DisabilityExpiringOut(DisabilityCertificateOut):
    stopping: list[str] = Field(description="证件到期未换将停发的补贴（在册的两项补贴、重残无业人员生活保障）")


class DisabilityExpiringPage(Schema):
    days: int
    count: int
    results: list[DisabilityExpiringOut]


def _certificate(c) -> dict:
    p = c.person
    return {"id": c.pk, "person_id": p.pk, "name": p.name, "id_number_masked": p.id_number_masked,
            "street": p.street_id, "street_name": p.street.name, "committee": p.committee_id, "number": c.number,
            "grade": c.grade, "kind": c.kind, "valid_from": c.valid_from, "valid_to": c.valid_to,
            "validity": c.validity, "validity_label": selectors.Validity.LABELS[c.validity]}


@router.get("/disability/certificates", response=responses(DisabilityCertificatePage),
            operation_id="disability_certificates", summary="残疾人证（辖区内，含今天的有效性）")
def certificate_list(request: HttpRequest, validity: ValidityCode | None = Query(None),
                     limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.certificates_visible(request.user, timezone.localdate()))
    if validity:
        rows = rows.filter(validity=validity)
    rows = rows.order_by("id")
    return {"count": rows.count(), "results": [_certificate(c) for c in rows[offset: offset + limit]]}


@router.get("/disability/certificates/expiring", response=responses(DisabilityExpiringPage),
            operation_id="disability_certificates_expiring", summary="即将到期的残疾人证和将停发的补贴")
def certificate_expiring(request: HttpRequest,
                         days: int = Query(selectors.EXPIRY_WINDOW_DAYS, ge=1, le=selectors.EXPIRY_WINDOW_MAX,
                                           description="到期窗口（天）"),
                         limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.certificates_expiring(request.user, timezone.localdate(), days))
    return {"days": days, "count": rows.count(),
            "results": [{**_certificate(c), "stopping": selectors.enrolments_stopping(c)}
                        for c in rows[offset: offset + limit]]}


# --- rental subsidy ---------------------------------------------------------------------------

class DisabilityPointOut(Schema):
    id: int
    name: str
    street: str
    street_name: str
    address: str
    operator: str
    opened_on: dt.date
    closed_on: dt.date | None


class DisabilityPointIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    street_code: str = Field(pattern=r"^\d{9}$", description="街镇代码")
    address: str = Field(min_length=1, max_length=200)
    operator: str = Field(min_length=1, max_length=100)
    phone: str = Field("", max_length=32)
    opened_on: dt.date


class DisabilityRentalOut(Schema):
    id: int
    point_id: int
    point_name: str
    person_id: int
    name: str
    id_number_masked: str
    street: str
    committee: str
    device_category: str
    device_category_label: str
    device_name: str
    start_on: dt.date
    end_on: dt.date | None = Field(description="空：租用中")
    monthly_rent_fen: int = Field(description="月租金（分）")


class DisabilityRentalPage(Schema):
    count: int
    results: list[DisabilityRentalOut]


class DisabilityRentalIn(Schema):
    point_id: int = Field(ge=1, le=ID_MAX)
    person_id: int = Field(ge=1, le=ID_MAX)
    device_category: DeviceCode
    device_name: str = Field(min_length=1, max_length=100)
    start_on: dt.date
    end_on: dt.date | None = None
    monthly_rent_fen: int = Field(ge=1, le=services.MAX_RENT_FEN, description="月租金（分）")


class DisabilityApplicationOut(Schema):
    id: int
    number: str
    rental_id: int
    person_id: int
    name: str
    id_number_masked: str
    street: str
    committee: str
    applicant_name: str
    applicant_relation: str
    applied_on: dt.date
    status: str
    status_label: str
    subsidy_fen: int | None = Field(description="审核通过的补贴金额（分）；未审核为空")
    estimate_fen: int | None = Field(description="按现有标准测算的金额（分）；参数缺失或租用未结束为空")
    parameter_missing: list[str] = Field(description=f"缺失的参数（{PARAMETER_MISSING}）")
    payment_reference: str


class DisabilityApplicationPage(Schema):
    count: int
    results: list[DisabilityApplicationOut]


class DisabilityApplicationIn(Schema):
    rental_id: int = Field(ge=1, le=ID_MAX)
    applicant_relation: RelationCode
    applicant_name: str = Field("", max_length=64, description="代办时必填")
    applied_on: dt.date | None = None


class DisabilityRejectIn(Schema):
    reason: str = Field(min_length=1, max_length=200)


class DisabilityParameterOut(Schema):
    kind: str
    label: str
    value: int | None = Field(description="比例为百分数，上限为分；空：参数缺失")
    effective: dt.date | None
    reference: str | None
    status: str = Field(description=f"有取值：此参数尚未核实（工作人员录入）；无取值：{PARAMETER_MISSING}")


class DisabilityParameterIn(Schema):
    kind: ParameterCode
    effective_from: dt.date
    value: int = Field(ge=1, le=services.MAX_CAP_FEN)
    document_name: str = Field(min_length=1, max_length=200)
    document_number: str = Field(min_length=1, max_length=100)


def _point(p) -> dict:
    return {"id": p.pk, "name": p.name, "street": p.street_id, "street_name": p.street.name, "address": p.address,
            "operator": p.operator, "opened_on": p.opened_on, "closed_on": p.closed_on}


def _rental(r: Rental) -> dict:
    return {"id": r.pk, "point_id": r.point_id, "point_name": r.point.name, "person_id": r.person_id,
            "name": r.person.name, "id_number_masked": r.person.id_number_masked, "street": r.street_id,
            "committee": r.committee_id, "device_category": r.device_category,
            "device_category_label": r.get_device_category_display(), "device_name": r.device_name,
            "start_on": r.start_on, "end_on": r.end_on, "monthly_rent_fen": r.monthly_rent_fen}


def _application(a: AidRentalApplication) -> dict:
    amount = rental_amount(a.rental) if a.rental.end_on else None
    return {"id": a.pk, "number": a.number, "rental_id": a.rental_id, "person_id": a.person_id, "name": a.person.name,
            "id_number_masked": a.person.id_number_masked, "street": a.street_id, "committee": a.committee_id,
            "applicant_name": a.applicant_name, "applicant_relation": a.applicant_relation,
            "applied_on": a.applied_on, "status": a.status, "status_label": a.get_status_display(),
            "subsidy_fen": a.subsidy_fen, "estimate_fen": amount.fen if amount else None,
            "parameter_missing": amount.missing if amount else [], "payment_reference": a.payment_reference}


@router.get("/disability/rental/points", response=responses(list[DisabilityPointOut]),
            operation_id="disability_points", summary="康复辅具租赁服务点")
def point_list(request: HttpRequest) -> list[dict]:
    return [_point(p) for p in call_service(lambda: selectors.points_visible(request.user))]


@router.post("/disability/rental/points", response=responses(DisabilityPointOut, 201),
             operation_id="disability_point_create", summary="登记康复辅具租赁服务点")
def point_create(request: HttpRequest, payload: DisabilityPointIn) -> Status:
    return Status(201, _point(call_service(lambda: services.point_create(actor=request.user, **payload.dict()))))


@router.get("/disability/rental/records", response=responses(DisabilityRentalPage),
            operation_id="disability_rentals", summary="康复辅具租赁记录")
def rental_list(request: HttpRequest, limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.rentals_visible(request.user)).order_by("-id")
    return {"count": rows.count(), "results": [_rental(r) for r in rows[offset: offset + limit]]}


@router.post("/disability/rental/records", response=responses(DisabilityRentalOut, 201),
             operation_id="disability_rental_record", summary="登记康复辅具租赁记录（服务点报送）")
def rental_record(request: HttpRequest, payload: DisabilityRentalIn) -> Status:
    def run():
        point = selectors.point_get(request.user, payload.point_id)
        person = person_get(request.user, payload.person_id)
        return services.rental_record(actor=request.user, point=point, person=person,
                                      device_category=payload.device_category, device_name=payload.device_name,
                                      start_on=payload.start_on, end_on=payload.end_on,
                                      monthly_rent_fen=payload.monthly_rent_fen)
    return Status(201, _rental(call_service(run)))


@router.get("/disability/rental/applications", response=responses(DisabilityApplicationPage),
            operation_id="disability_applications", summary="康复辅具租赁补贴申请")
def application_list(request: HttpRequest, status: StatusCode | None = Query(None),
                     limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.applications_visible(request.user))
    if status:
        rows = rows.filter(status=status)
    rows = rows.order_by("-id")
    return {"count": rows.count(), "results": [_application(a) for a in rows[offset: offset + limit]]}


@router.get("/disability/rental/applications/{application_id}", response=responses(DisabilityApplicationOut),
            operation_id="disability_application_detail", summary="康复辅具租赁补贴申请详情")
def application_detail(request: HttpRequest, application_id: int = path_id("申请编号")) -> dict:
    return _application(call_service(lambda: selectors.application_get(request.user, application_id)))


@router.post("/disability/rental/applications", response=responses(DisabilityApplicationOut, 201, conflict=True),
             operation_id="disability_application_create", summary="登记康复辅具租赁补贴申请（本人或代办）")
def application_create(request: HttpRequest, payload: DisabilityApplicationIn) -> Status:
    def run():
        rental = selectors.rental_get(request.user, payload.rental_id)
        return services.application_create(actor=request.user, rental=rental, applicant_name=payload.applicant_name,
                                           applicant_relation=payload.applicant_relation,
                                           applied_on=payload.applied_on)
    return Status(201, _application(call_service(run)))


@router.post("/disability/rental/applications/{application_id}/approve",
             response=responses(DisabilityApplicationOut, conflict=True),
             operation_id="disability_application_approve", summary="审核通过（参数缺失时拒绝）")
def application_approve(request: HttpRequest, application_id: int = path_id("申请编号")) -> dict:
    return _application(call_service(lambda: services.application_approve(
        actor=request.user, application=selectors.application_get(request.user, application_id))))


@router.post("/disability/rental/applications/{application_id}/reject",
             response=responses(DisabilityApplicationOut, conflict=True),
             operation_id="disability_application_reject", summary="不予补贴")
def application_reject(request: HttpRequest, payload: DisabilityRejectIn,
                       application_id: int = path_id("申请编号")) -> dict:
    return _application(call_service(lambda: services.application_reject(
        actor=request.user, application=selectors.application_get(request.user, application_id),
        reason=payload.reason)))


@router.post("/disability/rental/applications/{application_id}/payment",
             response=responses(DisabilityApplicationOut, conflict=True),
             operation_id="disability_application_pay", summary="申请发放补贴（一次性补贴，收款人为残疾人本人）")
def application_pay(request: HttpRequest, application_id: int = path_id("申请编号")) -> dict:
    return _application(call_service(lambda: services.subsidy_request(
        actor=request.user, application=selectors.application_get(request.user, application_id))))


@router.get("/disability/rental/parameters", response=responses(list[DisabilityParameterOut]),
            operation_id="disability_parameters", summary="租赁补贴标准（今天适用；无取值为参数缺失）")
def parameter_list(request: HttpRequest) -> list[dict]:
    call_service(lambda: require(request.user, selectors.VIEW))
    out = []
    for kind, value in parameters_on(timezone.localdate()).items():
        out.append({"kind": kind, "label": ParameterKind(kind).label, "value": value.value if value else None,
                    "effective": value.effective if value else None, "reference": value.reference if value else None,
                    "status": "此参数尚未核实" if value else PARAMETER_MISSING})
    return out


@router.post("/disability/rental/parameters", response=responses(DisabilityParameterOut, 201, conflict=True),
             operation_id="disability_parameter_enter", summary="录入租赁补贴标准（注明依据文件名称和文号）")
def parameter_enter(request: HttpRequest, payload: DisabilityParameterIn) -> Status:
    row = call_service(lambda: services.cited_value_enter(actor=request.user, **payload.dict()))
    return Status(201, {"kind": row.kind, "label": row.get_kind_display(), "value": row.value,
                        "effective": row.effective_from, "reference": f"{row.document_name}（{row.document_number}）",
                        "status": "此参数尚未核实"})


# --- rehabilitation and care beds ---------------------------------------------------------------

class DisabilityCoverageStreetOut(Schema):
    street: str
    street_name: str
    sites: int
    working: int
    covered: bool
    served: int


class DisabilityCoverageOut(Schema):
    day: dt.date
    covered: int = Field(description="有运行中站点的街镇数")
    towns: int = Field(description="全区街镇数")
    percent: float | None
    target_percent: int | None = Field(description="年度目标覆盖率（%）；未录入为空")
    target_towns: int | None
    target_source: str | None
    met: bool | None
    streets: list[DisabilityCoverageStreetOut]


class DisabilityRehabSiteOut(Schema):
    id: int
    name: str
    street: str
    street_name: str
    status: str | None = Field(description="今天的状态；未登记为空")
    status_label: str | None
    status_since: dt.date | None
    participants: int = Field(description="在册服务对象")


class DisabilitySiteStatusIn(Schema):
    status: SiteStatusCode
    effective_on: dt.date
    note: str = Field("", max_length=200)


class DisabilityParticipantIn(Schema):
    person_id: int = Field(ge=1, le=ID_MAX)
    enrolled_on: dt.date


class DisabilityParticipantOut(Schema):
    id: int
    site_id: int
    person_id: int
    name: str
    enrolled_on: dt.date
    exited_on: dt.date | None
    exit_reason: str


class DisabilityExitIn(Schema):
    exited_on: dt.date
    reason: str = Field(min_length=1, max_length=200)


class DisabilityBedSiteOut(Schema):
    id: int
    name: str
    street: str
    planned: int
    opened: int


class DisabilityBedProjectOut(Schema):
    id: int
    name: str
    year: int
    target_beds: int
    due_on: dt.date | None
    source: str
    opened: int
    percent: float
    sites: list[DisabilityBedSiteOut]


class DisabilityStreetFiguresOut(Schema):
    street: str
    street_name: str
    certificates: int
    expiring: int
    points: int
    rentals_open: int
    applications_open: int
    rehab_working: int
    served: int
    beds_opened: int


def _site(site, status, participants: int) -> dict:
    return {"id": site.pk, "name": site.name, "street": site.street_id, "street_name": site.street.name,
            "status": status.status if status else None, "status_label": status.get_status_display() if status else None,
            "status_since": status.effective_on if status else None, "participants": participants}


def _participant(p) -> dict:
    return {"id": p.pk, "site_id": p.site_id, "person_id": p.person_id, "name": p.person.name,
            "enrolled_on": p.enrolled_on, "exited_on": p.exited_on, "exit_reason": p.exit_reason}


@router.get("/disability/rehab/coverage", response=responses(DisabilityCoverageOut),
            operation_id="disability_rehab_coverage", summary="精神障碍社区康复街镇覆盖率（实时）")
def rehab_coverage(request: HttpRequest) -> dict:
    today = timezone.localdate()
    coverage = call_service(lambda: selectors.rehab_coverage(request.user, today))
    return {"day": today, "covered": coverage.covered, "towns": coverage.towns,
            "percent": float(coverage.percent) if coverage.percent is not None else None,
            "target_percent": coverage.target.percent if coverage.target else None,
            "target_towns": coverage.target_towns, "target_source": coverage.target.source if coverage.target else None,
            "met": coverage.met,
            "streets": [{"street": r.street.code, "street_name": r.street.name, "sites": r.sites, "working": r.working,
                         "covered": r.covered, "served": r.served}
                        for r in selectors.coverage_rows_visible(request.user, coverage)]}


@router.get("/disability/rehab/sites", response=responses(list[DisabilityRehabSiteOut]),
            operation_id="disability_rehab_sites", summary="精神障碍社区康复站点（今天的状态）")
def rehab_sites(request: HttpRequest) -> list[dict]:
    sites = list(call_service(lambda: selectors.rehab_sites_visible(request.user)))
    statuses = selectors.site_statuses_on(timezone.localdate(), [s.pk for s in sites])
    return [_site(s, statuses.get(s.pk), s.participants.filter(exited_on__isnull=True).count()) for s in sites]


@router.post("/disability/rehab/sites/{site_id}/status", response=responses(DisabilityRehabSiteOut, 201, conflict=True),
             operation_id="disability_rehab_site_status", summary="登记康复站点状态（自生效日期起）")
def rehab_site_status(request: HttpRequest, payload: DisabilitySiteStatusIn,
                      site_id: int = path_id("站点编号")) -> Status:
    def run():
        site = selectors.rehab_site_get(request.user, site_id)
        services.rehab_site_status_set(actor=request.user, site=site, **payload.dict())
        return site
    site = call_service(run)
    status = selectors.site_statuses_on(timezone.localdate(), [site.pk]).get(site.pk)
    return Status(201, _site(site, status, site.participants.filter(exited_on__isnull=True).count()))


@router.post("/disability/rehab/sites/{site_id}/participants",
             response=responses(DisabilityParticipantOut, 201, conflict=True),
             operation_id="disability_rehab_enrol", summary="纳入精神障碍社区康复服务")
def rehab_enrol(request: HttpRequest, payload: DisabilityParticipantIn, site_id: int = path_id("站点编号")) -> Status:
    def run():
        site = selectors.rehab_site_get(request.user, site_id)
        person = person_get(request.user, payload.person_id)
        return services.participant_enrol(actor=request.user, site=site, person=person,
                                          enrolled_on=payload.enrolled_on)
    return Status(201, _participant(call_service(run)))


@router.post("/disability/rehab/participants/{participant_id}/exit",
             response=responses(DisabilityParticipantOut, conflict=True),
             operation_id="disability_rehab_exit", summary="结束精神障碍社区康复服务")
def rehab_exit(request: HttpRequest, payload: DisabilityExitIn,
               participant_id: int = path_id("服务对象编号")) -> dict:
    return _participant(call_service(lambda: services.participant_exit(
        actor=request.user, participant=selectors.participant_get(request.user, participant_id),
        exited_on=payload.exited_on, reason=payload.reason)))


@router.get("/disability/care-beds", response=responses(list[DisabilityBedProjectOut]),
            operation_id="disability_care_beds", summary="重度残疾人照护床位项目进度")
def care_beds(request: HttpRequest) -> list[dict]:
    today = timezone.localdate()
    out = []
    for project in call_service(lambda: selectors.care_bed_projects(request.user)):
        p = selectors.care_bed_progress(request.user, project, today)
        out.append({"id": project.pk, "name": project.name, "year": project.year, "target_beds": project.target_beds,
                    "due_on": project.due_on, "source": project.source, "opened": p.opened,
                    "percent": float(p.percent),
                    "sites": [{"id": row["site"].pk, "name": row["site"].name, "street": row["site"].street_id,
                               "planned": row["planned"], "opened": row["opened"]} for row in p.sites]})
    return out


@router.get("/disability/overview", response=responses(list[DisabilityStreetFiguresOut]),
            operation_id="disability_overview", summary="残疾人服务按街镇的数字")
def overview(request: HttpRequest) -> list[dict]:
    rows = call_service(lambda: selectors.overview_by_street(request.user, timezone.localdate()))
    return [{"street": r.street.code, "street_name": r.street.name, "certificates": r.certificates,
             "expiring": r.expiring, "points": r.points, "rentals_open": r.rentals_open,
             "applications_open": r.applications_open, "rehab_working": r.rehab_working, "served": r.served,
             "beds_opened": r.beds_opened} for r in rows]
