"""社会组织等级评估: the endpoints (ADR 0041), mounted under the app's router at
/api/v1. Scoped like the pages (an organization's account: its own only, any
other 404); writes through :mod:`.grades` (audited). 403 role, 404 scope,
409 state, 422 rule."""

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
from minzheng.core.permissions import require
from minzheng.social_orgs import grade_selectors, grades, selectors
from minzheng.social_orgs.grade_models import (
    ApplicationStatus,
    EvaluationApplication,
    Grade,
    GradeReward,
    RewardStatus,
)
from minzheng.social_orgs.models import PartyStatus

router = Router(tags=["社会组织等级评估"], auth=STAFF_AUTH)

GradeCode = coded(Grade.choices, "评估等级")
DecisionCode = coded([*Grade.choices, ("none", "不予评定等级")], "审定结果")
ApplicationStatusCode = coded(ApplicationStatus.choices, "评估申报状态")
RewardStatusCode = coded(RewardStatus.choices, "奖励状态")
PartyCode = coded(PartyStatus.choices, "党组织建立情况")


class SocOrgGradeExclusionOut(Schema):
    code: str
    label: str = Field(description="不符合申报条件的情形")
    evidence: str = Field(description="依据（日期、年检结论、文号）")


class SocOrgGradeScoreOut(Schema):
    expert: str
    score: int = Field(description="评分（满分1000分）")
    scored_on: dt.date
    note: str


class SocOrgGradeApplicationOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    year: int = Field(description="评估年度")
    applied_on: dt.date
    status: str
    status_label: str
    exclusions: list[SocOrgGradeExclusionOut]
    grade: str | None = Field(description="评定等级代码；空：未审定或不予评定")
    grade_label: str | None
    decided_on: dt.date | None
    decision_basis: str
    valid_until: dt.date | None = Field(description="等级有效期至；空：无等级")
    scores: list[SocOrgGradeScoreOut]


class SocOrgGradeApplicationPage(Schema):
    count: int
    results: list[SocOrgGradeApplicationOut]


class SocOrgGradeApplyIn(Schema):
    organization_id: int = Field(ge=1, le=2**63 - 1, description="社会组织编号")
    year: int = Field(ge=2000, le=2099, description="评估年度（须处于申报期）")
    applied_on: dt.date | None = Field(None, description="申报日期；省略：今天（社会组织账号总是今天）")


class SocOrgGradeScoreIn(Schema):
    expert: str = Field(min_length=1, max_length=64)
    score: int = Field(ge=0, le=1000, description="评分（满分1000分）")
    scored_on: dt.date
    note: str = Field("", max_length=500)


class SocOrgGradeDecisionIn(Schema):
    grade: DecisionCode
    decided_on: dt.date
    basis: str = Field(min_length=1, max_length=300, description="审定依据（评估委员会审定意见或公告文号）")
    party_status: PartyCode = Field(description="评估时党组织建立情况（党建三同步）")


class SocOrgGradeRewardOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    grade: str
    grade_label: str
    confirmed_on: dt.date
    status: str
    status_label: str
    amount_fen: int | None = Field(description="奖励金额（分）；参数缺失时为空（不是0）")
    missing: str = Field(description="参数缺失的说明；有金额时为空")
    parameter_missing: bool = Field(description="PARAMETER_MISSING：该等级在审定日期没有录入奖励标准")
    payment_reference: str


class SocOrgGradeRewardPage(Schema):
    count: int
    results: list[SocOrgGradeRewardOut]


class SocOrgGradeRewardPayIn(Schema):
    bank_name: str = Field(min_length=1, max_length=64)
    account_number: str = Field(min_length=1, max_length=34)


class SocOrgGradeParameterIn(Schema):
    grade: GradeCode
    effective_from: dt.date
    amount_fen: int = Field(gt=0, le=grades.MAX_REWARD_FEN, description="奖励金额（分）")
    document_name: str = Field(min_length=1, max_length=200)
    document_number: str = Field(min_length=1, max_length=100)


class SocOrgGradeParameterOut(Schema):
    id: int
    grade: str
    grade_label: str
    effective_from: dt.date
    amount_fen: int
    document_name: str
    document_number: str


class SocOrgGradeShareOut(Schema):
    label: str
    in_business: int = Field(description="登记状态正常的社会组织（家）")
    graded: int = Field(description="持有有效评估等级（家）")
    percent: str = Field(description="获得评估等级率")


def _application(a: EvaluationApplication) -> dict:
    confirmed = getattr(a, "confirmed_grade", None) if a.grade else None
    return {"id": a.pk, "organization_id": a.organization_id, "organization_name": a.organization.name,
            "year": a.round.year, "applied_on": a.applied_on, "status": a.status,
            "status_label": ApplicationStatus(a.status).label, "exclusions": a.exclusions,
            "grade": a.grade or None, "grade_label": Grade(a.grade).label if a.grade else None,
            "decided_on": a.decided_on, "decision_basis": a.decision_basis,
            "valid_until": confirmed.valid_until if confirmed else None,
            "scores": [{"expert": s.expert, "score": s.score, "scored_on": s.scored_on, "note": s.note}
                       for s in a.scores.all()]}


def _reward(r: GradeReward) -> dict:
    missing = r.status == RewardStatus.MISSING
    return {"id": r.pk, "organization_id": r.grade.organization_id, "organization_name": r.grade.organization.name,
            "grade": r.grade.grade, "grade_label": Grade(r.grade.grade).label, "confirmed_on": r.grade.valid_from,
            "status": r.status, "status_label": RewardStatus(r.status).label, "amount_fen": r.amount_fen,
            "missing": grades.missing_reason(r) if missing else "", "parameter_missing": missing,
            "payment_reference": r.payment_reference}


@router.get("/social-orgs-grades", response=responses(SocOrgGradeApplicationPage), summary="社会组织等级评估申报清单",
            operation_id="social_orgs_grades")
def application_list(request: HttpRequest, year: int | None = Query(None, ge=2000, le=2099),
                     status: ApplicationStatusCode | None = Query(None), limit: Limit = 50,
                     offset: Offset = 0) -> dict:
    require(request.user, "social_orgs.grades_view")
    rows = grade_selectors.applications_visible(request.user).prefetch_related("scores")
    if year:
        rows = rows.filter(round__year=year)
    if status:
        rows = rows.filter(status=status)
    return {"count": rows.count(), "results": [_application(a) for a in rows[offset: offset + limit]]}


@router.get("/social-orgs-grades/{application_id}", response=responses(SocOrgGradeApplicationOut),
            summary="社会组织等级评估申报详情（申报条件、专家评分、审定）", operation_id="social_orgs_grade_detail")
def application_detail(request: HttpRequest, application_id: int = path_id("评估申报编号")) -> dict:
    require(request.user, "social_orgs.grades_view")
    return _application(call_service(lambda: grade_selectors.application_get(request.user, application_id)))


@router.post("/social-orgs-grades", response=responses(SocOrgGradeApplicationOut, 201, conflict=True),
             summary="申报社会组织等级评估", operation_id="social_orgs_grade_apply")
def application_apply(request: HttpRequest, payload: SocOrgGradeApplyIn) -> Status:
    require(request.user, "social_orgs.grade_apply")
    today = timezone.localdate()
    organization = call_service(lambda: selectors.organization_get(request.user, payload.organization_id))
    round_ = grade_selectors.rounds().filter(year=payload.year).first()
    if round_ is None:
        raise refusal(ValidationError(f"{payload.year}年度等级评估尚未设立"))
    own = selectors.own_organization(request.user) is not None
    applied_on = today if own or payload.applied_on is None else payload.applied_on
    application = call_service(lambda: grades.application_submit(actor=request.user, organization=organization,
                                                                 round=round_, applied_on=applied_on, today=today))
    return Status(201, _application(application))


@router.post("/social-orgs-grades/{application_id}/scores", response=responses(SocOrgGradeApplicationOut, 201,
                                                                               conflict=True),
             summary="录入评估专家评分", operation_id="social_orgs_grade_score")
def application_score(request: HttpRequest, payload: SocOrgGradeScoreIn,
                      application_id: int = path_id("评估申报编号")) -> Status:
    require(request.user, "social_orgs.grade_decide")
    application = call_service(lambda: grade_selectors.application_get(request.user, application_id))
    call_service(lambda: grades.score_record(actor=request.user, application=application,
                                             today=timezone.localdate(), **payload.dict()))
    return Status(201, _application(grade_selectors.application_get(request.user, application_id)))


@router.post("/social-orgs-grades/{application_id}/decision", response=responses(SocOrgGradeApplicationOut,
                                                                                 conflict=True),
             summary="录入评估委员会审定结果（确定等级）", operation_id="social_orgs_grade_decide")
def application_decide(request: HttpRequest, payload: SocOrgGradeDecisionIn,
                       application_id: int = path_id("评估申报编号")) -> dict:
    require(request.user, "social_orgs.grade_decide")
    application = call_service(lambda: grade_selectors.application_get(request.user, application_id))
    grade = "" if payload.grade == "none" else payload.grade
    call_service(lambda: grades.application_decide(
        actor=request.user, application=application, grade=grade, decided_on=payload.decided_on,
        basis=payload.basis, party_status=payload.party_status, today=timezone.localdate()))
    return _application(grade_selectors.application_get(request.user, application_id))


@router.get("/social-orgs-grades-share", response=responses(list[SocOrgGradeShareOut]),
            summary="获得评估等级率（全区和按类型）", operation_id="social_orgs_grade_share")
def graded_share(request: HttpRequest) -> list[dict]:
    require(request.user, "social_orgs.grades_view")
    return [{"label": r.label, "in_business": r.in_business, "graded": r.graded, "percent": r.percent}
            for r in grade_selectors.graded_share(request.user, timezone.localdate())]


@router.get("/social-orgs-grade-rewards", response=responses(SocOrgGradeRewardPage), summary="等级评估奖励清单",
            operation_id="social_orgs_grade_rewards")
def reward_list(request: HttpRequest, status: RewardStatusCode | None = Query(None), limit: Limit = 50,
                offset: Offset = 0) -> dict:
    require(request.user, "social_orgs.grade_rewards")
    rows = grade_selectors.rewards_visible(request.user)
    if status:
        rows = rows.filter(status=status)
    return {"count": rows.count(), "results": [_reward(r) for r in rows[offset: offset + limit]]}


@router.post("/social-orgs-grade-rewards/{reward_id}/payment", response=responses(SocOrgGradeRewardOut,
                                                                                  conflict=True),
             summary="申请拨付等级评估奖励（一次性补贴）", operation_id="social_orgs_grade_reward_pay")
def reward_pay(request: HttpRequest, payload: SocOrgGradeRewardPayIn, reward_id: int = path_id("奖励编号")) -> dict:
    require(request.user, "social_orgs.grade_reward_manage")
    reward = call_service(lambda: grade_selectors.reward_get(request.user, reward_id))
    return _reward(call_service(lambda: grades.reward_payment_request(actor=request.user, reward=reward,
                                                                      **payload.dict())))


@router.get("/social-orgs-grade-reward-parameters", response=responses(list[SocOrgGradeParameterOut]),
            summary="等级评估奖励标准", operation_id="social_orgs_grade_parameters")
def parameter_list(request: HttpRequest) -> list[dict]:
    require(request.user, "social_orgs.grade_rewards")
    return [{"id": p.pk, "grade": p.grade, "grade_label": Grade(p.grade).label, "effective_from": p.effective_from,
             "amount_fen": p.amount_fen, "document_name": p.document_name, "document_number": p.document_number}
            for p in grade_selectors.reward_parameters()]


@router.post("/social-orgs-grade-reward-parameters", response=responses(SocOrgGradeParameterOut, 201, conflict=True),
             summary="录入等级评估奖励标准（须有文件名称和文号）", operation_id="social_orgs_grade_parameter_enter")
def parameter_enter(request: HttpRequest, payload: SocOrgGradeParameterIn) -> Status:
    require(request.user, "social_orgs.grade_reward_manage")
    p = call_service(lambda: grades.reward_parameter_enter(actor=request.user, today=timezone.localdate(),
                                                           **payload.dict()))
    return Status(201, {"id": p.pk, "grade": p.grade, "grade_label": Grade(p.grade).label,
                        "effective_from": p.effective_from, "amount_fen": p.amount_fen,
                        "document_name": p.document_name, "document_number": p.document_number})
