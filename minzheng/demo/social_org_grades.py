"""The demo district's evaluation grades (ADR 0041).

**Demo data, not published records.** What follows the seed (2023 summary):
"我区登记注册的社会组织中获得评估等级 276 家，获得评估等级率达 34%" — 276 of the
organizations in business hold a valid grade today, confirmed within the last five
years (so some expire soon), a spread from 5A to 1A, and "11 家社区社会组织获评
4A、5A 高等级" (11 community organizations at 4A/5A). A few more hold a grade that
ran out and was not renewed (the expiry list). Each grade was confirmed at least
two full years after registration (REFERENCE § 13) and recorded 党建三同步 at
evaluation.

This year's round is open with a few applications (two scored), checked by the
real eligibility rule; the demo account's organization has not filed last year's
report, so its own application is excluded (未参加上一年度年检). One investigation
is recorded. Rewards exist for grades confirmed since 2024 (the reward became a
免申即享 item in the 2024 plan); **no reward amount is entered**, so every reward
shows 参数缺失.

Bulk-created; safe to run again (does nothing once a demo grade exists).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from minzheng.core.audit import audit_record
from minzheng.core.models import User
from minzheng.social_orgs import grades
from minzheng.social_orgs.grade_models import (
    GradeReward,
    OrganizationGrade,
    RewardStatus,
    SanctionKind,
)
from minzheng.social_orgs.models import (
    AnnualReport,
    Conclusion,
    Organization,
    OrgStatus,
    PartyBuildingCheck,
    PartyStage,
)

ACTOR = "demo-setup"
GRADED, EXPIRED = 276, 18
COMMUNITY_HIGH = 11            # seed: 11 community organizations at 4A/5A
SPREAD = (("5a", 6), ("4a", 20), ("3a", 46), ("2a", 20), ("1a", 8))
REWARD_FROM = dt.date(2024, 1, 1)


def _grade(rng: random.Random, *, high: bool | None) -> str:
    choices = [g for g, _ in SPREAD if high is None or (g in ("5a", "4a")) == high]
    weights = [w for g, w in SPREAD if g in choices]
    return rng.choices(choices, weights=weights)[0]


def social_org_grades_seed(*, today: dt.date, seed: int = 2024, account: User | None = None) -> str:
    """Seed the grades, this year's round and its applications (once)."""
    if OrganizationGrade.objects.exists():
        return "演示社会组织评估等级已存在，未重复生成。"
    rng = random.Random(seed + 41)
    window_start = grades.years_after(today, -grades.VALID_YEARS) + dt.timedelta(days=1)
    own = getattr(getattr(account, "social_org_link", None), "organization", None) if account else None
    in_business = [o for o in Organization.objects.filter(status=OrgStatus.NORMAL).order_by("pk")
                   if grades.years_after(o.registered_on, grades.MIN_FULL_YEARS) <= today - dt.timedelta(days=30)
                   and o != own]
    rng.shuffle(in_business)
    graded, expired_orgs = in_business[:GRADED], in_business[GRADED:GRADED + EXPIRED]
    community = [o for o in graded if o.community]
    high_community = {o.pk for o in community[:COMMUNITY_HIGH]}
    rows: list[OrganizationGrade] = []
    for org in graded:
        first = max(window_start, grades.years_after(org.registered_on, grades.MIN_FULL_YEARS))
        span = (today - dt.timedelta(days=20) - first).days
        valid_from = first + dt.timedelta(days=rng.randrange(max(span, 1)))
        high = True if org.pk in high_community else (False if org.community else None)
        rows.append(OrganizationGrade(organization=org, grade=_grade(rng, high=high), valid_from=valid_from,
                                      valid_until=grades.grade_valid_until(valid_from),
                                      basis=f"{valid_from.year}年度社会组织评估委员会审定（演示）", confirmed_by=ACTOR))
    for org in expired_orgs:  # confirmed five to six years ago and not renewed
        valid_from = window_start - dt.timedelta(days=rng.randrange(1, 365))
        if grades.years_after(org.registered_on, grades.MIN_FULL_YEARS) > valid_from:
            continue
        rows.append(OrganizationGrade(organization=org, grade=_grade(rng, high=None), valid_from=valid_from,
                                      valid_until=grades.grade_valid_until(valid_from),
                                      basis=f"{valid_from.year}年度社会组织评估委员会审定（演示）", confirmed_by=ACTOR))
    with transaction.atomic():
        OrganizationGrade.objects.bulk_create(rows, batch_size=500)
        saved = list(OrganizationGrade.objects.select_related("organization"))
        GradeReward.objects.bulk_create([GradeReward(grade=g, status=RewardStatus.MISSING) for g in saved
                                         if g.valid_from >= REWARD_FROM], batch_size=500)
        PartyBuildingCheck.objects.bulk_create([
            PartyBuildingCheck(organization=g.organization, stage=PartyStage.EVALUATION, checked_on=g.valid_from,
                               party_status=g.organization.party_status, note=f"{g.valid_from.year}年度等级评估")
            for g in saved if g.organization.party_status], batch_size=500)
        applications = _round(rng, today, own, {g.organization_id for g in saved})
        audit_record(actor=ACTOR, action="demo_data.social_org_grades", object_type="OrganizationGrade",
                     object_id="demo", changes={"organizations": len(saved), "rewards": GradeReward.objects.count()})
    return (f"演示社会组织评估等级 {len(saved)} 个（有效 {GRADED} 家，已过期未重新评估 {len(saved) - GRADED} 家），"
            f"{today.year}年度评估申报 {applications} 件；奖励标准未录入（参数缺失）")


def _round(rng: random.Random, today: dt.date, own: Organization | None, graded: set[int]) -> int:
    """This year's open round: a few eligible applications (two scored) and the
    demo account's organization, excluded; one investigation on record."""
    opens = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=60))
    round_ = grades.round_open(actor=ACTOR, year=today.year, opens_on=opens, closes_on=dt.date(today.year, 12, 31),
                               note=f"关于开展{today.year}年度社会组织等级评估工作的通知（演示）", today=today)
    qualified = (AnnualReport.objects.filter(year=today.year - 1, conclusion=Conclusion.QUALIFIED,
                                             organization__status=OrgStatus.NORMAL)
                 .exclude(organization_id__in=graded).select_related("organization").order_by("pk"))
    candidates = [r.organization for r in qualified[:40]
                  if not grades.eligibility(r.organization, year=today.year, on=today)][:5]
    applied = 0
    for i, org in enumerate(candidates):
        application = grades.application_submit(actor=ACTOR, organization=org, round=round_, applied_on=today,
                                                 today=today)
        applied += 1
        if i < 2:
            for expert in ("陈评估（演示）", "周评估（演示）", "陆评估（演示）"):
                grades.score_record(actor=ACTOR, application=application, expert=expert,
                                    score=rng.randrange(600, 950), scored_on=today, today=today)
    if own is not None and own.status == OrgStatus.NORMAL:
        grades.application_submit(actor=ACTOR, organization=own, round=round_, applied_on=today, today=today)
        applied += 1
    other = Organization.objects.filter(status=OrgStatus.NORMAL).exclude(pk__in=graded).exclude(
        pk__in=[c.pk for c in candidates] + ([own.pk] if own else [])).order_by("pk").first()
    if other is not None:
        grades.sanction_record(actor=ACTOR, organization=other, kind=SanctionKind.INVESTIGATION,
                               started_on=max(other.registered_on, today - dt.timedelta(days=40)), ended_on=None,
                               document="松民社立〔演示〕1号", description="涉嫌违规收取会费（演示）", today=today)
    return applied
