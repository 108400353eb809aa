"""Support funds (扶持资金、公益创投, ADR 0043): the endpoints under
/api/v1/social-orgs-funds/… (next to the app's /social-orgs and /social-orgs-matters).
Scoped like the pages: the bureau and the auditor see every application, an
organization's account the calls and only its own applications (another: 404);
writes go through :mod:`.support_funds` (audited). 403 role, 404 scope, 409 state,
422 rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from minzheng.core.api import STAFF_AUTH, Limit, Offset, call_service, coded, path_id, responses
from minzheng.core.errors import StateConflict
from minzheng.social_orgs import selectors, support_funds
from minzheng.social_orgs.models import (
    ApplicationStatus,
    FundApplication,
    FundCall,
    FundKind,
    ReportConclusion,
)

router = Router(tags=["社会组织扶持资金"], auth=STAFF_AUTH)

FundKindCode = coded(FundKind.choices, "类别")
FundStatusCode = coded(ApplicationStatus.choices, "项目状态")
ConclusionCode = coded(ReportConclusion.choices, "验收结论")
MAX_FEN = support_funds.MAX_FEN


class SocOrgFundCriterionOut(Schema):
    position: int
    name: str
    weight: int = Field(description="分值（该项最高分）")


class SocOrgFundCallOut(Schema):
    id: int
    kind: str
    kind_label: str
    year: int
    title: str
    basis: str
    budget_fen: int
    max_per_project_fen: int
    opens_on: dt.date
    closes_on: dt.date
    several_per_org: bool
    first_instalment_percent: int = Field(description="立项时拨付比例（%），余款在结项验收合格后拨付")
    criteria: list[SocOrgFundCriterionOut]
    awarded_fen: int | None = Field(description="已资助合计（分）；社会组织账号不显示（空）")


class SocOrgFundCallPage(Schema):
    count: int
    results: list[SocOrgFundCallOut]


class SocOrgFundCriterionIn(Schema):
    name: str = Field(max_length=100)
    weight: int = Field(ge=1, le=100)


class SocOrgFundCallIn(Schema):
    kind: FundKindCode
    year: int = Field(ge=2000, le=2099)
    title: str = Field(max_length=100)
    basis: str = Field(max_length=300, description="依据（文件名称和文号）")
    budget_fen: int = Field(ge=1, le=MAX_FEN)
    max_per_project_fen: int = Field(ge=1, le=MAX_FEN)
    opens_on: dt.date
    closes_on: dt.date
    first_instalment_percent: int = Field(ge=1, le=100)
    several_per_org: bool = False
    criteria: list[SocOrgFundCriterionIn] = Field(max_length=20, description="评分标准，分值合计100")


class SocOrgFundScoreOut(Schema):
    reviewer: str
    total: int


class SocOrgFundInstalmentOut(Schema):
    seq: int
    amount_fen: int
    requested_on: dt.date
    payment_status: str = Field(description="资金发放状态（待发放、已纳入批次、已发放、退回、已撤销）")


class SocOrgFundReportOut(Schema):
    outcomes: str
    beneficiaries: int
    spent_fen: int
    spending_note: str
    filed_on: dt.date
    conclusion: str = Field(description="验收结论代码；空：待验收")
    conclusion_label: str
    review_reasons: str


class SocOrgFundApplicationOut(Schema):
    id: int
    call_id: int
    call_title: str
    organization_id: int
    organization_name: str
    project_name: str
    requested_fen: int
    filed_on: dt.date
    status: str
    status_label: str
    awarded_fen: int | None = Field(description="资助金额（分）；未资助为空")


class SocOrgFundApplicationPage(Schema):
    count: int
    results: list[SocOrgFundApplicationOut]


class SocOrgFundApplicationDetailOut(SocOrgFundApplicationOut):
    summary: str
    decided_on: dt.date | None
    decision_reason: str
    score_mean: Decimal | None = Field(description="评审得分：各专家总分的平均分；空：未评审")
    scores: list[SocOrgFundScoreOut]
    instalments: list[SocOrgFundInstalmentOut]
    final_report: SocOrgFundReportOut | None


class SocOrgFundApplicationIn(Schema):
    call_id: int = Field(ge=1)
    organization_id: int = Field(ge=1)
    project_name: str = Field(max_length=100)
    summary: str = Field(max_length=5000)
    requested_fen: int = Field(ge=1, le=MAX_FEN)


class SocOrgFundScorePoint(Schema):
    criterion_position: int = Field(ge=1, le=20, description="评分项目序号")
    points: int = Field(ge=0, le=100)


class SocOrgFundScoreIn(Schema):
    reviewer: str = Field(max_length=64)
    points: list[SocOrgFundScorePoint] = Field(max_length=20)


class SocOrgFundDecisionIn(Schema):
    award: bool
    amount_fen: int | None = Field(None, ge=1, le=MAX_FEN, description="资助金额（分）；不予资助时为空")
    reason: str = Field("", max_length=2000, description="决定理由；不予资助时必填")
    on: dt.date


class SocOrgFundPayIn(Schema):
    bank_name: str = Field("", max_length=64)
    account_number: str = Field("", max_length=40, description="空：用已登记的收款账户")


class SocOrgFundReportIn(Schema):
    outcomes: str = Field(max_length=5000)
    beneficiaries: int = Field(ge=0, le=10_000_000)
    spent_fen: int = Field(ge=0, le=MAX_FEN)
    spending_note: str = Field(max_length=5000)


class SocOrgFundReviewIn(Schema):
    conclusion: ConclusionCode
    reasons: str = Field("", max_length=2000)
    on: dt.date


class SocOrgFundFiguresOut(Schema):
    label: str
    calls: int
    applications: int
    awards: int
    organizations: int = Field(description="惠及社会组织（家）：有项目获资助的组织")
    awarded_fen: int
    requested_payment_fen: int
    paid_fen: int = Field(description="已发放（分）：银行回盘成功的拨付")


class SocOrgFundYearOut(Schema):
    year: SocOrgFundFiguresOut
    kinds: list[SocOrgFundFiguresOut]


def _call(request: HttpRequest, call: FundCall) -> dict:
    staff = not selectors.is_organization_account(request.user)
    return {"id": call.pk, "kind": call.kind, "kind_label": FundKind(call.kind).label, "year": call.year,
            "title": call.title, "basis": call.basis, "budget_fen": call.budget_fen,
            "max_per_project_fen": call.max_per_project_fen, "opens_on": call.opens_on, "closes_on": call.closes_on,
            "several_per_org": call.several_per_org, "first_instalment_percent": call.first_instalment_percent,
            "criteria": [{"position": c.position, "name": c.name, "weight": c.weight} for c in call.criteria.all()],
            "awarded_fen": support_funds.awarded_total_fen(call) if staff else None}


def _application(a: FundApplication) -> dict:
    return {"id": a.pk, "call_id": a.call_id, "call_title": a.call.title, "organization_id": a.organization_id,
            "organization_name": a.organization.name, "project_name": a.project_name,
            "requested_fen": a.requested_fen, "filed_on": a.filed_on, "status": a.status,
            "status_label": ApplicationStatus(a.status).label, "awarded_fen": a.awarded_fen}


def _detail(request: HttpRequest, pk: int) -> dict:
    a = support_funds.application_get(request.user, pk)
    summary = support_funds.score_summary(a)
    report = getattr(a, "final_report", None)
    return {**_application(a), "summary": a.summary, "decided_on": a.decided_on, "decision_reason": a.decision_reason,
            "score_mean": summary.mean, "scores": [{"reviewer": r, "total": t} for r, t in summary.reviewers],
            "instalments": [{"seq": i.seq, "amount_fen": i.amount_fen, "requested_on": i.requested_on,
                             "payment_status": status} for i, status in support_funds.instalments_with_status(a)],
            "final_report": None if report is None else {
                "outcomes": report.outcomes, "beneficiaries": report.beneficiaries, "spent_fen": report.spent_fen,
                "spending_note": report.spending_note, "filed_on": report.filed_on, "conclusion": report.conclusion,
                "conclusion_label": ReportConclusion(report.conclusion).label if report.conclusion else "待验收",
                "review_reasons": report.review_reasons}}


@router.get("/social-orgs-funds/calls", response=responses(SocOrgFundCallPage), summary="扶持资金申报清单",
            operation_id="social_orgs_fund_calls")
def call_list(request: HttpRequest, year: int | None = Query(None, ge=2000, le=2099),
              kind: FundKindCode | None = Query(None), limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: support_funds.calls_visible(request.user)).prefetch_related("criteria")
    if year:
        rows = rows.filter(year=year)
    if kind:
        rows = rows.filter(kind=kind)
    return {"count": rows.count(), "results": [_call(request, c) for c in rows[offset: offset + limit]]}


@router.get("/social-orgs-funds/calls/{call_id}", response=responses(SocOrgFundCallOut), summary="扶持资金申报详情",
            operation_id="social_orgs_fund_call")
def call_detail(request: HttpRequest, call_id: int = path_id("申报编号")) -> dict:
    return call_service(lambda: _call(request, support_funds.call_get(request.user, call_id)))


@router.post("/social-orgs-funds/calls", response=responses(SocOrgFundCallOut, 201), summary="发布扶持资金申报",
             operation_id="social_orgs_fund_call_create")
def call_create(request: HttpRequest, payload: SocOrgFundCallIn) -> Status:
    data = payload.dict()
    data["criteria"] = [(c["name"], c["weight"]) for c in data["criteria"]]
    call = call_service(lambda: support_funds.call_create(actor=request.user, today=timezone.localdate(), **data))
    return Status(201, _call(request, call))


@router.get("/social-orgs-funds/applications", response=responses(SocOrgFundApplicationPage),
            summary="扶持资金申报项目清单", operation_id="social_orgs_fund_applications")
def application_list(request: HttpRequest, call_id: int | None = Query(None, ge=1),
                     year: int | None = Query(None, ge=2000, le=2099), status: FundStatusCode | None = Query(None),
                     limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: support_funds.applications_visible(request.user))
    if call_id:
        rows = rows.filter(call_id=call_id)
    if year:
        rows = rows.filter(call__year=year)
    if status:
        rows = rows.filter(status=status)
    return {"count": rows.count(), "results": [_application(a) for a in rows[offset: offset + limit]]}


@router.get("/social-orgs-funds/applications/{application_id}", response=responses(SocOrgFundApplicationDetailOut),
            summary="扶持资金申报项目详情（评分、资助、拨付、结项）", operation_id="social_orgs_fund_application")
def application_detail(request: HttpRequest, application_id: int = path_id("申报项目编号")) -> dict:
    return call_service(lambda: _detail(request, application_id))


@router.post("/social-orgs-funds/applications", response=responses(SocOrgFundApplicationDetailOut, 201),
             summary="申报扶持资金项目", operation_id="social_orgs_fund_apply")
def application_create(request: HttpRequest, payload: SocOrgFundApplicationIn) -> Status:
    def run() -> FundApplication:
        call = support_funds.call_get(request.user, payload.call_id)
        organization = selectors.organization_get(request.user, payload.organization_id)
        return support_funds.application_file(actor=request.user, call=call, organization=organization,
                                              project_name=payload.project_name, summary=payload.summary,
                                              requested_fen=payload.requested_fen, today=timezone.localdate())

    application = call_service(run)
    return Status(201, _detail(request, application.pk))


@router.post("/social-orgs-funds/applications/{application_id}/scores",
             response=responses(SocOrgFundApplicationDetailOut, 201, conflict=True),
             summary="录入一位评审专家的评分表", operation_id="social_orgs_fund_score")
def score_create(request: HttpRequest, payload: SocOrgFundScoreIn,
                 application_id: int = path_id("申报项目编号")) -> Status:
    def run() -> None:
        application = support_funds.application_get(request.user, application_id)
        by_position = {c.position: c.pk for c in application.call.criteria.all()}
        points = {}
        for p in payload.points:
            if p.criterion_position not in by_position:
                raise ValidationError(f"本次申报没有序号为{p.criterion_position}的评分项目")
            points[by_position[p.criterion_position]] = p.points
        support_funds.score_sheet_record(actor=request.user, application=application, reviewer=payload.reviewer,
                                         points=points)

    call_service(run)
    return Status(201, _detail(request, application_id))


@router.post("/social-orgs-funds/applications/{application_id}/decision",
             response=responses(SocOrgFundApplicationDetailOut, conflict=True),
             summary="作出资助或不予资助的决定", operation_id="social_orgs_fund_decide")
def decide(request: HttpRequest, payload: SocOrgFundDecisionIn,
           application_id: int = path_id("申报项目编号")) -> dict:
    call_service(lambda: support_funds.award_decide(
        actor=request.user, application=support_funds.application_get(request.user, application_id),
        today=timezone.localdate(), **payload.dict()))
    return _detail(request, application_id)


@router.post("/social-orgs-funds/applications/{application_id}/instalments",
             response=responses(SocOrgFundApplicationDetailOut, 201, conflict=True),
             summary="申请拨付当期扶持资金（经资金发放）", operation_id="social_orgs_fund_pay")
def pay(request: HttpRequest, payload: SocOrgFundPayIn, application_id: int = path_id("申报项目编号")) -> Status:
    call_service(lambda: support_funds.instalment_request(
        actor=request.user, application=support_funds.application_get(request.user, application_id),
        today=timezone.localdate(), **payload.dict()))
    return Status(201, _detail(request, application_id))


@router.post("/social-orgs-funds/applications/{application_id}/final-report",
             response=responses(SocOrgFundApplicationDetailOut, 201, conflict=True),
             summary="提交结项报告", operation_id="social_orgs_fund_report")
def report_file(request: HttpRequest, payload: SocOrgFundReportIn,
                application_id: int = path_id("申报项目编号")) -> Status:
    call_service(lambda: support_funds.final_report_file(
        actor=request.user, application=support_funds.application_get(request.user, application_id),
        today=timezone.localdate(), **payload.dict()))
    return Status(201, _detail(request, application_id))


@router.post("/social-orgs-funds/applications/{application_id}/final-report/review",
             response=responses(SocOrgFundApplicationDetailOut, conflict=True),
             summary="验收结项报告（合格、不合格）", operation_id="social_orgs_fund_report_review")
def report_review(request: HttpRequest, payload: SocOrgFundReviewIn,
                  application_id: int = path_id("申报项目编号")) -> dict:
    def run() -> None:
        application = support_funds.application_get(request.user, application_id)
        report = getattr(application, "final_report", None)
        if report is None:
            raise StateConflict("该项目尚未提交结项报告")
        support_funds.final_report_review(actor=request.user, report=report, today=timezone.localdate(),
                                          **payload.dict())

    call_service(run)
    return _detail(request, application_id)


@router.get("/social-orgs-funds/figures/{year}", response=responses(SocOrgFundYearOut),
            summary="扶持资金年度统计（惠及社会组织、资助和发放金额）", operation_id="social_orgs_fund_figures")
def figures(request: HttpRequest, year: int = Path(..., ge=2000, le=2099, description="年度")) -> dict:
    result = call_service(lambda: support_funds.fund_figures(request.user, year))
    return {"year": vars(result["year"]), "kinds": [vars(r) for r in result["kinds"]]}
