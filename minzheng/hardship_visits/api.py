"""特殊困难老年人探访关爱: the endpoints (mounted at /api/v1, ADR 0034).
Scoped like the pages: another committee's or street's entry is 404. The
pages' writes are here too, through the same services: a visit, a visitor
(a named volunteer, or the calling committee account itself), assigning a
target's visitor; the wrong role 403, a broken rule 422 in Chinese."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

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
from minzheng.core.bounds import day_check
from minzheng.core.models import Division, DivisionLevel
from minzheng.core.permissions import require
from minzheng.hardship_visits import selectors, services
from minzheng.hardship_visits.models import VisitMode, Visitor, VisitTarget

router = Router(tags=["特殊困难老年人探访关爱"], auth=STAFF_AUTH)

ModeCode = coded(VisitMode.choices, "探访方式")


class HardshipVisitTargetOut(Schema):
    id: int
    name: str
    id_number_masked: str = Field(description="身份证号（脱敏）")
    street: str
    street_name: str
    committee: str
    committee_name: str
    categories: list[str] = Field(description="类别（中文）")
    frequency_days: int
    visitor: str | None = Field(description="探访人员；未指派为空")
    started_on: dt.date
    last_visited_on: dt.date | None = Field(description="最近探访日期；尚未探访为空")
    next_due_on: dt.date
    overdue: bool
    ended_on: dt.date | None
    end_reason: str


class HardshipVisitTargetPage(Schema):
    count: int
    results: list[HardshipVisitTargetOut]


class HardshipVisitVisitOut(Schema):
    id: int
    visited_on: dt.date
    visitor: str
    mode: str
    mode_label: str
    findings: str
    needs_follow_up: bool
    follow_up_note: str


class HardshipVisitTargetDetailOut(HardshipVisitTargetOut):
    visits: list[HardshipVisitVisitOut]


class HardshipVisitVisitIn(Schema):
    visited_on: dt.date = Field(description="探访日期")
    visitor_id: int = Field(ge=1, description="探访人员编号（本居村委）")
    mode: ModeCode
    findings: str = Field(min_length=1, max_length=2000)
    needs_follow_up: bool = False
    follow_up_note: str = Field("", max_length=200)


class HardshipVisitStreetOut(Schema):
    street: str
    street_name: str
    targets: int
    assigned: int
    overdue: int
    visited_30d: int
    coverage_percent: float | None = Field(description="按期探访率（%）；没有探访对象时为空")


def _target(t: VisitTarget, today: dt.date) -> dict:
    return {"id": t.pk, "name": t.person.name, "id_number_masked": t.person.id_number_masked,
            "street": t.street_id, "street_name": t.street.name, "committee": t.committee_id,
            "committee_name": t.committee.name, "categories": [c.label for c in t.categories.all()],
            "frequency_days": t.frequency_days, "visitor": t.visitor.name if t.visitor else None,
            "started_on": t.started_on, "last_visited_on": t.last_visited_on, "next_due_on": t.next_due_on,
            "overdue": t.ended_on is None and t.next_due_on < today, "ended_on": t.ended_on,
            "end_reason": t.end_reason}


def _visit(v) -> dict:
    return {"id": v.pk, "visited_on": v.visited_on, "visitor": v.visitor.name, "mode": v.mode,
            "mode_label": v.get_mode_display(), "findings": v.findings, "needs_follow_up": v.needs_follow_up,
            "follow_up_note": v.follow_up_note}


@router.get("/eldercare/visits/targets", response=responses(HardshipVisitTargetPage), operation_id="hardship_visits_targets",
            summary="探访关爱名单（在册；overdue=true 只列逾期未探访）")
def target_list(request: HttpRequest, overdue: bool = False,
                street: str | None = Query(None, pattern=r"^\d{9}$", description="街镇区划代码（9位）"),
                limit: Limit = 50, offset: Offset = 0) -> dict:
    today = timezone.localdate()
    rows = call_service(lambda: selectors.targets_overdue(request.user, today) if overdue
                        else selectors.targets_open(request.user))
    if street:
        rows = rows.filter(street_id=street)
    page = rows.prefetch_related("categories").order_by("next_due_on", "id")[offset: offset + limit]
    return {"count": rows.count(), "results": [_target(t, today) for t in page]}


@router.get("/eldercare/visits/coverage", response=responses(list[HardshipVisitStreetOut]), operation_id="hardship_visits_coverage",
            summary="探访关爱按街镇覆盖情况")
def coverage(request: HttpRequest) -> list[dict]:
    rows = call_service(lambda: selectors.coverage_by_street(request.user, timezone.localdate()))
    return [{"street": r.street.code, "street_name": r.street.name, "targets": r.targets, "assigned": r.assigned,
             "overdue": r.overdue, "visited_30d": r.visited_30d, "coverage_percent": r.coverage} for r in rows]


@router.get("/eldercare/visits/targets/{target_id}", response=responses(HardshipVisitTargetDetailOut),
            operation_id="hardship_visits_target", summary="探访对象详情和探访记录")
def target_detail(request: HttpRequest, target_id: int = path_id("探访对象编号")) -> dict:
    target = call_service(lambda: selectors.target_get(request.user, target_id))
    out = _target(target, timezone.localdate())
    out["visits"] = [_visit(v) for v in selectors.target_visits(target)]
    return out


@router.post("/eldercare/visits/targets/{target_id}/visits", response=responses(HardshipVisitVisitOut, 201),
             operation_id="hardship_visits_visit_record", summary="登记探访（上门或电话）")
def visit_record(request: HttpRequest, payload: HardshipVisitVisitIn, target_id: int = path_id("探访对象编号")) -> Status:
    def run():
        require(request.user, "hardship_visits.visit")  # role first: the visitor lookup below may 404 (ADR 0010)
        target = selectors.target_get(request.user, target_id)
        visitor = selectors.visitors_for(target).get(pk=payload.visitor_id)
        return services.visit_record(actor=request.user, target=target,
                                     visited_on=day_check(payload.visited_on, "探访日期"), visitor=visitor,
                                     mode=payload.mode, findings=payload.findings,
                                     needs_follow_up=payload.needs_follow_up, follow_up_note=payload.follow_up_note)
    return Status(201, _visit(call_service(run)))


# --- visitors and assignment -------------------------------------------------------------

COMMITTEE_CODE = r"^\d{12}$"


class HardshipVisitVisitorOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    committee: str = Field(description="居村委区划代码")
    committee_name: str
    phone: str
    active: bool = Field(description="在岗")


class HardshipVisitVisitorPage(Schema):
    count: int
    results: list[HardshipVisitVisitorOut]


class HardshipVisitVisitorIn(Schema):
    committee: str = Field(pattern=COMMITTEE_CODE, description="居村委区划代码（12位）")
    name: str = Field("", max_length=64, description="志愿者姓名（登记本人为工作人员探访人员时省略）")
    phone: str = Field("", max_length=32, description="联系电话")
    myself: bool = Field(False, description="true：登记本人（该居村委的居村委工作人员账号）为工作人员探访人员")


class HardshipVisitAssignIn(Schema):
    visitor_id: RecordId | None = Field(description="探访人员编号（本居村委在岗）；null：取消指派")


def _visitor(v: Visitor) -> dict:
    return {"id": v.pk, "name": v.name, "kind": v.kind, "kind_label": v.get_kind_display(),
            "committee": v.committee_id, "committee_name": v.committee.name, "phone": v.phone, "active": v.active}


@router.get("/eldercare/visits/visitors", response=responses(HardshipVisitVisitorPage),
            operation_id="hardship_visits_visitors", summary="探访人员（本辖区）")
def visitor_list(request: HttpRequest,
                 committee: str | None = Query(None, pattern=COMMITTEE_CODE, description="居村委区划代码（12位）"),
                 limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.visitors_visible(request.user))
    if committee:
        rows = rows.filter(committee_id=committee)
    rows = rows.order_by("committee_id", "name", "id")
    return {"count": rows.count(), "results": [_visitor(v) for v in rows[offset: offset + limit]]}


@router.post("/eldercare/visits/visitors", response=responses(HardshipVisitVisitorOut, 201),
             operation_id="hardship_visits_visitor_create",
             summary="登记探访人员（志愿者，或本人作为居村委工作人员）")
def visitor_create(request: HttpRequest, payload: HardshipVisitVisitorIn) -> Status:
    def run():
        require(request.user, "hardship_visits.visit")
        committee = Division.objects.get(code=payload.committee, level=DivisionLevel.COMMITTEE)
        if payload.myself:
            return services.visitor_create(actor=request.user, committee=committee, phone=payload.phone,
                                           user=request.user)
        return services.visitor_create(actor=request.user, committee=committee, name=payload.name,
                                       phone=payload.phone)

    visitor = call_service(run)
    return Status(201, _visitor(selectors.visitors_visible(request.user).get(pk=visitor.pk)))


@router.post("/eldercare/visits/targets/{target_id}/visitor", response=responses(HardshipVisitTargetOut),
             operation_id="hardship_visits_assign", summary="指派（或取消指派）探访人员")
def target_assign(request: HttpRequest, payload: HardshipVisitAssignIn, target_id: int = path_id("探访对象编号")) -> dict:
    def run():
        require(request.user, "hardship_visits.visit")
        target = selectors.target_get(request.user, target_id)
        visitor = (None if payload.visitor_id is None
                   else selectors.visitors_visible(request.user).get(pk=payload.visitor_id))
        return services.visitor_assign(actor=request.user, target=target, visitor=visitor)

    call_service(run)
    target = selectors.targets_visible(request.user).prefetch_related("categories").get(pk=target_id)
    return _target(target, timezone.localdate())
