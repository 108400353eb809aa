"""社会组织等级评估 (evaluation grades, ADR 0041): every write, each validated,
in one transaction, with one audit entry.

REFERENCE § 13: "Evaluation grades 5A-1A, valid 5 years (民政部令第39号). Eligible
to apply after 2 full years registered. Excluded: missed last year's annual
inspection, last year 不合格 or two consecutive 基本合格, under penalty or
investigation."

* :func:`eligibility` — the exclusions found for an organization applying in a
  round on a day, each with its evidence (empty list: eligible). "Last year" is
  the report year before the round's year (ADR 0041).
* :func:`round_open`, :func:`application_submit` (the organization or the
  section; an excluded application is kept, 不符合申报条件, with its reasons),
  :func:`score_record` (one total per expert, out of 1000),
  :func:`application_decide` — the evaluation committee's grade entered by
  staff (no score→grade thresholds exist in any reference: none invented); it
  records 党建三同步 at evaluation, confirms the grade for five years and
  creates its reward (免申即享).
* :func:`sanction_record` / :func:`sanction_end` — penalties and investigations.
* Reward (社会组织等级评估奖励): :func:`reward_parameter_enter` (amount per grade,
  cited), :func:`rewards_compute` (waiting rewards whose value now exists),
  :func:`reward_payment_request` (a one-off payment to the organization through
  the payments app).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from minzheng.core.audit import audit_record
from minzheng.core.bounds import day_check, text_check
from minzheng.core.errors import StateConflict
from minzheng.core.models import User
from minzheng.core.permissions import require
from minzheng.social_orgs import selectors, services
from minzheng.social_orgs.grade_models import (
    ApplicationStatus,
    EvaluationApplication,
    EvaluationRound,
    Exclusion,
    ExpertScore,
    Grade,
    GradeReward,
    OrganizationGrade,
    RewardParameter,
    RewardStatus,
    SanctionKind,
    SanctionRecord,
)
from minzheng.social_orgs.models import (
    AnnualReport,
    Conclusion,
    Organization,
    OrgStatus,
    PartyStage,
)

ACTOR = User | str
VALID_YEARS = 5            # REFERENCE § 13 (民政部令第39号): a grade is valid five years
MIN_FULL_YEARS = 2         # REFERENCE § 13: eligible after two full years registered
MAX_SCORE = 1000           # the score is a total out of 1000 (the evaluation index's full mark)
MAX_REWARD_FEN = 10_000_000_00  # 1000万元: above any reward, a typing guard only
PAYMENT_PROGRAM = "socorg_grade_reward"
PAYMENT_LABEL = "社会组织等级评估奖励"
PARAMETER_MISSING = "PARAMETER_MISSING"
MISSING_TEXT = "参数缺失：等级评估奖励金额未录入"
DECIDABLE = (ApplicationStatus.ELIGIBLE, ApplicationStatus.SCORED)


def _name(actor: ACTOR) -> str:
    return actor if isinstance(actor, str) else actor.username


def years_after(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later; 29 February becomes 1 March in a
    common year (the anniversary has then passed the day after 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def grade_valid_until(valid_from: dt.date) -> dt.date:
    """The last day of a grade confirmed on ``valid_from``: the day before its
    fifth anniversary (valid on that day, expired the day after)."""
    return years_after(valid_from, VALID_YEARS) - dt.timedelta(days=1)


def _exclusion(code: Exclusion, evidence: str) -> dict:
    return {"code": code.value, "label": code.label, "evidence": evidence}


def eligibility(organization: Organization, *, year: int, on: dt.date) -> list[dict]:
    """The REFERENCE § 13 exclusions of ``organization`` applying on ``on`` in the
    round of ``year``, each ``{"code", "label", "evidence"}``; [] when eligible.
    Last year = report year ``year - 1``, the year before it ``year - 2``."""
    found: list[dict] = []
    if organization.status != OrgStatus.NORMAL:
        found.append(_exclusion(Exclusion.NOT_IN_BUSINESS,
                                f"登记状态为“{organization.get_status_display()}”"
                                + (f"（{organization.status_on:%Y-%m-%d}）" if organization.status_on else "")))
    full = years_after(organization.registered_on, MIN_FULL_YEARS)
    if on < full:
        found.append(_exclusion(Exclusion.TOO_YOUNG, f"成立登记日期{organization.registered_on:%Y-%m-%d}，"
                                                     f"{full:%Y-%m-%d}起满两年，申报日期{on:%Y-%m-%d}"))
    last, before = year - 1, year - 2
    reports = {r.year: r for r in AnnualReport.objects.filter(organization=organization, year__in=[last, before])}
    if organization.registered_on < dt.date(last, 1, 1):  # due to report for last year (ADR 0039)
        report = reports.get(last)
        if report is None:
            found.append(_exclusion(Exclusion.MISSED_INSPECTION, f"未提交{last}年度报告（年检）"))
        elif report.conclusion == Conclusion.UNQUALIFIED:
            found.append(_exclusion(Exclusion.UNQUALIFIED, f"{last}年度年检结论为不合格"
                                                           f"（{report.reviewed_on:%Y-%m-%d}审查）"))
        elif report.conclusion == Conclusion.BASIC and getattr(reports.get(before), "conclusion", "") == Conclusion.BASIC:
            found.append(_exclusion(Exclusion.BASIC_TWICE, f"{before}年度、{last}年度年检结论均为基本合格"))
    running = SanctionRecord.objects.filter(organization=organization, started_on__lte=on).exclude(ended_on__lt=on)
    for sanction in running.order_by("started_on", "pk"):
        code = Exclusion.PENALTY if sanction.kind == SanctionKind.PENALTY else Exclusion.INVESTIGATION
        until = f"至{sanction.ended_on:%Y-%m-%d}" if sanction.ended_on else "，尚未结束"
        found.append(_exclusion(code, f"{sanction.get_kind_display()}（{sanction.document}），"
                                      f"{sanction.started_on:%Y-%m-%d}起{until}：{sanction.description}"))
    return found


# --- rounds and applications -----------------------------------------------------------------

@transaction.atomic
def round_open(*, actor: ACTOR, year: int, opens_on: dt.date, closes_on: dt.date, note: str = "",
               today: dt.date) -> EvaluationRound:
    """A year's evaluation with its application window (one round a year)."""
    require(actor, "social_orgs.grade_decide", allow_job=True)
    if not 2000 <= int(year) <= today.year + 1:
        raise ValidationError(f"评估年度应在2000年至{today.year + 1}年之间")
    day_check(opens_on, "申报开始日期", latest=dt.date(year, 12, 31))
    day_check(closes_on, "申报截止日期", earliest=opens_on, latest=dt.date(year, 12, 31))
    if opens_on.year != year:
        raise ValidationError("申报开始日期应在评估年度内")
    note = text_check(str(note or "").strip(), "说明（通知文号）", 300)
    if EvaluationRound.objects.filter(year=year).exists():
        raise StateConflict(f"{year}年度的等级评估已设立")
    row = EvaluationRound.objects.create(year=year, opens_on=opens_on, closes_on=closes_on, note=note,
                                         created_by=_name(actor))
    audit_record(actor=actor, action="social_orgs.round_open", object_type="EvaluationRound", object_id=row.pk,
                 changes={"year": year, "opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()})
    return row


def application_submit(*, actor: ACTOR, organization: Organization, round: EvaluationRound, applied_on: dt.date,
                       today: dt.date) -> EvaluationApplication:
    """Apply for ``round`` (the organization's own account, or the section for it).
    Eligibility is checked on ``applied_on``: an excluded application is kept
    with its reasons (不符合申报条件), so the organization sees why."""
    require(actor, "social_orgs.grade_apply", allow_job=True)
    if not isinstance(actor, str):
        organization = selectors.organization_get(actor, organization.pk)
    day_check(applied_on, "申报日期", latest=today)
    if not round.opens_on <= applied_on <= round.closes_on:
        raise ValidationError(f"{round.year}年度等级评估的申报期为{round.opens_on:%Y-%m-%d}至"
                              f"{round.closes_on:%Y-%m-%d}，申报日期不在申报期内")
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        if EvaluationApplication.objects.filter(round=round, organization=organization).exists():
            raise StateConflict(f"该社会组织已申报{round.year}年度等级评估")
        exclusions = eligibility(organization, year=round.year, on=applied_on)
        application = EvaluationApplication.objects.create(
            round=round, organization=organization, applied_on=applied_on, applicant=_name(actor),
            status=ApplicationStatus.EXCLUDED if exclusions else ApplicationStatus.ELIGIBLE, exclusions=exclusions)
        audit_record(actor=actor, action="social_orgs.grade_apply", object_type="EvaluationApplication",
                     object_id=application.pk,
                     changes={"org_name": organization.name, "year": round.year,
                              "eval_status": application.status,
                              "exclusions": "；".join(e["label"] for e in exclusions) or "无"})
    return application


@transaction.atomic
def score_record(*, actor: ACTOR, application: EvaluationApplication, expert: str, score: int,
                 scored_on: dt.date, note: str = "", today: dt.date) -> ExpertScore:
    """One expert's total score (0–1000) of an eligible application."""
    require(actor, "social_orgs.grade_decide", allow_job=True)
    locked = EvaluationApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status not in DECIDABLE:
        raise StateConflict(f"该申报“{locked.get_status_display()}”，不能录入评分")
    expert = text_check(str(expert or "").strip(), "评估专家", 64)
    if not expert:
        raise ValidationError("请填写评估专家姓名")
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= MAX_SCORE:
        raise ValidationError(f"评分应为0至{MAX_SCORE}之间的整数（满分{MAX_SCORE}分）")
    day_check(scored_on, "评分日期", earliest=locked.applied_on, latest=today)
    if locked.scores.filter(expert=expert).exists():
        raise StateConflict(f"评估专家{expert}已对该申报评分")
    row = ExpertScore.objects.create(application=locked, expert=expert, score=score, scored_on=scored_on,
                                     note=text_check(str(note or "").strip(), "评分意见", 500),
                                     recorded_by=_name(actor))
    if locked.status == ApplicationStatus.ELIGIBLE:
        locked.status = ApplicationStatus.SCORED
        locked.save(update_fields=["status"])
    audit_record(actor=actor, action="social_orgs.grade_score", object_type="EvaluationApplication",
                 object_id=locked.pk, changes={"expert": expert, "score": score})
    return row


def application_decide(*, actor: ACTOR, application: EvaluationApplication, grade: str, decided_on: dt.date,
                       basis: str, party_status: str, today: dt.date) -> EvaluationApplication:
    """The evaluation committee's decision as staff enter it: a grade (5A–1A) or
    none (``grade`` ""), with its basis. Needs the experts' scores first. Records
    党建三同步 at evaluation; a grade is confirmed for five years from
    ``decided_on`` (ending the organization's earlier grade) and its reward is
    created at once (免申即享)."""
    require(actor, "social_orgs.grade_decide", allow_job=True)
    if grade and grade not in Grade.values:
        raise ValidationError("评定等级应为5A级至1A级之一，或不予评定等级")
    basis = text_check(str(basis or "").strip(), "审定依据", 300)
    if not basis:
        raise ValidationError("请填写审定依据（如评估委员会审定意见或公告文号）")
    with transaction.atomic():
        locked = (EvaluationApplication.objects.select_for_update().select_related("organization", "round")
                  .get(pk=application.pk))
        if locked.status not in DECIDABLE:
            raise StateConflict(f"该申报“{locked.get_status_display()}”，不能审定等级")
        last_score = locked.scores.order_by("-scored_on").values_list("scored_on", flat=True).first()
        if last_score is None:
            raise ValidationError("尚无评估专家评分，评估委员会审定须以专家评分为依据")
        day_check(decided_on, "审定日期", earliest=last_score, latest=today)
        services.party_check_record(actor=actor, organization=locked.organization, stage=PartyStage.EVALUATION,
                                    checked_on=decided_on, party_status=party_status,
                                    note=f"{locked.round.year}年度等级评估", today=today)
        locked.grade, locked.decided_on, locked.decision_basis = grade, decided_on, basis
        locked.decided_by = _name(actor)
        locked.status = ApplicationStatus.GRADED if grade else ApplicationStatus.NOT_GRADED
        locked.save()
        changes: dict = {"org_name": locked.organization.name, "year": locked.round.year,
                         "eval_grade": grade or "none", "decided_on": decided_on.isoformat(), "basis": basis}
        if grade:
            confirmed = grade_confirm(actor=actor, organization=locked.organization, grade=grade,
                                      valid_from=decided_on, basis=basis, application=locked)
            changes["valid_until"] = confirmed.valid_until.isoformat()
        audit_record(actor=actor, action="social_orgs.grade_decide", object_type="EvaluationApplication",
                     object_id=locked.pk, changes=changes)
    return locked


def grade_confirm(*, actor: ACTOR, organization: Organization, grade: str, valid_from: dt.date, basis: str,
                  application: EvaluationApplication | None = None) -> OrganizationGrade:
    """Confirm ``grade`` from ``valid_from`` for five years; an earlier grade still
    running ends the day before; the reward is created (免申即享). Called inside
    :func:`application_decide`'s transaction (and by the demo for past grades)."""
    OrganizationGrade.objects.filter(organization=organization, superseded_on__isnull=True,
                                     valid_until__gte=valid_from).update(
        superseded_on=valid_from - dt.timedelta(days=1))
    confirmed = OrganizationGrade.objects.create(
        organization=organization, application=application, grade=grade, valid_from=valid_from,
        valid_until=grade_valid_until(valid_from), basis=basis, confirmed_by=_name(actor))
    reward_create(actor=actor, confirmed=confirmed)
    return confirmed


# --- penalties and investigations ------------------------------------------------------------

@transaction.atomic
def sanction_record(*, actor: ACTOR, organization: Organization, kind: str, started_on: dt.date,
                    ended_on: dt.date | None, document: str, description: str, today: dt.date) -> SanctionRecord:
    """A penalty or an investigation with its document number and dates; it
    excludes the organization from applying while it runs."""
    require(actor, "social_orgs.grade_decide", allow_job=True)
    if kind not in SanctionKind.values:
        raise ValidationError("类别应为行政处罚或立案调查")
    day_check(started_on, "开始日期", earliest=organization.registered_on, latest=today)
    if ended_on is not None:
        day_check(ended_on, "结束日期", earliest=started_on)
    document = text_check(str(document or "").strip(), "决定书或立案文号", 100)
    description = text_check(str(description or "").strip(), "事由", 500)
    if not document or not description:
        raise ValidationError("请填写决定书或立案文号和事由")
    row = SanctionRecord.objects.create(organization=organization, kind=kind, started_on=started_on,
                                        ended_on=ended_on, document=document, description=description,
                                        recorded_by=_name(actor))
    audit_record(actor=actor, action="social_orgs.sanction_record", object_type="SanctionRecord", object_id=row.pk,
                 changes={"org_name": organization.name, "sanction_kind": kind, "started_on": started_on.isoformat(),
                          "ended_on": ended_on.isoformat() if ended_on else None, "document": document})
    return row


@transaction.atomic
def sanction_end(*, actor: ACTOR, sanction: SanctionRecord, ended_on: dt.date, today: dt.date) -> SanctionRecord:
    """The day a running penalty or investigation ended."""
    require(actor, "social_orgs.grade_decide", allow_job=True)
    locked = SanctionRecord.objects.select_for_update().get(pk=sanction.pk)
    if locked.ended_on is not None:
        raise StateConflict(f"该{locked.get_kind_display()}已于{locked.ended_on:%Y-%m-%d}结束")
    day_check(ended_on, "结束日期", earliest=locked.started_on, latest=today)
    locked.ended_on = ended_on
    locked.save(update_fields=["ended_on"])
    audit_record(actor=actor, action="social_orgs.sanction_end", object_type="SanctionRecord", object_id=locked.pk,
                 changes={"ended_on": ended_on.isoformat()})
    return locked


# --- the reward (免申即享) ---------------------------------------------------------------------

def reward_value(grade: str, on: dt.date) -> RewardParameter | None:
    """The reward amount of ``grade`` in force on ``on`` (entered, cited), else None."""
    return RewardParameter.objects.filter(grade=grade, effective_from__lte=on).order_by("-effective_from").first()


def _computed(reward: GradeReward, today: dt.date) -> bool:
    parameter = reward_value(reward.grade.grade, reward.grade.valid_from)
    if parameter is None:
        return False
    reward.status, reward.amount_fen, reward.parameter = RewardStatus.COMPUTED, parameter.amount_fen, parameter
    reward.computed_on = today
    return True


def reward_create(*, actor: ACTOR, confirmed: OrganizationGrade) -> GradeReward:
    """The reward of a confirmed grade, valued by the amount in force on the
    confirmation day; none entered → 参数缺失 (PARAMETER_MISSING), never 0."""
    reward = GradeReward(grade=confirmed, status=RewardStatus.MISSING)
    _computed(reward, confirmed.valid_from)
    reward.save()
    audit_record(actor=actor, action="social_orgs.reward_compute", object_type="GradeReward", object_id=reward.pk,
                 changes={"org_name": confirmed.organization.name, "eval_grade": confirmed.grade,
                          "reward_status": reward.status, "amount_fen": reward.amount_fen})
    return reward


def missing_reason(reward: GradeReward) -> str:
    """Why a reward has no amount, as people read it."""
    return (f"{MISSING_TEXT}（{Grade(reward.grade.grade).label}，{reward.grade.valid_from:%Y-%m-%d}审定；"
            "请区民政局在“奖励标准”页录入有文件名称和文号的金额）")


@transaction.atomic
def rewards_compute(*, actor: ACTOR, today: dt.date, grade: str | None = None) -> int:
    """Value the waiting (参数缺失) rewards whose amount now exists; returns how many."""
    require(actor, "social_orgs.grade_reward_manage", allow_job=True)
    waiting = GradeReward.objects.select_for_update().select_related("grade").filter(status=RewardStatus.MISSING)
    if grade:
        waiting = waiting.filter(grade__grade=grade)
    done = 0
    for reward in waiting:
        if _computed(reward, today):
            reward.save(update_fields=["status", "amount_fen", "parameter", "computed_on"])
            done += 1
    if done:
        audit_record(actor=actor, action="social_orgs.reward_compute", object_type="GradeReward", object_id="batch",
                     changes={"rewards": done, "eval_grade": grade or "all"})
    return done


@transaction.atomic
def reward_parameter_enter(*, actor: ACTOR, grade: str, effective_from: dt.date, amount_fen: int,
                           document_name: str, document_number: str, today: dt.date) -> RewardParameter:
    """The reward amount of a grade from a date, with its document (name and
    number required); the waiting rewards it now values are computed at once."""
    require(actor, "social_orgs.grade_reward_manage", allow_job=True)
    if grade not in Grade.values:
        raise ValidationError("请选择评估等级")
    day_check(effective_from, "起始日期")
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or not 0 < amount_fen <= MAX_REWARD_FEN:
        raise ValidationError("奖励金额应大于0元、不超过1000万元")
    document_name = text_check(str(document_name or "").strip(), "依据文件名称", 200)
    document_number = text_check(str(document_number or "").strip(), "文号", 100)
    if not document_name or not document_number:
        raise ValidationError("请填写依据文件名称和文号：奖励金额须有出处")
    if RewardParameter.objects.filter(grade=grade, effective_from=effective_from).exists():
        raise StateConflict(f"{Grade(grade).label}在{effective_from:%Y-%m-%d}起的奖励金额已录入")
    row = RewardParameter.objects.create(grade=grade, effective_from=effective_from, amount_fen=amount_fen,
                                         document_name=document_name, document_number=document_number,
                                         entered_by=_name(actor))
    audit_record(actor=actor, action="social_orgs.reward_parameter", object_type="RewardParameter", object_id=row.pk,
                 changes={"eval_grade": grade, "effective_from": effective_from.isoformat(), "amount_fen": amount_fen,
                          "document_name": document_name, "document_number": document_number})
    rewards_compute(actor=actor, today=today, grade=grade)
    return row


def program_register() -> None:
    """Register the reward's one-off program with the payments app (AppConfig.ready)."""
    from minzheng.payments.services import one_off_program_register

    one_off_program_register(PAYMENT_PROGRAM, PAYMENT_LABEL)


def reward_reference(reward: GradeReward) -> str:
    return f"social_orgs.GradeReward:{reward.pk}"


def reward_payment_request(*, actor: User, reward: GradeReward, bank_name: str, account_number: str) -> GradeReward:
    """Send a computed reward to the payments app: the organization as an
    organisation payee (its name and USCC from the register, the account given
    here) and a one-off request of program 社会组织等级评估奖励, reference
    ``social_orgs.GradeReward:<id>`` (idempotent). A 参数缺失 reward cannot be paid."""
    from minzheng.payments.services import one_off_request_organisation, payee_organisation_register

    require(actor, "social_orgs.grade_reward_manage")
    with transaction.atomic():
        locked = GradeReward.objects.select_for_update().select_related("grade__organization").get(pk=reward.pk)
        if locked.status == RewardStatus.REQUESTED:
            return locked
        if locked.status == RewardStatus.MISSING:
            raise StateConflict(missing_reason(locked))
        organization = locked.grade.organization
        if organization.committee_id is None or organization.street_id is None:
            raise ValidationError("该社会组织未登记所在居村委，不能申请拨付；请先在登记信息中补充所在居村委")
        if organization.status != OrgStatus.NORMAL:
            raise ValidationError(f"该社会组织登记状态为“{organization.get_status_display()}”，不能拨付奖励")
        payee = payee_organisation_register(actor=actor, name=organization.name, uscc=organization.uscc,
                                            bank_name=bank_name, number=account_number,
                                            reason=f"{organization.name}等级评估奖励收款账户")
        reference = reward_reference(locked)
        one_off_request_organisation(
            actor=actor, program=PAYMENT_PROGRAM, organisation=payee, street_id=organization.street_id,
            committee_id=organization.committee_id, amount_fen=locked.amount_fen, reference=reference,
            reason=f"{organization.name}{Grade(locked.grade.grade).label}等级评估奖励")
        locked.status, locked.payment_reference = RewardStatus.REQUESTED, reference
        locked.save(update_fields=["status", "payment_reference"])
        audit_record(actor=actor, action="social_orgs.reward_pay", object_type="GradeReward", object_id=locked.pk,
                     changes={"org_name": organization.name, "amount_fen": locked.amount_fen,
                              "reference": reference})
    return locked
