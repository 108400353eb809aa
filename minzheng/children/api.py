"""困境儿童: the endpoints (mounted at /api/v1, ADR 0035). Scoped like the
pages: another committee's or street's child is 404; writes go through the
same services."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from minzheng.children import selectors, services
from minzheng.children.models import CheckOutcome, Child, EvidenceKind, Lead, LeadStatus
from minzheng.core.api import STAFF_AUTH, Limit, Offset, call_service, coded, path_id, responses
from minzheng.core.bounds import day_check

router = Router(tags=["困境儿童"], auth=STAFF_AUTH)

OutcomeCode = coded(CheckOutcome.choices, "排查结论")
EvidenceCode = coded(EvidenceKind.choices, "证明材料类型")
StatusCode = coded(LeadStatus.choices, "线索状态")


class ChildrenSpellOut(Schema):
    category: str
    started_on: dt.date
    ended_on: dt.date | None
    evidence: str
    end_reason: str


class ChildrenChildOut(Schema):
    id: int
    name: str
    id_number_masked: str = Field(description="身份证号（脱敏）")
    birth_date: dt.date
    street: str
    street_name: str
    committee: str
    committee_name: str
    categories: list[str] = Field(description="在类的类别（中文）")
    registered_on: dt.date
    ended_on: dt.date | None
    end_reason: str


class ChildrenChildPage(Schema):
    count: int
    results: list[ChildrenChildOut]


class ChildrenGuardianOut(Schema):
    name: str
    relation_label: str
    capacity_label: str
    started_on: dt.date
    ended_on: dt.date | None


class ChildrenEnrolmentOut(Schema):
    start_month: str
    end_month: str
    status_label: str
    status_reason: str
    monthly_amount_fen: int


class ChildrenChildDetailOut(ChildrenChildOut):
    spells: list[ChildrenSpellOut]
    guardians: list[ChildrenGuardianOut]
    enrolments: list[ChildrenEnrolmentOut] = Field(description="散居孤儿和事实无人抚养儿童基本生活费保障记录")
    stop_reasons: list[str] = Field(description="应退尽退核实中的测算理由（如：已满18周岁）")
    paid_fen: int = Field(description="已审批发放合计（分）")


class ChildrenLeadOut(Schema):
    id: int
    name: str
    committee: str
    kind_label: str
    detail: str
    category: str
    status: str
    status_label: str
    created_on: dt.date
    resolution: str


class ChildrenLeadPage(Schema):
    count: int
    results: list[ChildrenLeadOut]


class ChildrenLeadAcceptIn(Schema):
    started_on: dt.date
    evidence_kind: EvidenceCode
    evidence: str = Field(min_length=1, max_length=300)


class ChildrenLeadDismissIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class ChildrenCheckIn(Schema):
    checked_on: dt.date
    answers: dict[str, bool] = Field(description="排查事项代码 → 是/否（每项必填）")
    outcome: OutcomeCode
    note: str = Field("", max_length=500)


class ChildrenCheckOut(Schema):
    id: int
    child: int
    year: int
    checked_on: dt.date
    outcome: str
    outcome_label: str


class ChildrenStreetOut(Schema):
    street: str
    street_name: str
    total: int = Field(description="困境儿童（人，不重复）")
    orphan: int = Field(description="散居孤儿")
    poor: int = Field(description="家庭贫困儿童")
    disabled_ill: int = Field(description="残疾、患重病儿童")
    guardianship: int = Field(description="家庭监护缺失或监护不当的儿童")
    allowance_children: int = Field(description="基本生活费在保人数")
    paid_lines: int = Field(description="当年发放人次")
    paid_fen: int = Field(description="当年发放金额（分）")


def _child(c: Child) -> dict:
    return {"id": c.pk, "name": c.person.name, "id_number_masked": c.person.id_number_masked,
            "birth_date": c.person.birth_date, "street": c.street_id, "street_name": c.street.name,
            "committee": c.committee_id, "committee_name": c.committee.name,
            "categories": [s.category.label for s in c.spells.all() if s.ended_on is None],
            "registered_on": c.registered_on, "ended_on": c.ended_on, "end_reason": c.end_reason}


def _lead(x: Lead) -> dict:
    return {"id": x.pk, "name": x.person.name, "committee": x.committee_id, "kind_label": x.get_kind_display(),
            "detail": x.detail, "category": x.category.label, "status": x.status,
            "status_label": x.get_status_display(), "created_on": x.created_on, "resolution": x.resolution}


@router.get("/children/children", response=responses(ChildrenChildPage), operation_id="children_list",
            summary="困境儿童名册（在册）")
def child_list(request: HttpRequest, street: str | None = Query(None, pattern=r"^\d{9}$", description="街镇代码"),
               limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.children_open(request.user))
    if street:
        rows = rows.filter(street_id=street)
    page = rows.prefetch_related("spells__category").order_by("id")[offset: offset + limit]
    return {"count": rows.count(), "results": [_child(c) for c in page]}


@router.get("/children/children/{child_id}", response=responses(ChildrenChildDetailOut),
            operation_id="children_child", summary="困境儿童详情：类别记录、监护人、基本生活费")
def child_detail(request: HttpRequest, child_id: int = path_id("名册编号")) -> dict:
    child = call_service(lambda: selectors.child_get(request.user, child_id))
    allowance = selectors.allowance_of(child)
    out = _child(child)
    out.update(
        spells=[{"category": s.category.label, "started_on": s.started_on, "ended_on": s.ended_on,
                 "evidence": s.evidence, "end_reason": s.end_reason} for s in selectors.child_spells(child)],
        guardians=[{"name": g.name, "relation_label": g.get_relation_display(),
                    "capacity_label": g.get_capacity_display(), "started_on": g.started_on, "ended_on": g.ended_on}
                   for g in selectors.child_guardians(child)],
        enrolments=[{"start_month": e.start_month, "end_month": e.end_month, "status_label": e.get_status_display(),
                     "status_reason": e.status_reason, "monthly_amount_fen": e.monthly_amount_fen}
                    for e in allowance.enrolments],
        stop_reasons=[x["register_reason"] or "；".join(x["reasons"]) for x in allowance.exit_reviews], paid_fen=allowance.paid_fen)
    return out


@router.get("/children/leads", response=responses(ChildrenLeadPage), operation_id="children_leads",
            summary="困境儿童排查线索")
def lead_list(request: HttpRequest, status: StatusCode = LeadStatus.OPEN, limit: Limit = 50,
              offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.leads_visible(request.user)).filter(status=status).order_by("id")
    return {"count": rows.count(), "results": [_lead(x) for x in rows[offset: offset + limit]]}


@router.post("/children/leads/{lead_id}/accept", response=responses(ChildrenChildOut),
             operation_id="children_lead_accept", summary="线索纳入名册（按建议类别）")
def lead_accept(request: HttpRequest, payload: ChildrenLeadAcceptIn, lead_id: int = path_id("线索编号")) -> dict:
    child = call_service(lambda: services.lead_accept(
        actor=request.user, lead=selectors.lead_get(request.user, lead_id),
        started_on=day_check(payload.started_on, "起始日期"), evidence_kind=payload.evidence_kind,
        evidence=payload.evidence))
    return _child(child)


@router.post("/children/leads/{lead_id}/dismiss", response=responses(ChildrenLeadOut),
             operation_id="children_lead_dismiss", summary="线索不予纳入（写明理由）")
def lead_dismiss(request: HttpRequest, payload: ChildrenLeadDismissIn, lead_id: int = path_id("线索编号")) -> dict:
    return _lead(call_service(lambda: services.lead_dismiss(
        actor=request.user, lead=selectors.lead_get(request.user, lead_id), reason=payload.reason)))


@router.post("/children/campaigns/{year}/children/{child_id}/check", response=responses(ChildrenCheckOut, 201),
             operation_id="children_child_check", summary="登记一名儿童的年度排查结果")
def child_check(request: HttpRequest, payload: ChildrenCheckIn, year: int = path_id("年度"),
                child_id: int = path_id("名册编号")) -> Status:
    def run():
        campaign = selectors.campaigns().filter(year=year).first()
        if campaign is None:
            from minzheng.core.scope import OutOfScope

            raise OutOfScope("该年度未发起摸底排查")
        return services.child_check_record(
            actor=request.user, campaign=campaign, child=selectors.child_get(request.user, child_id),
            checked_on=day_check(payload.checked_on, "排查日期"), answers=payload.answers, outcome=payload.outcome,
            note=payload.note)
    check = call_service(run)
    return Status(201, {"id": check.pk, "child": check.child_id, "year": check.campaign.year,
                        "checked_on": check.checked_on, "outcome": check.outcome,
                        "outcome_label": check.get_outcome_display()})


@router.get("/children/figures", response=responses(list[ChildrenStreetOut]), operation_id="children_figures",
            summary="困境儿童按街镇统计（总结口径）")
def figures(request: HttpRequest, year: int = Query(None, ge=2000, le=2100, description="发放年度；默认今年")) -> list[dict]:
    today = timezone.localdate()
    rows = call_service(lambda: selectors.figures_by_street(request.user, year=year or today.year, day=today))
    return [{"street": r.street.code, "street_name": r.street.name, "total": r.total, **r.by_group,
             "allowance_children": r.allowance_children, "paid_lines": r.paid_lines, "paid_fen": r.paid_fen}
            for r in rows]


