"""The demo district's zombie-organization work (ADR 0042), on top of the register
(:mod:`minzheng.demo.social_orgs`). **Demo data, not records.**

* the annual reports of the years between 2022 and last year (filed by nearly every
  organization due: 2022 and last year are the register demo's), so that the detection list
  holds what follows and not every organization;
* **12** organizations that filed nothing since 2022 (missed 2022, 2023, … — the "missing
  2022 and 2023 reports" of the issue), **2** registered in 2023 that never held an activity
  in their first year (one of them filed a report of 0 activities), **1** unreachable (the
  address visit and the call to the legal representative both failed this autumn);
* activity records: each organization registered since 2022 in its first year, and about
  a fifth of the others recently (some outside the charter);
* the seed's "全年完成 11 家'僵尸型'社会组织清理整治" (2023): the two organizations revoked
  in 2023 as closed cases (notice, deadline, 撤销登记) and nine rectified cases (unreachable,
  then reached); and one open case with its notice issued and the deadline still running.
* no long-period parameter: it has no number in REFERENCE, so the page shows 参数缺失 and
  its entry form.

Safe to run again: it does nothing once a demo case exists.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from minzheng.core.audit import audit_record
from minzheng.demo.social_orgs import ACTOR, DEMO, _report
from minzheng.social_orgs.models import (
    ActivitySource,
    AnnualReport,
    CaseStatus,
    ContactAttempt,
    ContactKind,
    OrgActivity,
    Organization,
    OrgStatus,
    ZombieCase,
)
from minzheng.social_orgs.selectors import due_organizations
from minzheng.social_orgs.zombies import Reason, first_anniversary

MISSED, NEVER_ACTIVE, RECTIFIED_2023 = 12, 2, 9
ACTIVITIES = ("开展公益讲座", "组织志愿服务", "举办会员大会", "开展业务培训", "举办社区文化活动", "开展助老服务")


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max((end - start).days, 0) + 1))


def _missed_evidence(years: list[int], on: dt.date) -> dict:
    shown = "、".join(str(y) for y in years)
    return {"reason": Reason.MISSED_REPORTS.value, "label": Reason.MISSED_REPORTS.label,
            "evidence": f"{shown}年度应报送年度报告，截至{on:%Y-%m-%d}均未报送"}


def social_org_zombies_seed(*, today: dt.date, seed: int = 2024) -> str:
    orgs = list(Organization.objects.filter(name__endswith=DEMO).order_by("pk"))
    if not orgs:
        return "没有演示社会组织，未生成僵尸型社会组织演示数据。"
    if ZombieCase.objects.filter(organization__name__endswith=DEMO).exists():
        return "僵尸型社会组织演示数据已存在，未重复生成。"
    rng = random.Random(seed + 42)
    last = today.year - 1
    filed = {(o, y) for o, y in AnnualReport.objects.filter(organization__in=orgs).values_list("organization_id",
                                                                                                "year")}
    normal_old = [o for o in orgs if o.status == OrgStatus.NORMAL and o.registered_on < dt.date(2022, 1, 1)]
    candidates = [o for o in normal_old if (o.pk, 2022) not in filed and (o.pk, last) not in filed
                  and not o.accounts.exists()]
    missed = candidates[:MISSED]
    recent = [o for o in orgs if o.status == OrgStatus.NORMAL and o.registered_on.year in (2022, 2023)]
    never = [o for o in recent if o.registered_on.year == 2023][:NEVER_ACTIVE]
    taken = {o.pk for o in missed + never}
    reachable = [o for o in normal_old if o.pk not in taken]
    unreachable = reachable[0]
    rectified = [o for o in reachable[1:] if (o.pk, 2022) in filed][:RECTIFIED_2023]
    revoked = [o for o in orgs if o.status == OrgStatus.REVOKED]
    missed_ids = {o.pk for o in missed}
    reports: list[AnnualReport] = []
    for year in range(2023, last):
        for org in due_organizations(year).filter(name__endswith=DEMO, status=OrgStatus.NORMAL).order_by("pk"):
            if org.pk in missed_ids or (org.pk, year) in filed:
                continue
            if len(never) > 1 and org == never[-1]:
                continue  # never active and never reporting
            if year < last - 1 and rng.random() < 0.06:
                continue  # one year missed, a later one filed: not a zombie
            report = _report(rng, org, year, _day(rng, dt.date(year + 1, 3, 1), dt.date(year + 1, 5, 31)),
                             reviewed=True)
            if never and org == never[0]:
                report.activities, report.activities_summary = 0, "本年度未开展活动（演示）"
            reports.append(report)
    activities: list[OrgActivity] = []
    for org in recent:
        if org in never:
            continue
        end = min(first_anniversary(org.registered_on) - dt.timedelta(days=1), today)
        for _ in range(rng.randrange(1, 4)):
            activities.append(OrgActivity(organization=org, held_on=_day(rng, org.registered_on, end),
                                          description=rng.choice(ACTIVITIES) + "（演示）", in_charter=True,
                                          evidence="活动通知和签到表", source=ActivitySource.ORGANIZATION,
                                          recorded_by=ACTOR))
    for org in rng.sample([o for o in normal_old if o.pk not in taken and o != unreachable], k=min(160, len(normal_old) // 5)):
        for _ in range(rng.randrange(1, 4)):
            in_charter = rng.random() < 0.85
            activities.append(OrgActivity(
                organization=org, held_on=_day(rng, today - dt.timedelta(days=700), today),
                description=(rng.choice(ACTIVITIES) if in_charter else "组织会员联谊聚餐") + "（演示）",
                in_charter=in_charter, evidence="活动照片和新闻报道",
                source=rng.choice([ActivitySource.ORGANIZATION, ActivitySource.STAFF]), recorded_by=ACTOR))
    attempts = [
        ContactAttempt(organization=unreachable, kind=ContactKind.ADDRESS_VISIT, tried_on=today - dt.timedelta(days=40),
                       reached=False, outcome="登记住所已出租他用，物业称该组织已搬离一年以上（演示）", recorded_by=ACTOR),
        ContactAttempt(organization=unreachable, kind=ContactKind.LEGAL_REP_CALL, tried_on=today - dt.timedelta(days=38),
                       reached=False, outcome="法定代表人登记电话为空号，短信无回复（演示）", recorded_by=ACTOR)]
    cases: list[ZombieCase] = []
    for n, org in enumerate(rectified, start=1):
        opened = dt.date(2023, 3, 1) + dt.timedelta(days=20 * n)
        attempts += [
            ContactAttempt(organization=org, kind=ContactKind.ADDRESS_VISIT, tried_on=opened - dt.timedelta(days=10),
                           reached=False, outcome="登记住所无人办公（演示）", recorded_by=ACTOR),
            ContactAttempt(organization=org, kind=ContactKind.LEGAL_REP_CALL, tried_on=opened - dt.timedelta(days=8),
                           reached=False, outcome="法定代表人电话无人接听（演示）", recorded_by=ACTOR),
            ContactAttempt(organization=org, kind=ContactKind.LEGAL_REP_CALL, tried_on=opened + dt.timedelta(days=25),
                           reached=True, outcome="法定代表人到登记管理机关说明情况（演示）", recorded_by=ACTOR)]
        cases.append(ZombieCase(
            organization=org, opened_on=opened, reasons=[Reason.UNREACHABLE.value],
            evidence=[{"reason": Reason.UNREACHABLE.value, "label": Reason.UNREACHABLE.label,
                       "evidence": f"{opened - dt.timedelta(days=10):%Y-%m-%d}登记住所实地走访未取得联系（登记住所无人办公）；"
                                   f"{opened - dt.timedelta(days=8):%Y-%m-%d}联系法定代表人未取得联系（电话无人接听）"}],
            status=CaseStatus.RECTIFIED, notice_number=f"松民社整〔2023〕{n + len(revoked)}号",
            notice_on=opened + dt.timedelta(days=2), notice_requirements="恢复在登记住所办公，报告联系方式和活动情况",
            deadline=opened + dt.timedelta(days=32), rectified_on=opened + dt.timedelta(days=28),
            rectification="法定代表人到登记管理机关说明情况，办理了住所变更，恢复开展活动（演示）",
            opened_by=ACTOR, closed_by=ACTOR))
    for n, org in enumerate(revoked, start=1):
        on = org.status_on
        cases.append(ZombieCase(
            organization=org, opened_on=on - dt.timedelta(days=75), reasons=[Reason.MISSED_REPORTS.value],
            evidence=[_missed_evidence([on.year - 2, on.year - 1], on - dt.timedelta(days=75))],
            status=CaseStatus.REVOKED, notice_number=f"松民社整〔{on.year}〕{n}号",
            notice_on=on - dt.timedelta(days=70), notice_requirements="补报年度报告，恢复开展章程规定的业务活动",
            deadline=on - dt.timedelta(days=10), revoked_on=on,
            revoke_reason=f"松民社撤〔{on.year}〕{n}号：{org.status_reason}", opened_by=ACTOR, closed_by=ACTOR))
    if missed:
        org = missed[0]
        opened = today - dt.timedelta(days=20)
        cases.append(ZombieCase(
            organization=org, opened_on=opened, reasons=[Reason.MISSED_REPORTS.value],
            evidence=[_missed_evidence(list(range(2022, opened.year)), opened)], status=CaseStatus.NOTIFIED,
            notice_number=f"松民社整〔{today.year}〕1号", notice_on=opened + dt.timedelta(days=2),
            notice_requirements="补报2022年度以来的年度报告，恢复开展章程规定的业务活动",
            deadline=today + dt.timedelta(days=40), opened_by=ACTOR))
    with transaction.atomic():
        AnnualReport.objects.bulk_create(reports, batch_size=1000)
        OrgActivity.objects.bulk_create(activities, batch_size=1000)
        ContactAttempt.objects.bulk_create(attempts)
        ZombieCase.objects.bulk_create(cases)
        audit_record(actor=ACTOR, action="demo_data.social_org_zombies", object_type="ZombieCase", object_id="demo",
                     changes={"reports": len(reports), "activities": len(activities), "cases": len(cases)})
    return (f"僵尸型社会组织演示数据：补充{2023}—{last - 1}年度报告 {len(reports)} 份，活动记录 {len(activities)} 条，"
            f"联系记录 {len(attempts)} 条，清理整治案件 {len(cases)} 件（连续未报 {len(missed)} 家、成立后未活动 "
            f"{len(never)} 家、无法联系 1 家）")
