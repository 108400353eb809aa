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
# --- the review steps of matters, annual reports, major events, reminders, the dashboard (ADR 0044) ---
# The same services as the pages: 403 role, 404 scope, 409 state (StateConflict), 422 rule.

from minzheng.core.api import JobStartedOut  # noqa: E402
from minzheng.jobs.selectors import job_started  # noqa: E402
from minzheng.jobs.services import job_start  # noqa: E402
from minzheng.social_orgs import annual_reports, dashboard, major_events, reminders  # noqa: E402
from minzheng.social_orgs.models import (  # noqa: E402
    AnnualReport,
    Conclusion,
    EventKind,
    EventStatus,
    MajorEvent,
    ReminderChannel,
    ReportReminder,
    ReportStatus,
)
from minzheng.social_orgs.reminder_jobs import REMIND_ALL  # noqa: E402

ConclusionCode = coded(Conclusion.choices, "年检结论")
ReportStatusCode = coded(ReportStatus.choices, "年度报告状态")
EventKindCode = coded(EventKind.choices, "重大事项类别")
EventStatusCode = coded(EventStatus.choices, "重大事项报告状态")
EventOutcomeCode = coded([c for c in EventStatus.choices if c[0] != EventStatus.REPORTED], "审查结果")
ChannelCode = coded(ReminderChannel.choices, "催报方式")
MAX_FEN = services.MAX_CAPITAL_FEN


class SocOrgMatterAcceptIn(Schema):
    on: dt.date = Field(description="受理日期（不早于申请日期，不晚于今天）")


class SocOrgMatterReviewIn(Schema):
    agrees: bool = Field(description="业务主管单位是否同意")
    opinion: str = Field(max_length=2000, description="审查意见")
    on: dt.date = Field(description="审查日期")


class SocOrgMatterDecideIn(Schema):
    approve: bool = Field(description="true：准予；false：不予（须写明理由）")
    reason: str = Field("", max_length=2000, description="决定理由（不予时必填）")
    on: dt.date = Field(description="决定日期")
    uscc: str = Field("", max_length=18, description="赋予的统一社会信用代码（准予成立登记时必填）")


class SocOrgMatterDocumentsIn(Schema):
    documents: list[Annotated[str, Field(max_length=100)]] = Field(max_length=20, description="补充的材料名称")


def _matter_step(request: HttpRequest, matter_id: int, call) -> dict:
    matter = call_service(lambda: selectors.matter_get(request.user, matter_id))
    return _matter(call_service(lambda: call(matter)))


@router.post("/social-orgs-matters/{matter_id}/accept", response=responses(SocOrgMatterOut, conflict=True),
             summary="受理社会组织登记事项（材料齐全）", operation_id="social_orgs_matter_accept")
def matter_accept(request: HttpRequest, payload: SocOrgMatterAcceptIn, matter_id: int = path_id("登记事项编号")) -> dict:
    require(request.user, "social_orgs.decide")
    return _matter_step(request, matter_id, lambda m: matters.matter_accept(
        actor=request.user, matter=m, on=payload.on, today=timezone.localdate()))


@router.post("/social-orgs-matters/{matter_id}/review", response=responses(SocOrgMatterOut, conflict=True),
             summary="登记业务主管单位审查意见", operation_id="social_orgs_matter_review")
def matter_review(request: HttpRequest, payload: SocOrgMatterReviewIn, matter_id: int = path_id("登记事项编号")) -> dict:
    require(request.user, "social_orgs.decide")
    return _matter_step(request, matter_id, lambda m: matters.matter_review(
        actor=request.user, matter=m, agrees=payload.agrees, opinion=payload.opinion, on=payload.on,
        today=timezone.localdate()))


@router.post("/social-orgs-matters/{matter_id}/decide", response=responses(SocOrgMatterOut, conflict=True),
             summary="社会组织登记事项决定（准予或不予）", operation_id="social_orgs_matter_decide")
def matter_decide(request: HttpRequest, payload: SocOrgMatterDecideIn, matter_id: int = path_id("登记事项编号")) -> dict:
    require(request.user, "social_orgs.decide")
    return _matter_step(request, matter_id, lambda m: matters.matter_decide(
        actor=request.user, matter=m, approve=payload.approve, reason=payload.reason, on=payload.on,
        uscc=payload.uscc, today=timezone.localdate()))


@router.post("/social-orgs-matters/{matter_id}/documents", response=responses(SocOrgMatterOut, conflict=True),
             summary="补充登记事项材料", operation_id="social_orgs_matter_documents")
def matter_documents(request: HttpRequest, payload: SocOrgMatterDocumentsIn,
                     matter_id: int = path_id("登记事项编号")) -> dict:
    require(request.user, "social_orgs.apply")
    return _matter_step(request, matter_id, lambda m: matters.matter_documents_add(
        actor=request.user, matter=m, documents=payload.documents))


class SocOrgReportOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    year: int
    income_fen: int
    expense_fen: int
    net_assets_fen: int
    activities: int
    activities_summary: str
    staff: int
    volunteers: int
    major_events: str
    party_status: str
    party_status_label: str
    party_members: int
    status: str
    status_label: str
    filed_on: dt.date
    filed_by: str
    conclusion: str = Field(description="年检结论代码；空：未审查")
    conclusion_label: str
    review_reasons: str
    reviewed_on: dt.date | None


class SocOrgReportPage(Schema):
    count: int
    results: list[SocOrgReportOut]


class SocOrgReportIn(Schema):
    organization_id: int = Field(ge=1, le=2**63 - 1, description="社会组织编号")
    year: int = Field(ge=2000, le=2099, description="报告年度（本年度结束后才能报送）")
    income_fen: int = Field(ge=0, le=MAX_FEN, description="本年收入（分）")
    expense_fen: int = Field(ge=0, le=MAX_FEN, description="本年支出（分）")
    net_assets_fen: int = Field(ge=-MAX_FEN, le=MAX_FEN, description="年末净资产（分），可为负")
    activities: int = Field(ge=0, le=1_000_000)
    activities_summary: str = Field(max_length=5000)
    staff: int = Field(ge=0, le=1_000_000)
    volunteers: int = Field(ge=0, le=1_000_000)
    major_events: str = Field("", max_length=5000)
    party_status: PartyCode
    party_members: int = Field(ge=0, le=1_000_000)


class SocOrgReportReviewIn(Schema):
    conclusion: ConclusionCode
    reasons: str = Field("", max_length=2000, description="审查意见（基本合格、不合格时必填）")
    on: dt.date = Field(description="审查日期")


def _report(r: AnnualReport) -> dict:
    return {"id": r.pk, "organization_id": r.organization_id, "organization_name": r.organization.name,
            "year": r.year, "income_fen": r.income_fen, "expense_fen": r.expense_fen,
            "net_assets_fen": r.net_assets_fen, "activities": r.activities,
            "activities_summary": r.activities_summary, "staff": r.staff, "volunteers": r.volunteers,
            "major_events": r.major_events, "party_status": r.party_status,
            "party_status_label": PartyStatus(r.party_status).label, "party_members": r.party_members,
            "status": r.status, "status_label": ReportStatus(r.status).label, "filed_on": r.filed_on,
            "filed_by": r.filed_by, "conclusion": r.conclusion,
            "conclusion_label": Conclusion(r.conclusion).label if r.conclusion else "未审查",
            "review_reasons": r.review_reasons, "reviewed_on": r.reviewed_on}


@router.get("/social-orgs-reports", response=responses(SocOrgReportPage), summary="社会组织年度报告清单",
            operation_id="social_orgs_reports")
def report_list(request: HttpRequest, year: int | None = Query(None, ge=2000, le=2099, description="报告年度"),
                status: ReportStatusCode | None = Query(None), limit: Limit = 50, offset: Offset = 0) -> dict:
    require(request.user, "social_orgs.view")
    rows = selectors.reports_visible(request.user)
    if year:
        rows = rows.filter(year=year)
    if status:
        rows = rows.filter(status=status)
    return {"count": rows.count(), "results": [_report(r) for r in rows[offset: offset + limit]]}


@router.get("/social-orgs-reports/{report_id}", response=responses(SocOrgReportOut), summary="社会组织年度报告详情",
            operation_id="social_orgs_report_detail")
def report_detail(request: HttpRequest, report_id: int = path_id("年度报告编号")) -> dict:
    require(request.user, "social_orgs.view")
    return _report(call_service(lambda: selectors.report_get(request.user, report_id)))


@router.post("/social-orgs-reports", response=responses(SocOrgReportOut, 201, conflict=True),
             summary="报送社会组织年度报告", operation_id="social_orgs_report_file")
def report_file(request: HttpRequest, payload: SocOrgReportIn) -> Status:
    require(request.user, "social_orgs.report_file")
    organization = call_service(lambda: selectors.organization_get(request.user, payload.organization_id))
    data = payload.dict()
    data.pop("organization_id")
    report = call_service(lambda: annual_reports.report_file(actor=request.user, organization=organization,
                                                             today=timezone.localdate(), **data))
    return Status(201, _report(report))


@router.post("/social-orgs-reports/{report_id}/review", response=responses(SocOrgReportOut, conflict=True),
             summary="审查社会组织年度报告（年检结论）", operation_id="social_orgs_report_review")
def report_review(request: HttpRequest, payload: SocOrgReportReviewIn, report_id: int = path_id("年度报告编号")) -> dict:
    require(request.user, "social_orgs.report_review")
    report = call_service(lambda: selectors.report_get(request.user, report_id))
    return _report(call_service(lambda: annual_reports.report_review(
        actor=request.user, report=report, conclusion=payload.conclusion, reasons=payload.reasons, on=payload.on,
        today=timezone.localdate())))


class SocOrgEventOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    kind: str
    kind_label: str
    title: str
    event_on: dt.date
    description: str
    amount_fen: int | None = Field(description="涉及金额（分）；空：未填写（不是0）")
    attachments: list[str]
    reported_on: dt.date
    reported_by: str
    status: str
    status_label: str
    review_reasons: str
    reviewed_on: dt.date | None
    supplement: str
    supplemented_on: dt.date | None


class SocOrgEventPage(Schema):
    count: int
    results: list[SocOrgEventOut]


class SocOrgEventIn(Schema):
    organization_id: int = Field(ge=1, le=2**63 - 1, description="社会组织编号")
    kind: EventKindCode
    title: str = Field(max_length=100)
    event_on: dt.date = Field(description="事项日期（不早于成立登记，最多提前一年）")
    description: str = Field(max_length=5000)
    amount_fen: int | None = Field(None, ge=0, le=MAX_FEN, description="涉及金额（分）；境外捐赠、大额资金往来必填")
    attachments: list[Annotated[str, Field(max_length=100)]] = Field([], max_length=20, description="附件（材料名称）")


class SocOrgEventReviewIn(Schema):
    outcome: EventOutcomeCode
    reasons: str = Field("", max_length=2000, description="审查意见（需补充、不予认可时必填）")
    on: dt.date = Field(description="审查日期")


class SocOrgEventSupplementIn(Schema):
    supplement: str = Field(max_length=5000)
    attachments: list[Annotated[str, Field(max_length=100)]] = Field([], max_length=20)


def _event(e: MajorEvent) -> dict:
    return {"id": e.pk, "organization_id": e.organization_id, "organization_name": e.organization.name,
            "kind": e.kind, "kind_label": EventKind(e.kind).label, "title": e.title, "event_on": e.event_on,
            "description": e.description, "amount_fen": e.amount_fen, "attachments": e.attachments,
            "reported_on": e.reported_on, "reported_by": e.reported_by, "status": e.status,
            "status_label": EventStatus(e.status).label, "review_reasons": e.review_reasons,
            "reviewed_on": e.reviewed_on, "supplement": e.supplement, "supplemented_on": e.supplemented_on}


@router.get("/social-orgs-events", response=responses(SocOrgEventPage), summary="社会组织重大事项报告清单",
            operation_id="social_orgs_events")
def event_list(request: HttpRequest, kind: EventKindCode | None = Query(None),
               status: EventStatusCode | None = Query(None), limit: Limit = 50, offset: Offset = 0) -> dict:
    require(request.user, "social_orgs.view")
    rows = selectors.events_visible(request.user)
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    return {"count": rows.count(), "results": [_event(e) for e in rows[offset: offset + limit]]}


@router.get("/social-orgs-events/{event_id}", response=responses(SocOrgEventOut), summary="社会组织重大事项报告详情",
            operation_id="social_orgs_event_detail")
def event_detail(request: HttpRequest, event_id: int = path_id("重大事项报告编号")) -> dict:
    require(request.user, "social_orgs.view")
    return _event(call_service(lambda: selectors.event_get(request.user, event_id)))


@router.post("/social-orgs-events", response=responses(SocOrgEventOut, 201), summary="报告社会组织重大事项",
             operation_id="social_orgs_event_report")
def event_report(request: HttpRequest, payload: SocOrgEventIn) -> Status:
    require(request.user, "social_orgs.event_report")
    organization = call_service(lambda: selectors.organization_get(request.user, payload.organization_id))
    data = payload.dict()
    data.pop("organization_id")
    event = call_service(lambda: major_events.event_report(actor=request.user, organization=organization,
                                                           today=timezone.localdate(), **data))
    return Status(201, _event(event))


@router.post("/social-orgs-events/{event_id}/review", response=responses(SocOrgEventOut, conflict=True),
             summary="审查社会组织重大事项报告", operation_id="social_orgs_event_review")
def event_review(request: HttpRequest, payload: SocOrgEventReviewIn, event_id: int = path_id("重大事项报告编号")) -> dict:
    require(request.user, "social_orgs.event_review")
    event = call_service(lambda: selectors.event_get(request.user, event_id))
    return _event(call_service(lambda: major_events.event_review(
        actor=request.user, event=event, outcome=payload.outcome, reasons=payload.reasons, on=payload.on,
        today=timezone.localdate())))


@router.post("/social-orgs-events/{event_id}/supplement", response=responses(SocOrgEventOut, conflict=True),
             summary="补充社会组织重大事项报告", operation_id="social_orgs_event_supplement")
def event_supplement(request: HttpRequest, payload: SocOrgEventSupplementIn,
                     event_id: int = path_id("重大事项报告编号")) -> dict:
    require(request.user, "social_orgs.event_report")
    event = call_service(lambda: selectors.event_get(request.user, event_id))
    return _event(call_service(lambda: major_events.event_supplement(
        actor=request.user, event=event, supplement=payload.supplement, attachments=payload.attachments,
        today=timezone.localdate())))


class SocOrgUnfiledOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    street: str = Field(description="所在街镇；未登记地址时为“未登记地址”")
    reminder_count: int = Field(description="本报告年度已催报次数")
    last_reminded: dt.date | None = Field(description="最近催报日期；空：未催报")


class SocOrgUnfiledPage(Schema):
    year: int
    count: int
    results: list[SocOrgUnfiledOut]


class SocOrgReminderIn(Schema):
    year: int = Field(ge=2000, le=2099, description="报告年度")
    channel: ChannelCode
    note: str = Field("", max_length=300)


class SocOrgReminderOut(Schema):
    id: int
    organization_id: int
    year: int
    sent_on: dt.date
    channel: str
    channel_label: str
    sent_by: str
    note: str


class SocOrgBulkReminderIn(Schema):
    year: int = Field(ge=2000, le=2099, description="报告年度")
    channel: ChannelCode
    kind: KindCode | None = Field(None, description="只催报该类型；空：全部类型")


def _reminder(r: ReportReminder) -> dict:
    return {"id": r.pk, "organization_id": r.organization_id, "year": r.year, "sent_on": r.sent_on,
            "channel": r.channel, "channel_label": ReminderChannel(r.channel).label, "sent_by": r.sent_by,
            "note": r.note}


@router.get("/social-orgs-unfiled", response=responses(SocOrgUnfiledPage), summary="年度报告未报送的社会组织",
            operation_id="social_orgs_unfiled")
def unfiled_list(request: HttpRequest, year: int | None = Query(None, ge=2000, le=2099,
                                                                 description="报告年度；省略：上一年度"),
                 limit: Limit = 50, offset: Offset = 0) -> dict:
    require(request.user, "social_orgs.figures")
    year = year or reminders.report_year(timezone.localdate())
    rows = reminders.unfiled(request.user, year)
    return {"year": year, "count": rows.count(), "results": [
        {"id": o.pk, "name": o.name, "kind": o.kind, "kind_label": OrgKind(o.kind).label,
         "street": o.street.name if o.street else dashboard.UNPLACED, "reminder_count": o.reminder_count,
         "last_reminded": o.last_reminded} for o in rows[offset: offset + limit]]}


@router.post("/social-orgs/{org_id}/reminders", response=responses(SocOrgReminderOut, 201, conflict=True),
             summary="催报社会组织年度报告", operation_id="social_orgs_remind")
def reminder_send(request: HttpRequest, payload: SocOrgReminderIn, org_id: int = path_id("社会组织编号")) -> Status:
    require(request.user, "social_orgs.remind")
    organization = call_service(lambda: selectors.organization_get(request.user, org_id))
    reminder = call_service(lambda: reminders.reminder_send(
        actor=request.user, organization=organization, year=payload.year, channel=payload.channel,
        note=payload.note, today=timezone.localdate()))
    return Status(201, _reminder(reminder))


@router.post("/social-orgs-reminders/all", response=responses(JobStartedOut, 202, conflict=True),
             summary="批量催报年度报告（后台作业）", operation_id="social_orgs_remind_all")
def reminders_send_all(request: HttpRequest, payload: SocOrgBulkReminderIn) -> Status:
    require(request.user, "social_orgs.remind")
    job = call_service(lambda: job_start(actor=request.user, kind=REMIND_ALL.code, params={
        "year": str(payload.year), "channel": payload.channel, "kind": payload.kind or ""}))
    return Status(202, job_started(job))


class SocOrgStreetRowOut(Schema):
    street: str = Field(description="街镇；“未登记地址”：住所未登记街镇")
    values: list[int | str]


class SocOrgDashboardSectionOut(Schema):
    title: str
    columns: list[str]
    rows: list[SocOrgStreetRowOut]
    totals: list[int | str]


@router.get("/social-orgs-dashboard", response=responses(list[SocOrgDashboardSectionOut]),
            summary="社会组织工作台（按街镇和类型）", operation_id="social_orgs_dashboard")
def dashboard_figures(request: HttpRequest) -> list[dict]:
    require(request.user, "social_orgs.figures")
    from minzheng.core.street_dashboards import board_tables

    return [{"title": s.title, "columns": s.columns, "rows": [{"street": name, "values": v} for name, v in rows],
             "totals": s.totals or []} for s, rows in board_tables(dashboard.BOARD, request.user,
                                                                   timezone.localdate())]
