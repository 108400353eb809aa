"""社会组织: the endpoints (mounted at /api/v1, ADR 0039). Scoped like the pages:
the bureau and the auditor see every organization, an organization's account
only its own (any other is 404). Writes go through the services (audited)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
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
from minzheng.social_orgs import selectors, services
from minzheng.social_orgs.models import (
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
