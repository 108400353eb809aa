"""僵尸型社会组织: the endpoints (mounted at /api/v1, ADR 0042). Scoped like the pages: the section
and the auditor see every organization, an organization's account its own (another: 404); the
clean-up steps are the section's (403 otherwise); a step the case's state does not allow is 409,
a broken rule 422. Reason codes are stable English with their Chinese labels beside them."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from minzheng.core.api import STAFF_AUTH, Limit, Offset, call_service, coded, path_id, responses
from minzheng.core.bounds import day_check
from minzheng.core.permissions import require
from minzheng.social_orgs import selectors, zombie_selectors, zombie_services, zombies
from minzheng.social_orgs.models import CaseStatus, ContactKind, ZombieCase

router = Router(tags=["僵尸型社会组织"], auth=STAFF_AUTH)

ContactKindCode = coded(ContactKind.choices, "联系方式")
CaseStatusCode = coded(CaseStatus.choices, "案件状态")


class SocOrgZombieFlagOut(Schema):
    reason: str = Field(description="认定情形代码：missed_reports / never_active / no_charter_activity / unreachable")
    label: str
    evidence: str = Field(description="认定依据（中文）")


class SocOrgZombieOut(Schema):
    organization_id: int
    uscc: str
    name: str
    reasons: list[str]
    flags: list[SocOrgZombieFlagOut]
    undetermined: list[str] = Field(description="因参数缺失未作判断的情形代码")


class SocOrgZombieListOut(Schema):
    as_of: dt.date
    period_months: int | None = Field(description="长期未开展章程规定活动的期限（月）；空：未录入（参数缺失）")
    results: list[SocOrgZombieOut]


class SocOrgZombieCaseOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    opened_on: dt.date
    reasons: list[str]
    evidence: list[SocOrgZombieFlagOut]
    status: str
    status_label: str
    notice_number: str
    notice_on: dt.date | None
    deadline: dt.date | None
    rectified_on: dt.date | None
    rectification: str
    revoked_on: dt.date | None
    revoke_reason: str


class SocOrgZombieCasePage(Schema):
    count: int
    results: list[SocOrgZombieCaseOut]


class SocOrgZombieOpenIn(Schema):
    organization_id: int = Field(ge=1, le=2**63 - 1)


class SocOrgZombieNoticeIn(Schema):
    notice_on: dt.date
    deadline: dt.date
    requirements: str = Field(max_length=2000)


class SocOrgZombieRectifyIn(Schema):
    on: dt.date
    rectification: str = Field(max_length=2000)


class SocOrgZombieRevokeIn(Schema):
    on: dt.date
    reason: str = Field(max_length=400, description="撤销登记决定（文号和理由）")


class SocOrgActivityIn(Schema):
    organization_id: int = Field(ge=1, le=2**63 - 1)
    held_on: dt.date
    description: str = Field(max_length=500)
    in_charter: bool
    evidence: str = Field(max_length=300)


class SocOrgActivityOut(Schema):
    id: int
    organization_id: int
    held_on: dt.date
    description: str
    in_charter: bool
    evidence: str
    source_label: str


class SocOrgContactIn(Schema):
    organization_id: int = Field(ge=1, le=2**63 - 1)
    kind: ContactKindCode
    tried_on: dt.date
    reached: bool
    outcome: str = Field(max_length=500)


class SocOrgContactOut(Schema):
    id: int
    organization_id: int
    kind: str
    kind_label: str
    tried_on: dt.date
    reached: bool
    outcome: str


class SocOrgPeriodIn(Schema):
    months: int = Field(ge=1, le=120)
    effective_from: dt.date
    document_name: str = Field(max_length=200)
    document_number: str = Field(max_length=100)


class SocOrgPeriodOut(Schema):
    months: int
    effective_from: dt.date
    document_name: str
    document_number: str


def _case(c: ZombieCase) -> dict:
    return {"id": c.pk, "organization_id": c.organization_id, "organization_name": c.organization.name,
            "opened_on": c.opened_on, "reasons": c.reasons, "evidence": c.evidence, "status": c.status,
            "status_label": CaseStatus(c.status).label, "notice_number": c.notice_number, "notice_on": c.notice_on,
            "deadline": c.deadline, "rectified_on": c.rectified_on, "rectification": c.rectification,
            "revoked_on": c.revoked_on, "revoke_reason": c.revoke_reason}


@router.get("/social-orgs-zombies", response=responses(SocOrgZombieListOut), summary="僵尸型社会组织认定清单",
            operation_id="social_orgs_zombies")
def zombie_list(request: HttpRequest, as_of: dt.date | None = Query(None, description="查验日期；省略：今天")) -> dict:
    require(request.user, "social_orgs.zombies_view")
    today = timezone.localdate()
    day = call_service(lambda: day_check(as_of, "查验日期", latest=today)) if as_of else today
    findings = zombies.detect(selectors.organizations_visible(request.user), day)
    period = zombies.period_in_force(day)
    return {"as_of": day, "period_months": period.months if period else None,
            "results": [{"organization_id": f.organization.pk, "uscc": f.organization.uscc,
                         "name": f.organization.name, "reasons": f.reasons, "undetermined": f.undetermined,
                         "flags": [{"reason": g.reason, "label": g.label, "evidence": g.evidence} for g in f.flags]}
                        for f in findings]}


@router.get("/social-orgs-zombie-cases", response=responses(SocOrgZombieCasePage), summary="僵尸型社会组织清理整治案件",
            operation_id="social_orgs_zombie_cases")
def case_list(request: HttpRequest, status: CaseStatusCode | None = Query(None), limit: Limit = 50,
              offset: Offset = 0) -> dict:
    require(request.user, "social_orgs.zombies_view")
    rows = zombie_selectors.cases_visible(request.user)
    if status:
        rows = rows.filter(status=status)
    return {"count": rows.count(), "results": [_case(c) for c in rows[offset: offset + limit]]}


@router.get("/social-orgs-zombie-cases/{case_id}", response=responses(SocOrgZombieCaseOut),
            summary="清理整治案件详情", operation_id="social_orgs_zombie_case")
def case_detail(request: HttpRequest, case_id: int = path_id("案件编号")) -> dict:
    require(request.user, "social_orgs.zombies_view")
    return _case(call_service(lambda: zombie_selectors.case_get(request.user, case_id)))


@router.post("/social-orgs-zombie-cases", response=responses(SocOrgZombieCaseOut, 201, conflict=True),
             summary="僵尸型社会组织立案（以今天的认定情形）", operation_id="social_orgs_zombie_open")
def case_open(request: HttpRequest, payload: SocOrgZombieOpenIn) -> Status:
    require(request.user, "social_orgs.zombies_manage")
    organization = call_service(lambda: selectors.organization_get(request.user, payload.organization_id))
    case = call_service(lambda: zombie_services.case_open(actor=request.user, organization=organization,
                                                          today=timezone.localdate()))
    return Status(201, _case(case))


def _step(request: HttpRequest, case_id: int, call) -> dict:
    require(request.user, "social_orgs.zombies_manage")
    case = call_service(lambda: zombie_selectors.case_get(request.user, case_id))
    return _case(call_service(lambda: call(case)))


@router.post("/social-orgs-zombie-cases/{case_id}/notice", response=responses(SocOrgZombieCaseOut, conflict=True),
             summary="发出限期整改通知", operation_id="social_orgs_zombie_notice")
def case_notify(request: HttpRequest, payload: SocOrgZombieNoticeIn, case_id: int = path_id("案件编号")) -> dict:
    return _step(request, case_id, lambda c: zombie_services.case_notify(
        actor=request.user, case=c, today=timezone.localdate(), **payload.dict()))


@router.post("/social-orgs-zombie-cases/{case_id}/rectify", response=responses(SocOrgZombieCaseOut, conflict=True),
             summary="登记整改完成", operation_id="social_orgs_zombie_rectify")
def case_rectify(request: HttpRequest, payload: SocOrgZombieRectifyIn, case_id: int = path_id("案件编号")) -> dict:
    return _step(request, case_id, lambda c: zombie_services.case_rectify(
        actor=request.user, case=c, today=timezone.localdate(), **payload.dict()))


@router.post("/social-orgs-zombie-cases/{case_id}/revoke", response=responses(SocOrgZombieCaseOut, conflict=True),
             summary="整改期限届满未整改，撤销登记", operation_id="social_orgs_zombie_revoke")
def case_revoke(request: HttpRequest, payload: SocOrgZombieRevokeIn, case_id: int = path_id("案件编号")) -> dict:
    return _step(request, case_id, lambda c: zombie_services.case_revoke(
        actor=request.user, case=c, today=timezone.localdate(), **payload.dict()))


@router.post("/social-orgs-activities", response=responses(SocOrgActivityOut, 201), summary="登记社会组织活动记录",
             operation_id="social_orgs_activity_record")
def activity_record(request: HttpRequest, payload: SocOrgActivityIn) -> Status:
    require(request.user, "social_orgs.activity_record")
    data = payload.dict()
    organization = call_service(lambda: selectors.organization_get(request.user, data.pop("organization_id")))
    a = call_service(lambda: zombie_services.activity_record(actor=request.user, organization=organization,
                                                             today=timezone.localdate(), **data))
    return Status(201, {"id": a.pk, "organization_id": a.organization_id, "held_on": a.held_on,
                        "description": a.description, "in_charter": a.in_charter, "evidence": a.evidence,
                        "source_label": a.get_source_display()})


@router.post("/social-orgs-contact-attempts", response=responses(SocOrgContactOut, 201), summary="登记社会组织联系记录",
             operation_id="social_orgs_contact_record")
def contact_record(request: HttpRequest, payload: SocOrgContactIn) -> Status:
    require(request.user, "social_orgs.zombies_manage")
    data = payload.dict()
    organization = call_service(lambda: selectors.organization_get(request.user, data.pop("organization_id")))
    c = call_service(lambda: zombie_services.contact_record(actor=request.user, organization=organization,
                                                            today=timezone.localdate(), **data))
    return Status(201, {"id": c.pk, "organization_id": c.organization_id, "kind": c.kind,
                        "kind_label": c.get_kind_display(), "tried_on": c.tried_on, "reached": c.reached,
                        "outcome": c.outcome})


@router.post("/social-orgs-zombie-period", response=responses(SocOrgPeriodOut, 201),
             summary="录入长期未开展章程规定活动的期限（注明依据）", operation_id="social_orgs_zombie_period")
def period_enter(request: HttpRequest, payload: SocOrgPeriodIn) -> Status:
    require(request.user, "social_orgs.zombies_manage")
    p = call_service(lambda: zombie_services.period_enter(actor=request.user, **payload.dict()))
    return Status(201, {"months": p.months, "effective_from": p.effective_from, "document_name": p.document_name,
                        "document_number": p.document_number})
