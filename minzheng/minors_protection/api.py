"""未成年人保护: the endpoints (mounted at /api/v1, ADR 0036). The same rule as
the pages: a case is read only by the staff assigned to it and the office
members (404 for anyone else); every read of one case is audited; lists mask
names and ID numbers; writes through the services."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from minzheng.core.api import (
    STAFF_AUTH,
    YEAR_PATTERN,
    Limit,
    Offset,
    call_service,
    coded,
    path_id,
    responses,
)
from minzheng.core.bounds import day_check, year_parse
from minzheng.core.models import User
from minzheng.core.permissions import require
from minzheng.core.personal_data import mask_name
from minzheng.core.scope import OutOfScope
from minzheng.minors_protection import selectors, services
from minzheng.minors_protection.models import (
    Case,
    CaseStatus,
    CloseReason,
    ConcernKind,
    Measure,
    MeasureKind,
    ReporterKind,
    RiskLevel,
    Urgency,
)
from minzheng.registry import selectors as registry

router = Router(tags=["未成年人保护"], auth=STAFF_AUTH)

UrgencyCode = coded(Urgency.choices, "紧急程度")
ReporterCode = coded(ReporterKind.choices, "报告人类别")
RiskCode = coded(RiskLevel.choices, "风险等级")
MeasureCode = coded(MeasureKind.choices, "措施")
CloseCode = coded(CloseReason.choices, "结案原因")
StatusCode = coded(CaseStatus.choices, "状态")


class MinorsCaseRow(Schema):
    id: int
    number: str
    child_name_masked: str = Field(description="未成年人姓名（脱敏）")
    id_number_masked: str = Field(description="身份证号（脱敏）")
    street: str
    street_name: str
    kinds: list[str] = Field(description="情形（中文）")
    urgency: str
    urgency_label: str
    special_protection: bool
    status: str
    status_label: str
    reported_at: dt.datetime
    assessment_due_at: dt.datetime
    overdue: bool = Field(description="待评估且已过评估期限")


class MinorsCasePage(Schema):
    count: int
    results: list[MinorsCaseRow]


class MinorsMeasureOut(Schema):
    id: int
    kind: str
    kind_label: str
    taken_on: dt.date
    agency: str
    detail: str
    outcome: str
    outcome_on: dt.date | None = Field(description="结果日期；尚无结果为空")


class MinorsAssignmentOut(Schema):
    username: str
    name: str
    lead: bool


class MinorsCaseOut(Schema):
    id: int
    number: str
    child_id: int
    child_name: str
    id_number_masked: str
    birth_date: dt.date
    street: str
    street_name: str
    committee: str
    committee_name: str
    station: str | None = Field(description="工作站；该街镇尚未设立为空")
    kinds: list[str]
    urgency: str
    urgency_label: str
    reporter_kind: str
    reporter_kind_label: str
    reporter_name: str
    description: str
    reported_at: dt.datetime
    deadline_hours: int = Field(description="评估时限（小时，本局工作设定，非法定时限）")
    assessment_due_at: dt.datetime
    overdue: bool
    special_protection: bool
    special_reason: str
    status: str
    status_label: str
    risk_level: str
    assessed_at: dt.datetime | None
    assessment: str
    plan: str = Field(description="一人一方案")
    closed_on: dt.date | None
    close_reason: str
    close_note: str
    measures: list[MinorsMeasureOut]
    assigned: list[MinorsAssignmentOut]


class MinorsReportIn(Schema):
    child_id: int = Field(ge=1, le=2**63 - 1, description="未成年人（人口库人员编号，本人辖区内）")
    kind_codes: list[str] = Field(min_length=1, max_length=20, description="情形代码（见 /minors/kinds）")
    urgency: UrgencyCode
    reporter_kind: ReporterCode
    reporter_name: str = Field("", max_length=100)
    description: str = Field(min_length=1, max_length=2000)
    special_protection: bool = False
    special_reason: str = Field("", max_length=200)


class MinorsReportOut(Schema):
    id: int
    number: str
    assessment_due_at: dt.datetime
    visible_to_me: bool = Field(description="上报人是否可以查看该个案（被指派或区未保办成员）")


class MinorsAssessIn(Schema):
    risk_level: RiskCode
    assessment: str = Field(min_length=1, max_length=2000)
    plan: str = Field("", max_length=2000, description="一人一方案")


class MinorsMeasureIn(Schema):
    kind: MeasureCode
    taken_on: dt.date
    agency: str = Field("", max_length=100, description="接收单位（转介时必填）")
    detail: str = Field(min_length=1, max_length=1000)


class MinorsOutcomeIn(Schema):
    outcome: str = Field(min_length=1, max_length=1000)
    outcome_on: dt.date


class MinorsCloseIn(Schema):
    reason: CloseCode
    closed_on: dt.date
    note: str = Field("", max_length=300)


class MinorsAssignIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    lead: bool = False


class MinorsKindOut(Schema):
    code: str
    label: str
    mandatory_report: bool


class MinorsDeadlineOut(Schema):
    urgency: str
    urgency_label: str
    hours: int
    basis: str
    bureau_setting: bool = Field(description="本局工作设定（非法定时限）")


class MinorsStreetOut(Schema):
    street: str
    street_name: str
    station: bool
    reported: int
    open: int
    overdue: int
    special: int
    closed: int


class MinorsKindCountOut(Schema):
    kind: str
    label: str
    cases: int


class MinorsOverviewOut(Schema):
    year: int
    reported: int
    open: int
    overdue: int
    special: int
    special_with_plan: int
    closed: int
    stations: int
    streets: list[MinorsStreetOut]
    kinds: list[MinorsKindCountOut]


class MinorsStationOut(Schema):
    id: int
    name: str
    street: str
    street_name: str
    address: str
    phone: str
    active: bool
    staff: list[str] = Field(description="在岗工作人员（姓名和职务）")


def _row(c: Case, now: dt.datetime) -> dict:
    return {"id": c.pk, "number": c.number, "child_name_masked": mask_name(c.child.name),
            "id_number_masked": c.child.id_number_masked, "street": c.street_id, "street_name": c.street.name,
            "kinds": [k.label for k in c.kinds.all()], "urgency": c.urgency, "urgency_label": c.get_urgency_display(),
            "special_protection": c.special_protection, "status": c.status, "status_label": c.get_status_display(),
            "reported_at": c.reported_at, "assessment_due_at": c.assessment_due_at,
            "overdue": selectors.case_overdue(c, now)}


def _measure(m: Measure) -> dict:
    return {"id": m.pk, "kind": m.kind, "kind_label": m.get_kind_display(), "taken_on": m.taken_on,
            "agency": m.agency, "detail": m.detail, "outcome": m.outcome, "outcome_on": m.outcome_on}


def _detail(c: Case) -> dict:
    return {"id": c.pk, "number": c.number, "child_id": c.child_id, "child_name": c.child.name,
            "id_number_masked": c.child.id_number_masked, "birth_date": c.child.birth_date,
            "street": c.street_id, "street_name": c.street.name, "committee": c.committee_id,
            "committee_name": c.committee.name, "station": c.station.name if c.station else None,
            "kinds": [k.label for k in c.kinds.all()], "urgency": c.urgency, "urgency_label": c.get_urgency_display(),
            "reporter_kind": c.reporter_kind, "reporter_kind_label": c.get_reporter_kind_display(),
            "reporter_name": c.reporter_name, "description": c.description, "reported_at": c.reported_at,
            "deadline_hours": c.deadline_hours, "assessment_due_at": c.assessment_due_at,
            "overdue": selectors.case_overdue(c), "special_protection": c.special_protection,
            "special_reason": c.special_reason, "status": c.status, "status_label": c.get_status_display(),
            "risk_level": c.risk_level, "assessed_at": c.assessed_at, "assessment": c.assessment, "plan": c.plan,
            "closed_on": c.closed_on, "close_reason": c.close_reason, "close_note": c.close_note,
            "measures": [_measure(m) for m in selectors.case_measures(c)],
            "assigned": [{"username": a.user.username, "name": a.user.full_name or a.user.username, "lead": a.lead}
                         for a in selectors.case_assignments(c)]}


def _case(request: HttpRequest, case_id: int, what: str) -> Case:
    """The case under the access rule; a refused look at an existing case is audited."""
    try:
        return selectors.case_get(request.user, case_id)
    except OutOfScope:
        services.case_view_refused_record(actor=request.user, case_id=case_id, what=what)
        raise


@router.get("/minors/cases", response=responses(MinorsCasePage), operation_id="minors_cases",
            summary="未成年人保护个案（仅本人可查看的；姓名、身份证号脱敏）")
def case_list(request: HttpRequest, status: StatusCode | None = Query(None), overdue: bool = False,
              limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.cases_visible(request.user))
    now = timezone.now()
    if status:
        rows = rows.filter(status=status)
    if overdue:
        rows = rows.filter(status=CaseStatus.REPORTED, assessment_due_at__lt=now)
    page = rows.prefetch_related("kinds").order_by("-reported_at", "-id")[offset: offset + limit]
    return {"count": rows.count(), "results": [_row(c, now) for c in page]}


@router.post("/minors/cases", response=responses(MinorsReportOut, 201), operation_id="minors_case_report",
             summary="上报未成年人保护个案（接报登记）")
def case_report(request: HttpRequest, payload: MinorsReportIn) -> Status:
    def run():
        child = registry.person_get(request.user, payload.child_id)
        kinds = list(ConcernKind.objects.filter(code__in=payload.kind_codes))
        if len(kinds) != len(set(payload.kind_codes)):
            raise ValidationError("情形代码无效（见 /api/v1/minors/kinds）")
        return services.case_report(actor=request.user, child=child, kinds=kinds, urgency=payload.urgency,
                                    description=payload.description, reporter_kind=payload.reporter_kind,
                                    reporter_name=payload.reporter_name,
                                    special_protection=payload.special_protection,
                                    special_reason=payload.special_reason)
    case = call_service(run)
    return Status(201, {"id": case.pk, "number": case.number, "assessment_due_at": case.assessment_due_at,
                        "visible_to_me": selectors.may_see(request.user, case)})


@router.get("/minors/cases/{case_id}", response=responses(MinorsCaseOut), operation_id="minors_case",
            summary="未成年人保护个案详情（查阅记入审计日志）")
def case_detail(request: HttpRequest, case_id: int = path_id("个案编号")) -> dict:
    case = call_service(lambda: _case(request, case_id, "接口查阅个案"))
    call_service(lambda: services.case_view_record(actor=request.user, case=case, what="接口查阅个案"))
    return _detail(case)


@router.post("/minors/cases/{case_id}/assessment", response=responses(MinorsCaseOut, conflict=True),
             operation_id="minors_case_assess", summary="个案评估（风险等级、评估意见、一人一方案）")
def case_assess(request: HttpRequest, payload: MinorsAssessIn, case_id: int = path_id("个案编号")) -> dict:
    case = call_service(lambda: services.case_assess(actor=request.user, case=_case(request, case_id, "办理个案"),
                                                     risk_level=payload.risk_level, assessment=payload.assessment,
                                                     plan=payload.plan))
    return _detail(case)


@router.post("/minors/cases/{case_id}/measures", response=responses(MinorsMeasureOut, 201, conflict=True),
             operation_id="minors_measure_record", summary="登记干预措施（家访、转介公安、教育、法院等）")
def measure_record(request: HttpRequest, payload: MinorsMeasureIn, case_id: int = path_id("个案编号")) -> Status:
    measure = call_service(lambda: services.measure_record(
        actor=request.user, case=_case(request, case_id, "办理个案"), kind=payload.kind,
        taken_on=day_check(payload.taken_on, "措施日期"), agency=payload.agency, detail=payload.detail))
    return Status(201, _measure(measure))


@router.post("/minors/cases/{case_id}/measures/{measure_id}/outcome",
             response=responses(MinorsMeasureOut, conflict=True), operation_id="minors_measure_outcome",
             summary="登记干预措施的结果")
def measure_outcome(request: HttpRequest, payload: MinorsOutcomeIn, case_id: int = path_id("个案编号"),
                    measure_id: int = path_id("措施编号")) -> dict:
    def run():
        case = _case(request, case_id, "办理个案")
        measure = case.measures.get(pk=measure_id)
        return services.measure_outcome_record(actor=request.user, measure=measure, outcome=payload.outcome,
                                               outcome_on=day_check(payload.outcome_on, "结果日期"))
    return _measure(call_service(run))


@router.post("/minors/cases/{case_id}/closure", response=responses(MinorsCaseOut, conflict=True),
             operation_id="minors_case_close", summary="结案（结案原因）")
def case_close(request: HttpRequest, payload: MinorsCloseIn, case_id: int = path_id("个案编号")) -> dict:
    case = call_service(lambda: services.case_close(
        actor=request.user, case=_case(request, case_id, "办理个案"), reason=payload.reason,
        closed_on=day_check(payload.closed_on, "结案日期"), note=payload.note))
    return _detail(case)


@router.post("/minors/cases/{case_id}/assignments", response=responses(MinorsAssignmentOut, 201, conflict=True),
             operation_id="minors_case_assign", summary="指派个案工作人员（区未保办）")
def case_assign(request: HttpRequest, payload: MinorsAssignIn, case_id: int = path_id("个案编号")) -> Status:
    def run():
        case = _case(request, case_id, "指派工作人员")
        user = User.objects.get(username=payload.username)
        return services.case_assign(actor=request.user, case=case, user=user, lead=payload.lead)
    a = call_service(run)
    return Status(201, {"username": a.user.username, "name": a.user.full_name or a.user.username, "lead": a.lead})


@router.get("/minors/kinds", response=responses(list[MinorsKindOut]), operation_id="minors_kinds",
            summary="个案情形（启用的）")
def kinds(request: HttpRequest) -> list[dict]:
    call_service(lambda: require(request.user, "minors.report"))
    return [{"code": k.code, "label": k.label, "mandatory_report": k.mandatory_report}
            for k in selectors.concern_kinds()]


@router.get("/minors/deadlines", response=responses(list[MinorsDeadlineOut]), operation_id="minors_deadlines",
            summary="个案评估时限（本局工作设定，非法定时限）")
def deadlines(request: HttpRequest) -> list[dict]:
    call_service(lambda: require(request.user, "minors.view"))
    return [{"urgency": d.urgency, "urgency_label": d.get_urgency_display(), "hours": d.hours, "basis": d.basis,
             "bureau_setting": d.bureau_setting} for d in selectors.deadlines()]


@router.get("/minors/overview", response=responses(MinorsOverviewOut), operation_id="minors_overview",
            summary="个案统计：按街镇和情形（仅区未保办成员；不含个人信息）")
def overview(request: HttpRequest,
             year: str | None = Query(None, pattern=YEAR_PATTERN, description="年份（YYYY）；省略：今年")) -> dict:
    def run():
        y = year_parse(year) if year else timezone.localdate().year
        return selectors.overview(request.user, y)
    data = call_service(run)
    return {"year": data.year, "reported": data.reported, "open": data.open, "overdue": data.overdue,
            "special": data.special, "special_with_plan": data.special_with_plan, "closed": data.closed,
            "stations": data.stations,
            "streets": [{"street": s.street.code, "street_name": s.street.name, "station": s.station,
                         "reported": s.reported, "open": s.open, "overdue": s.overdue, "special": s.special,
                         "closed": s.closed} for s in data.streets],
            "kinds": [{"kind": k.code, "label": k.label, "cases": n} for k, n in data.kinds]}


@router.get("/minors/stations", response=responses(list[MinorsStationOut]), operation_id="minors_stations",
            summary="未成年人保护工作站和在岗工作人员")
def stations(request: HttpRequest) -> list[dict]:
    rows = call_service(lambda: list(selectors.stations_visible(request.user)))
    return [{"id": s.pk, "name": s.name, "street": s.street_id, "street_name": s.street.name, "address": s.address,
             "phone": s.phone, "active": s.active,
             "staff": [f"{p.name}（{p.get_position_display()}）" for p in selectors.station_staff(s)]} for s in rows]
