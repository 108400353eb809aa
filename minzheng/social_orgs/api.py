"""社会组织: the endpoints (mounted at /api/v1, ADR 0039). Scoped like the pages:
the bureau and the auditor see every organization, an organization's account
only its own (any other is 404). Writes go through the services (audited)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

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
from minzheng.social_orgs import matters, selectors, services
from minzheng.social_orgs.matter_rules import name_check
from minzheng.social_orgs.models import (
    Matter,
    MatterKind,
    MatterStatus,
    Organization,
    OrganizationChange,
    OrgKind,
    OrgStatus,
    PartyStatus,
)

router = Router(tags=["社会组织"], auth=STAFF_AUTH)

KindCode = coded(OrgKind.choices, "类型")
StatusCode = coded(OrgStatus.choices, "登记状态")
PartyCode = coded(PartyStatus.choices, "党组织建立情况")
MAX_CAPITAL_FEN = services.MAX_CAPITAL_FEN


class SocOrgOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    uscc: str
    supervisor: str
    legal_rep_name: str
    registered_on: dt.date
    status: str
    status_label: str
    community: bool


class SocOrgPage(Schema):
    count: int
    results: list[SocOrgOut]


class SocOrgChangeOut(Schema):
    changed_on: dt.date
    field: str
    field_label: str
    old_value: str
    new_value: str
    reason: str


class SocOrgDetailOut(SocOrgOut):
    legal_rep_id_masked: str = Field(description="法定代表人身份证号（脱敏）；空：未录入")
    registered_capital_fen: int | None = Field(description="注册资金（分）；未录入为空（不是0）")
    address: str
    committee: str | None = Field(description="所在居村委区划代码；空：未录入")
    street: str | None
    business_scope: str
    status_on: dt.date | None
    status_reason: str
    party_status: str
    party_status_label: str
    history: list[SocOrgChangeOut]


class SocOrgIn(Schema):
    name: str = Field(max_length=100)
    kind: KindCode
    uscc: str = Field(max_length=40, description="统一社会信用代码（18位，校验）")
    legal_rep_name: str = Field(max_length=64)
    legal_rep_id: str = Field("", max_length=18, description="法定代表人身份证号；空：未录入（变更时：不变）")
    supervisor: str = Field(max_length=100)
    registered_capital_fen: int | None = Field(None, ge=0, le=MAX_CAPITAL_FEN, description="注册资金（分）；空：未录入")
    address: str = Field(max_length=200)
    committee: str | None = Field(None, pattern=r"^\d{12}$", description="所在居村委区划代码（12位）")
    business_scope: str = Field(max_length=2000)
    registered_on: dt.date
    party_status: PartyCode | None = None
    community: bool = False


class SocOrgChangeIn(SocOrgIn):
    changed_on: dt.date = Field(description="变更日期（不晚于今天）")
    reason: str = Field(max_length=500, description="依据或原因（如核准文号）")


class SocOrgStatusIn(Schema):
    status: StatusCode
    on: dt.date = Field(description="状态变更日期（不晚于今天）")
    reason: str = Field(max_length=500)


def _out(o: Organization) -> dict:
    return {"id": o.pk, "name": o.name, "kind": o.kind, "kind_label": OrgKind(o.kind).label, "uscc": o.uscc,
            "supervisor": o.supervisor, "legal_rep_name": o.legal_rep_name, "registered_on": o.registered_on,
            "status": o.status, "status_label": OrgStatus(o.status).label, "community": o.community}


def _change(c: OrganizationChange) -> dict:
    return {"changed_on": c.changed_on, "field": c.field, "field_label": c.field_label, "old_value": c.old_value,
            "new_value": c.new_value, "reason": c.reason}


def _detail(request: HttpRequest, pk: int) -> dict:
    o = selectors.organization_get(request.user, pk)
    out = _out(o)
    out.update({"legal_rep_id_masked": o.legal_rep_id_masked, "registered_capital_fen": o.registered_capital_fen,
                "address": o.address, "committee": o.committee_id, "street": o.street_id,
                "business_scope": o.business_scope, "status_on": o.status_on, "status_reason": o.status_reason,
                "party_status": o.party_status,
                "party_status_label": PartyStatus(o.party_status).label if o.party_status else "未录入",
                "history": [_change(c) for c in selectors.organization_history(request.user, o)]})
    return out


def _values(data: dict) -> dict:
    code = data.get("committee")
    if code:
        committee = Division.objects.filter(code=code, level=DivisionLevel.COMMITTEE).first()
        if committee is None:
            raise refusal(ValidationError(f"没有区划代码为{code}的居村委"))
        data["committee"] = committee
    data["party_status"] = data.get("party_status") or ""
    return data


@router.get("/social-orgs", response=responses(SocOrgPage), summary="社会组织登记清单",
            operation_id="social_orgs_list")
def organization_list(request: HttpRequest, kind: KindCode | None = Query(None),
                      status: StatusCode | None = Query(None),
                      q: str = Query("", max_length=100, description="名称包含"),
                      limit: Limit = 50, offset: Offset = 0) -> dict:
    require(request.user, "social_orgs.view")
    rows = selectors.organizations_visible(request.user)
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    if q:
        rows = rows.filter(name__contains=q)
    return {"count": rows.count(), "results": [_out(o) for o in rows[offset: offset + limit]]}


@router.get("/social-orgs/{org_id}", response=responses(SocOrgDetailOut), summary="社会组织详情和变更记录",
            operation_id="social_orgs_detail")
def organization_detail(request: HttpRequest, org_id: int = path_id("社会组织编号")) -> dict:
    require(request.user, "social_orgs.view")
    return call_service(lambda: _detail(request, org_id))


@router.post("/social-orgs", response=responses(SocOrgDetailOut, 201), summary="登记社会组织",
             operation_id="social_orgs_create")
def organization_create(request: HttpRequest, payload: SocOrgIn) -> Status:
    data = _values(payload.dict())
    organization = call_service(lambda: services.organization_register(actor=request.user,
                                                                       today=timezone.localdate(), **data))
    return Status(201, _detail(request, organization.pk))


@router.put("/social-orgs/{org_id}", response=responses(SocOrgDetailOut), summary="变更社会组织登记事项",
            operation_id="social_orgs_update")
def organization_update(request: HttpRequest, payload: SocOrgChangeIn,
                        org_id: int = path_id("社会组织编号")) -> dict:
    require(request.user, "social_orgs.manage")
    organization = call_service(lambda: selectors.organization_get(request.user, org_id))
    data = _values(payload.dict())
    changed_on, reason = data.pop("changed_on"), data.pop("reason")
    call_service(lambda: services.organization_update(actor=request.user, organization=organization,
                                                      changed_on=changed_on, reason=reason,
                                                      today=timezone.localdate(), **data))
    return _detail(request, org_id)


@router.post("/social-orgs/{org_id}/status", response=responses(SocOrgDetailOut),
             summary="变更社会组织登记状态（撤销、注销、吊销）", operation_id="social_orgs_status")
def organization_status(request: HttpRequest, payload: SocOrgStatusIn, org_id: int = path_id("社会组织编号")) -> dict:
    require(request.user, "social_orgs.manage")
    organization = call_service(lambda: selectors.organization_get(request.user, org_id))
    call_service(lambda: services.organization_status_set(actor=request.user, organization=organization,
                                                          status=payload.status, on=payload.on,
                                                          reason=payload.reason, today=timezone.localdate()))
    return _detail(request, org_id)


MatterKindCode = coded(MatterKind.choices, "登记事项")
MatterStatusCode = coded(MatterStatus.choices, "办理状态")


class SocOrgMatterOut(Schema):
    id: int
    kind: str
    kind_label: str
    organization_id: int | None
    name: str
    applied_on: dt.date
    status: str
    status_label: str
    accepted_on: dt.date | None
    due_on: dt.date | None = Field(description="办理期限；空：未受理或办理时限未录入（参数缺失）")
    decided_on: dt.date | None
    decision_reason: str
    documents: list[str]
    missing_documents: list[str]


class SocOrgMatterPage(Schema):
    count: int
    results: list[SocOrgMatterOut]


class SocOrgMatterIn(Schema):
    kind: MatterKindCode
    organization_id: int | None = Field(None, ge=1, le=2**63 - 1, description="社会组织编号；成立登记为空")
    applied_on: dt.date
    proposed: dict[str, str | int | bool | None] = Field(
        {}, description="成立：name, kind, legal_rep_name, supervisor, registered_capital_fen, address, "
                        "business_scope；变更：要变更的字段")
    documents: list[Annotated[str, Field(max_length=100)]] = Field([], max_length=20)


class SocOrgNearNameOut(Schema):
    name: str = Field(description="登记簿中相近的名称")
    similarity: int = Field(description="相似度（%）")


class SocOrgForbiddenWordOut(Schema):
    word: str = Field(description="禁用字词")
    reason: str = Field(description="原因")


class SocOrgNameCheckOut(Schema):
    name: str
    refused: bool
    duplicates: list[str]
    near: list[SocOrgNearNameOut] = Field(description="相近名称和相似度（%）")
    forbidden: list[SocOrgForbiddenWordOut] = Field(description="禁用字词和原因")


class SocOrgMatterCountOut(Schema):
    kind: str
    label: str
    organizations: int = Field(description="准予该事项的社会组织数（家）")
    approved: int
    refused: int
    open: int


def _matter(m: Matter) -> dict:
    return {"id": m.pk, "kind": m.kind, "kind_label": MatterKind(m.kind).label, "organization_id": m.organization_id,
            "name": m.name, "applied_on": m.applied_on, "status": m.status,
            "status_label": MatterStatus(m.status).label, "accepted_on": m.accepted_on, "due_on": m.due_on,
            "decided_on": m.decided_on, "decision_reason": m.decision_reason, "documents": m.documents,
            "missing_documents": matters.missing_documents(m)}


@router.get("/social-orgs-matters", response=responses(SocOrgMatterPage), summary="社会组织登记事项清单",
            operation_id="social_orgs_matters")
def matter_list(request: HttpRequest, kind: MatterKindCode | None = Query(None),
                status: MatterStatusCode | None = Query(None), limit: Limit = 50, offset: Offset = 0) -> dict:
    require(request.user, "social_orgs.matters_view")
    rows = selectors.matters_visible(request.user)
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    return {"count": rows.count(), "results": [_matter(m) for m in rows[offset: offset + limit]]}


@router.get("/social-orgs-matters/{matter_id}", response=responses(SocOrgMatterOut), summary="社会组织登记事项详情",
            operation_id="social_orgs_matter_detail")
def matter_detail(request: HttpRequest, matter_id: int = path_id("登记事项编号")) -> dict:
    require(request.user, "social_orgs.matters_view")
    return _matter(call_service(lambda: selectors.matter_get(request.user, matter_id)))


@router.post("/social-orgs-matters", response=responses(SocOrgMatterOut, 201), summary="申请社会组织登记事项",
             operation_id="social_orgs_matter_apply")
def matter_apply(request: HttpRequest, payload: SocOrgMatterIn) -> Status:
    require(request.user, "social_orgs.apply")
    organization = None
    if payload.organization_id:
        organization = call_service(lambda: selectors.organization_get(request.user, payload.organization_id))
    matter = call_service(lambda: matters.matter_apply(
        actor=request.user, kind=payload.kind, organization=organization, applied_on=payload.applied_on,
        today=timezone.localdate(), proposed=payload.proposed, documents=payload.documents))
    return Status(201, _matter(matter))


@router.get("/social-orgs-name-check", response=responses(SocOrgNameCheckOut), summary="社会组织名称审核（重名、相近、禁用字词）",
            operation_id="social_orgs_name_check")
def name_check_endpoint(request: HttpRequest, name: str = Query(..., min_length=1, max_length=100)) -> dict:
    require(request.user, "social_orgs.decide")
    check = name_check(name)
    return {"name": name, "refused": check.refused, "duplicates": check.duplicates,
            "near": [{"name": n, "similarity": s} for n, s in check.near],
            "forbidden": [{"word": w, "reason": r} for w, r in check.forbidden]}


@router.get("/social-orgs-matters-figures/{year}", response=responses(list[SocOrgMatterCountOut]),
            summary="社会组织登记事项年度统计", operation_id="social_orgs_matter_figures")
def matter_figures(request: HttpRequest, year: int = Path(..., ge=2000, le=2099, description="年度")) -> list[dict]:
    require(request.user, "social_orgs.figures")
    return [vars(c) for c in selectors.matter_counts(request.user, year)]


# evaluation grades (社会组织等级评估, ADR 0041): their own module, mounted here
from minzheng.social_orgs.grade_api import router as grade_router  # noqa: E402

router.add_router("", grade_router)
# support funds (扶持资金、公益创投, ADR 0043): their endpoints live in fund_api, mounted on this router
from minzheng.social_orgs.fund_api import router as fund_router  # noqa: E402

router.add_router("", fund_router)
