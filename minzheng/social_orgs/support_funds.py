"""Support funds (扶持资金、公益创投, issue 18, ADR 0043): every write, the scoped
reads and the yearly figures. A documented port of the app (pyproject's
public interfaces): the demo and the API call it.

The seed: "2023年发放扶持资金近60万元，惠及社会组织44家" — the figures count
organizations with an awarded project and the money awarded and paid per year.

Rules (each a Chinese ``ValidationError``; a step the record's state does not
allow is a ``StateConflict``, HTTP 409):

* a **call** (:func:`call_create`): budget and maximum per project in fen (the
  maximum not above the budget), a window (opens ≤ closes), its own scoring
  criteria entered by staff (names unique, weights 1–100 summing to exactly 100),
  the share paid at award (1–100 %) and the document its terms come from;
* an **application** (:func:`application_file`): by the organization's own account
  (its own organization only — another is 404) or the section for it; only an
  organization in business (正常); only inside the window (both ends included);
  requested amount 1 fen … the call's maximum; one application per organization per
  call unless the call allows several;
* **scores** (:func:`score_sheet_record`): one sheet per reviewer and application,
  every criterion scored 0 … its weight; the application's score is the mean of
  the reviewers' totals (:func:`score_summary`);
* the **award** (:func:`award_decide`): only a submitted application with at least
  one score sheet; amount 1 fen … the amount requested; the call's awards together
  never above its budget (the call row is locked, so two awards cannot both take
  the last yuan); a refusal needs its reasons;
* **payment** (:func:`instalment_request`): through the payments app as a one-off
  payment (program ``social_org_fund``) to the organization as an organisation payee
  (``payee_organisation_register``): the first instalment, the call's share of the
  award (rounded down to the fen), once awarded; the rest once the final report is
  found 合格 (none after 不合格);
* the **final report** (:func:`final_report_file`, :func:`final_report_review`): filed
  once by the organization for an awarded project — outcomes, people served, the
  money spent (not above the award) and how; reviewed 合格 (→ 已结项) or 不合格 with
  reasons (→ 结项不合格).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum

from minzheng.core.audit import audit_record
from minzheng.core.bounds import day_check, text_check
from minzheng.core.errors import StateConflict
from minzheng.core.models import DivisionLevel, User
from minzheng.core.permissions import require
from minzheng.core.scope import OutOfScope, Scope
from minzheng.social_orgs import selectors
from minzheng.social_orgs.models import (
    AWARDED_STATUSES,
    ApplicationStatus,
    FundApplication,
    FundCall,
    FundCriterion,
    FundFinalReport,
    FundInstalment,
    FundKind,
    FundScore,
    Organization,
    OrgStatus,
    ReportConclusion,
)
from policy.money import format_fen

ACTOR = User | str
PAYMENT_PROGRAM = "social_org_fund"
PAYMENT_PROGRAM_LABEL = "社会组织扶持资金"
MAX_FEN = 10**12  # ten billion yuan: above any district's fund, far below BIGINT
MAX_CRITERIA = 20
MAX_PEOPLE = 10_000_000


def _name(actor: ACTOR) -> str:
    return actor if isinstance(actor, str) else actor.username


def _yuan(fen: int) -> str:
    return f"{format_fen(fen)}元"


def _text(value: Any, label: str, limit: int, *, required: bool = True) -> str:
    text = text_check(str(value or "").strip(), label, limit)
    if required and not text:
        raise ValidationError(f"请填写{label}")
    return text


def _fen(value: Any, label: str, *, minimum: int = 1, maximum: int = MAX_FEN) -> int:
    if value is None or value == "" or isinstance(value, bool):
        raise ValidationError(f"请填写{label}")
    if not isinstance(value, int):
        raise ValidationError(f"{label}应为整数（分）")
    if not minimum <= value <= maximum:
        raise ValidationError(f"{label}应在{_yuan(minimum)}至{_yuan(maximum)}之间")
    return value


# --- reads (scoped) ----------------------------------------------------------------------


def _district(user: User) -> bool:
    return Scope.of(user).level == DivisionLevel.DISTRICT


def calls_visible(user: User) -> QuerySet[FundCall]:
    """Calls are announcements: the section, the auditor and every organization's
    account see them all (an organization sees only its own applications)."""
    require(user, "social_orgs.funds_view")
    if selectors.is_organization_account(user) or _district(user):
        return FundCall.objects.all()
    return FundCall.objects.none()


def call_get(user: User, pk: int) -> FundCall:
    call = calls_visible(user).filter(pk=pk).first()
    if call is None:
        raise OutOfScope()
    return call


def applications_visible(user: User) -> QuerySet[FundApplication]:
    """Applications: all for the section and the auditor; an organization's account
    only its own organization's."""
    require(user, "social_orgs.funds_view")
    queryset = FundApplication.objects.select_related("call", "organization")
    if selectors.is_organization_account(user):
        return queryset.filter(organization__accounts__user=user)
    if _district(user):
        return queryset
    return queryset.none()


def application_get(user: User, pk: int) -> FundApplication:
    application = applications_visible(user).filter(pk=pk).first()
    if application is None:
        raise OutOfScope()
    return application


def awarded_total_fen(call: FundCall) -> int:
    """The money awarded so far in ``call`` (awards stand after the final report)."""
    return call.applications.filter(status__in=AWARDED_STATUSES).aggregate(s=Sum("awarded_fen"))["s"] or 0


@dataclass(frozen=True)
class CriterionMean:
    name: str
    weight: int
    mean: Decimal | None


@dataclass(frozen=True)
class ScoreSummary:
    """An application's scores: the reviewers, each one's total, the mean of the totals
    (two decimals, half up) and the mean per criterion; ``mean`` None: not scored."""

    reviewers: list[tuple[str, int]]
    mean: Decimal | None
    criteria: list[CriterionMean]


def _mean(values: list[int]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def score_summary(application: FundApplication) -> ScoreSummary:
    """总分 = the mean of the reviewers' totals (each the sum of its criteria)."""
    totals: dict[str, int] = {}
    per_criterion: dict[int, list[int]] = {}
    for reviewer, criterion_id, points in application.scores.values_list("reviewer", "criterion_id", "points"):
        totals[reviewer] = totals.get(reviewer, 0) + points
        per_criterion.setdefault(criterion_id, []).append(points)
    criteria = [CriterionMean(c.name, c.weight, _mean(per_criterion.get(c.pk, [])))
                for c in application.call.criteria.all()]
    return ScoreSummary(sorted(totals.items()), _mean(list(totals.values())), criteria)


def instalments_with_status(application: FundApplication) -> list[tuple[FundInstalment, str]]:
    """The award's instalments with the payments app's status label (待发放 … 已发放)."""
    from minzheng.payments.services import one_off_status

    rows = []
    for instalment in application.instalments.all():
        payment = one_off_status(PAYMENT_PROGRAM, instalment.reference) if instalment.reference else None
        rows.append((instalment, payment.get_status_display() if payment is not None else "未申请"))
    return rows


# --- calls --------------------------------------------------------------------------------


def _criteria(rows: Iterable[tuple[str, Any]]) -> list[tuple[str, int]]:
    cleaned: list[tuple[str, int]] = []
    for position, (name, weight) in enumerate(rows, start=1):
        name = _text(name, f"第{position}项评分项目名称", 100)
        if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= 100:
            raise ValidationError(f"评分项目“{name}”的分值应为1至100之间的整数")
        cleaned.append((name, weight))
    if not cleaned:
        raise ValidationError("请填写评分标准（评分项目和分值）")
    if len(cleaned) > MAX_CRITERIA:
        raise ValidationError(f"评分项目最多{MAX_CRITERIA}项")
    names = [n for n, _ in cleaned]
    if len(set(names)) != len(names):
        raise ValidationError("评分项目名称不能重复")
    total = sum(w for _, w in cleaned)
    if total != 100:
        raise ValidationError(f"评分标准各项分值合计应为100分，现为{total}分")
    return cleaned


def call_create(*, actor: ACTOR, kind: str, year: int, title: str, basis: str, budget_fen: int,
                max_per_project_fen: int, opens_on: dt.date, closes_on: dt.date, first_instalment_percent: int,
                criteria: Iterable[tuple[str, Any]], today: dt.date, several_per_org: bool = False) -> FundCall:
    """Publish a call with its own terms and scoring criteria (entered by staff)."""
    require(actor, "social_orgs.funds_manage", allow_job=True)
    if kind not in FundKind.values:
        raise ValidationError("类别无效，应为：" + "、".join(FundKind.labels))
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= today.year + 1:
        raise ValidationError(f"年度应在2000年至{today.year + 1}年之间")
    title = _text(title, "名称", 100)
    basis = _text(basis, "依据（文件名称和文号）", 300)
    budget_fen = _fen(budget_fen, "资金总额")
    max_per_project_fen = _fen(max_per_project_fen, "单个项目资助上限")
    if max_per_project_fen > budget_fen:
        raise ValidationError(f"单个项目资助上限（{_yuan(max_per_project_fen)}）不能超过资金总额（{_yuan(budget_fen)}）")
    day_check(opens_on, "申报开始日期", latest=today + dt.timedelta(days=366))
    day_check(closes_on, "申报截止日期", latest=today + dt.timedelta(days=731))
    if closes_on < opens_on:
        raise ValidationError("申报截止日期不能早于申报开始日期")
    if (isinstance(first_instalment_percent, bool) or not isinstance(first_instalment_percent, int)
            or not 1 <= first_instalment_percent <= 100):
        raise ValidationError("立项时拨付比例应为1至100之间的整数（100表示立项时全额拨付）")
    rows = _criteria(criteria)
    with transaction.atomic():
        if FundCall.objects.filter(year=year, title=title).exists():
            raise ValidationError(f"{year}年已有名为“{title}”的申报")
        call = FundCall.objects.create(
            kind=kind, year=year, title=title, basis=basis, budget_fen=budget_fen,
            max_per_project_fen=max_per_project_fen, opens_on=opens_on, closes_on=closes_on,
            several_per_org=bool(several_per_org), first_instalment_percent=first_instalment_percent,
            created_by=_name(actor))
        FundCriterion.objects.bulk_create([FundCriterion(call=call, position=i, name=n, weight=w)
                                           for i, (n, w) in enumerate(rows, start=1)])
        audit_record(actor=actor, action="social_orgs.fund_call_create", object_type="FundCall", object_id=call.pk,
                     changes={"title": title, "fund_kind": kind, "year": year, "budget_fen": budget_fen,
                              "max_per_project_fen": max_per_project_fen, "opens_on": opens_on.isoformat(),
                              "closes_on": closes_on.isoformat(), "first_instalment_percent": first_instalment_percent,
                              "criteria": "；".join(f"{n}{w}分" for n, w in rows), "basis": basis})
    return call


# --- applications ------------------------------------------------------------------------


def application_file(*, actor: ACTOR, call: FundCall, organization: Organization, project_name: str, summary: str,
                     requested_fen: int, today: dt.date) -> FundApplication:
    """File an application for ``organization`` (its own account, or the section)."""
    require(actor, "social_orgs.funds_apply", allow_job=True)
    if not isinstance(actor, str):
        organization = selectors.organization_get(actor, organization.pk)  # another organization: 404
    project_name = _text(project_name, "项目名称", 100)
    summary = _text(summary, "项目简介", 5000)
    with transaction.atomic():
        locked = FundCall.objects.select_for_update().get(pk=call.pk)
        if organization.status != OrgStatus.NORMAL:
            raise ValidationError(f"该社会组织登记状态为“{organization.get_status_display()}”，"
                                  "只有正常登记的社会组织可以申报")
        if not locked.opens_on <= today <= locked.closes_on:
            raise ValidationError(f"不在申报期内：申报期为{locked.opens_on:%Y年%m月%d日}至{locked.closes_on:%Y年%m月%d日}")
        requested_fen = _fen(requested_fen, "申请金额", maximum=locked.max_per_project_fen)
        if not locked.several_per_org and locked.applications.filter(organization=organization).exists():
            raise ValidationError("本次申报每个社会组织限报一个项目，该组织已申报")
        application = FundApplication.objects.create(
            call=locked, organization=organization, project_name=project_name, summary=summary,
            requested_fen=requested_fen, filed_on=today, filed_by=_name(actor))
        audit_record(actor=actor, action="social_orgs.fund_apply", object_type="FundApplication",
                     object_id=application.pk,
                     changes={"title": locked.title, "org_name": organization.name, "project_name": project_name,
                              "requested_fen": requested_fen})
    return application


def _locked_application(application: FundApplication) -> FundApplication:
    return FundApplication.objects.select_for_update().select_related("call", "organization").get(pk=application.pk)


def score_sheet_record(*, actor: ACTOR, application: FundApplication, reviewer: str,
                       points: Mapping[int, Any]) -> list[FundScore]:
    """One reviewer's score sheet: every criterion of the call, 0 … its weight."""
    require(actor, "social_orgs.funds_manage", allow_job=True)
    reviewer = _text(reviewer, "评审专家姓名", 64)
    with transaction.atomic():
        locked = _locked_application(application)
        if locked.status != ApplicationStatus.SUBMITTED:
            raise StateConflict(f"该项目{locked.get_status_display()}，不能再录入评分")
        criteria = list(locked.call.criteria.all())
        unknown = set(points) - {c.pk for c in criteria}
        if unknown:
            raise ValidationError("评分项目不属于本次申报的评分标准")
        scores = []
        for criterion in criteria:
            value = points.get(criterion.pk)
            if value is None or value == "":
                raise ValidationError(f"请填写“{criterion.name}”的得分")
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= criterion.weight:
                raise ValidationError(f"“{criterion.name}”的得分应为0至{criterion.weight}之间的整数")
            scores.append(FundScore(application=locked, criterion=criterion, reviewer=reviewer, points=value,
                                    entered_by=_name(actor)))
        if locked.scores.filter(reviewer=reviewer).exists():
            raise ValidationError(f"评审专家{reviewer}已为该项目评分，不能重复录入")
        FundScore.objects.bulk_create(scores)
        audit_record(actor=actor, action="social_orgs.fund_score", object_type="FundApplication",
                     object_id=locked.pk, changes={"reviewer": reviewer,
                                                   "points_total": sum(s.points for s in scores)})
    return scores


def award_decide(*, actor: ACTOR, application: FundApplication, award: bool, amount_fen: int | None, reason: str,
                 on: dt.date, today: dt.date) -> FundApplication:
    """Award (amount ≤ requested, the call's awards ≤ its budget) or refuse (with reasons)."""
    require(actor, "social_orgs.funds_manage", allow_job=True)
    reason = _text(reason, "决定理由", 2000, required=not award)
    with transaction.atomic():
        call = FundCall.objects.select_for_update().get(pk=application.call_id)  # one award at a time per call
        locked = _locked_application(application)
        if locked.status != ApplicationStatus.SUBMITTED:
            raise StateConflict(f"该项目{locked.get_status_display()}，不能再作出资助决定")
        day_check(on, "决定日期", earliest=locked.filed_on, latest=today)
        if award:
            if not locked.scores.exists():
                raise ValidationError("请先录入评审评分，再作出资助决定")
            if locked.organization.status != OrgStatus.NORMAL:
                raise ValidationError(f"该社会组织登记状态已为“{locked.organization.get_status_display()}”，不能资助")
            amount_fen = _fen(amount_fen, "资助金额", maximum=locked.requested_fen)
            awarded = awarded_total_fen(call)
            if awarded + amount_fen > call.budget_fen:
                raise ValidationError(f"超出本次申报的资金总额：总额{_yuan(call.budget_fen)}，已资助{_yuan(awarded)}，"
                                      f"剩余{_yuan(call.budget_fen - awarded)}，不能再资助{_yuan(amount_fen)}")
            locked.status, locked.awarded_fen = ApplicationStatus.AWARDED, amount_fen
        else:
            locked.status, locked.awarded_fen = ApplicationStatus.REFUSED, None
        locked.decided_on, locked.decided_by, locked.decision_reason = on, _name(actor), reason
        locked.save()
        audit_record(actor=actor, action="social_orgs.fund_decide", object_type="FundApplication",
                     object_id=locked.pk,
                     changes={"fund_status": locked.status, "awarded_fen": locked.awarded_fen,
                              "decided_on": on.isoformat(), "reason": reason})
    return locked


# --- payment ------------------------------------------------------------------------------


def next_instalment(application: FundApplication) -> tuple[int, int]:
    """(seq, amount) of the instalment due now, or a refusal saying why none is."""
    if application.status not in AWARDED_STATUSES:
        raise StateConflict("项目立项资助后才能申请拨付")
    awarded = application.awarded_fen or 0
    requested = sum(application.instalments.values_list("amount_fen", flat=True))
    if requested >= awarded:
        raise StateConflict("资助金额已全部申请拨付")
    done = application.instalments.count()
    if done == 0:
        first = awarded * application.call.first_instalment_percent // 100
        return 1, first if first > 0 else awarded
    if application.status == ApplicationStatus.FAILED:
        raise StateConflict("结项报告验收不合格，余款不予拨付")
    if application.status != ApplicationStatus.COMPLETED:
        raise StateConflict("余款在结项报告验收合格后拨付")
    return 2, awarded - requested


def instalment_request(*, actor: ACTOR, application: FundApplication, today: dt.date, bank_name: str = "",
                       account_number: str = "") -> FundInstalment:
    """Request the instalment due now from the payments app (a one-off payment to the
    organization as an organisation payee). The account: the one given here (it is
    registered, or corrected, with the payments app), else the organization's active one."""
    from minzheng.payments.models import AccountStatus, PayeeOrganisation
    from minzheng.payments.services import one_off_request_organisation, payee_organisation_register

    require(actor, "social_orgs.funds_manage", allow_job=True)
    bank_name, account_number = str(bank_name or "").strip(), str(account_number or "").strip()
    with transaction.atomic():
        locked = _locked_application(application)
        seq, amount = next_instalment(locked)
        organization = locked.organization
        if organization.committee_id is None or organization.street_id is None:
            raise ValidationError("该社会组织未登记所在居村委，发放须记入所在街镇和居村委：请先在登记信息中补录")
        if account_number or bank_name:
            if not (account_number and bank_name):
                raise ValidationError("请同时填写开户银行和银行账号")
            payee = payee_organisation_register(actor=actor, name=organization.name, uscc=organization.uscc,
                                                bank_name=bank_name, number=account_number,
                                                reason=f"{organization.name}扶持资金收款账户")
        else:
            payee = PayeeOrganisation.objects.filter(uscc=organization.uscc, status=AccountStatus.ACTIVE).first()
            if payee is None:
                raise ValidationError("该社会组织尚未登记收款账户，请填写开户银行和银行账号")
        instalment = FundInstalment.objects.create(application=locked, seq=seq, amount_fen=amount,
                                                   requested_on=today, requested_by=_name(actor))
        instalment.reference = f"扶持资金-{instalment.pk}"
        instalment.save(update_fields=["reference"])
        one_off_request_organisation(
            actor=actor, program=PAYMENT_PROGRAM, organisation=payee, street_id=organization.street_id,
            committee_id=organization.committee_id, amount_fen=amount, reference=instalment.reference,
            reason=f"{locked.call.title}：{locked.project_name}（第{seq}期）")
        audit_record(actor=actor, action="social_orgs.fund_pay", object_type="FundApplication", object_id=locked.pk,
                     changes={"instalment": seq, "amount_fen": amount, "reference": instalment.reference})
    return instalment


# --- final report -------------------------------------------------------------------------


def final_report_file(*, actor: ACTOR, application: FundApplication, outcomes: str, beneficiaries: int | None,
                      spent_fen: int | None, spending_note: str, today: dt.date) -> FundFinalReport:
    """结项报告: outcomes, people served, the money spent (≤ the award) and how."""
    require(actor, "social_orgs.funds_apply", allow_job=True)
    if not isinstance(actor, str):
        application = application_get(actor, application.pk)  # another organization's: 404
    outcomes = _text(outcomes, "项目成效", 5000)
    spending_note = _text(spending_note, "资金使用说明", 5000)
    if beneficiaries is None or isinstance(beneficiaries, bool) or not isinstance(beneficiaries, int):
        raise ValidationError("请填写服务人次")
    if not 0 <= beneficiaries <= MAX_PEOPLE:
        raise ValidationError(f"服务人次应在0至{MAX_PEOPLE}之间")
    with transaction.atomic():
        locked = _locked_application(application)
        if locked.status != ApplicationStatus.AWARDED:
            raise StateConflict(f"该项目{locked.get_status_display()}，只有已立项资助的项目提交结项报告")
        if FundFinalReport.objects.filter(application=locked).exists():
            raise StateConflict("该项目已提交结项报告，不能重复提交")
        spent = _fen(spent_fen, "资金使用金额", minimum=0, maximum=locked.awarded_fen or 0)
        report = FundFinalReport.objects.create(application=locked, outcomes=outcomes, beneficiaries=beneficiaries,
                                                spent_fen=spent, spending_note=spending_note, filed_on=today,
                                                filed_by=_name(actor))
        audit_record(actor=actor, action="social_orgs.fund_report_file", object_type="FundApplication",
                     object_id=locked.pk, changes={"spent_fen": spent, "beneficiaries": beneficiaries})
    return report


def final_report_review(*, actor: ACTOR, report: FundFinalReport, conclusion: str, reasons: str, on: dt.date,
                        today: dt.date) -> FundFinalReport:
    """验收: 合格 (the project is 已结项, the rest of the award becomes payable) or 不合格
    with reasons (结项不合格: the rest is not paid)."""
    require(actor, "social_orgs.funds_manage", allow_job=True)
    if conclusion not in ReportConclusion.values:
        raise ValidationError("验收结论应为合格或不合格")
    reasons = _text(reasons, "验收意见", 2000, required=conclusion == ReportConclusion.UNQUALIFIED)
    with transaction.atomic():
        locked = FundFinalReport.objects.select_for_update().get(pk=report.pk)
        if locked.conclusion:
            raise StateConflict("该结项报告已验收")
        day_check(on, "验收日期", earliest=locked.filed_on, latest=today)
        locked.conclusion, locked.review_reasons = conclusion, reasons
        locked.reviewed_on, locked.reviewed_by = on, _name(actor)
        locked.save()
        application = _locked_application(locked.application)
        application.status = (ApplicationStatus.COMPLETED if conclusion == ReportConclusion.QUALIFIED
                              else ApplicationStatus.FAILED)
        application.save(update_fields=["status"])
        audit_record(actor=actor, action="social_orgs.fund_report_review", object_type="FundApplication",
                     object_id=application.pk, changes={"report_conclusion": conclusion, "reason": reasons})
    return locked


# --- figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundFigures:
    """One row of the yearly figures (the year, or one kind of support)."""

    label: str
    calls: int
    applications: int
    awards: int
    organizations: int  # 惠及社会组织（家）: distinct organizations with an awarded project
    awarded_fen: int
    requested_payment_fen: int
    paid_fen: int


def fund_figures(user: User, year: int) -> dict[str, Any]:
    """The year's support funds in the seed's terms ("发放扶持资金近60万元，惠及社会组织
    44家"): organizations with an awarded project, money awarded and money paid (the
    payments app's 已发放), for the year and by kind."""
    from minzheng.payments.models import OneOffPayment, OneOffStatus

    require(user, "social_orgs.funds_figures")
    calls = calls_visible(user).filter(year=year)
    applications = applications_visible(user).filter(call__year=year)
    references = dict(FundInstalment.objects.filter(application__in=applications)
                      .values_list("reference", "application__call__kind"))
    paid_by_kind: dict[str, int] = {}
    for reference, amount in OneOffPayment.objects.filter(program=PAYMENT_PROGRAM, status=OneOffStatus.PAID,
                                                          reference__in=list(references)).values_list(
            "reference", "amount_fen"):
        paid_by_kind[references[reference]] = paid_by_kind.get(references[reference], 0) + amount
    requested_by_kind = dict(FundInstalment.objects.filter(application__in=applications)
                             .values_list("application__call__kind").annotate(s=Sum("amount_fen")))
    call_counts = dict(calls.values_list("kind").annotate(n=Count("id")))
    by_kind = {row["call__kind"]: row for row in applications.values("call__kind").annotate(
        n=Count("id"), awards=Count("id", filter=_awarded()), orgs=Count("organization", filter=_awarded(),
                                                                          distinct=True),
        awarded=Sum("awarded_fen", filter=_awarded()))}

    def row(label: str, kind: str) -> FundFigures:
        r = by_kind.get(kind, {})
        return FundFigures(label, call_counts.get(kind, 0), r.get("n", 0), r.get("awards", 0), r.get("orgs", 0),
                           r.get("awarded") or 0, requested_by_kind.get(kind, 0), paid_by_kind.get(kind, 0))

    total = applications.aggregate(n=Count("id"), awards=Count("id", filter=_awarded()),
                                   orgs=Count("organization", filter=_awarded(), distinct=True),
                                   awarded=Sum("awarded_fen", filter=_awarded()))
    year_row = FundFigures(f"{year}年", calls.count(), total["n"], total["awards"], total["orgs"],
                           total["awarded"] or 0, sum(requested_by_kind.values()), sum(paid_by_kind.values()))
    return {"year": year_row, "kinds": [row(label, kind) for kind, label in FundKind.choices]}


def _awarded() -> Q:
    return Q(status__in=AWARDED_STATUSES)
