"""The demo's major-event reports and annual-report reminders (ADR 0044).

**Demo data**: the events are invented and carry （演示） in their titles. Written
through the services (audited, validated), a few of each: reports at every step —
waiting for review, 已知悉, 需补充 (one of the demo account's own, so its home page
shows it), 不予认可 —; individual reminders (站内 and 短信登记) for a handful of the
organizations that have not filed last year's report, the demo account's among
them; and the bulk reminder job once, for the social groups only (a job of the kind
for the job pages). Runs after :func:`minzheng.demo.social_orgs.social_orgs_seed`;
does nothing when demo events exist.
"""

from __future__ import annotations

import datetime as dt
import random

from minzheng.core.models import User
from minzheng.jobs.services import job_run_now
from minzheng.social_orgs import services
from minzheng.social_orgs.models import (
    EventStatus,
    MajorEvent,
    Organization,
    OrgKind,
    OrgStatus,
    ReminderChannel,
)
from minzheng.social_orgs.selectors import own_organization, unfiled_organizations

ACTOR = "demo-setup"
DEMO = "（演示）"
# (kind, title, days from today to the event, amount in fen or None, attachments, what the section did)
EVENTS = (
    ("major_activity", "社区为老服务论坛", 20, None, ["活动方案", "安全预案"], ""),
    ("election", "第三届理事会换届", -30, None, ["换届选举方案", "候选人名单"], "acknowledged"),
    ("foreign_donation", "接受境外基金会资助康复项目", -10, 300_000_00, ["资助协议"], "supplement"),
    ("leader_change", "秘书长变更", -45, None, ["理事会决议"], "acknowledged"),
    ("large_funds", "购置服务用房", -5, 1_200_000_00, ["购房合同", "理事会决议"], ""),
    ("foreign_cooperation", "与境外机构联合举办交流活动", 40, None, [], "not_accepted"),
    ("emergency", "活动中发生参与者受伤", -3, None, ["情况说明"], ""),
)
REASONS = {"supplement": "请补充资助方的基本情况和资金用途说明（演示）",
           "not_accepted": "未按规定事先报业务主管单位审查同意（演示）"}


def social_org_events_seed(*, bureau: User, account: User | None, today: dt.date, seed: int = 2024) -> str:
    """A few major-event reports and reminders (once)."""
    if MajorEvent.objects.filter(title__endswith=DEMO).exists():
        return "演示重大事项报告已存在，未重复生成。"
    rng = random.Random(seed)
    own = own_organization(account) if account is not None else None
    in_business = [o for o in _orgs() if o != own]
    rng.shuffle(in_business)
    events = 0
    for i, (kind, title, days, amount, names, outcome) in enumerate(EVENTS):
        org = own if (own is not None and i == 2) else in_business[i]
        reporter: User | str = account if org == own and account is not None else ACTOR
        event_on = max(today + dt.timedelta(days=days), org.registered_on)
        event = services.event_report(actor=reporter, organization=org, kind=kind, title=f"{title}{DEMO}",
                                          event_on=event_on, description=f"{title}：时间、地点、参与方和安排（演示）",
                                          amount_fen=amount, attachments=names, today=today)
        if outcome:
            services.event_review(actor=bureau, event=event, outcome=outcome, reasons=REASONS.get(outcome, ""),
                                      on=today, today=today)
        events += 1
    year = today.year - 1  # the report year in hand
    unfiled = list(unfiled_organizations(bureau, year).filter(kind=OrgKind.SERVICE_INSTITUTION)[:6])
    if own is not None and own not in unfiled and unfiled_organizations(bureau, year).filter(pk=own.pk).exists():
        unfiled.insert(0, own)
    sent = 0
    for i, org in enumerate(unfiled):
        channel = ReminderChannel.SMS if i % 3 == 2 else ReminderChannel.IN_APP
        services.reminder_send(actor=bureau, organization=org, year=year, channel=channel, today=today,
                                note="请于本月底前报送（演示）")
        sent += 1
    _job, outcome = job_run_now(actor=bureau, kind="social_orgs_remind",
                                params={"year": str(year), "channel": ReminderChannel.IN_APP,
                                        "kind": OrgKind.SOCIAL_GROUP})
    waiting = MajorEvent.objects.filter(title__endswith=DEMO, status=EventStatus.REPORTED).count()
    return (f"演示重大事项报告 {events} 件（待审查 {waiting} 件）；{year}年度报告催报 {sent} 家，"
            f"社会团体批量催报：{outcome.summary}")


def _orgs() -> list[Organization]:
    return list(Organization.objects.filter(status=OrgStatus.NORMAL, name__endswith=DEMO,
                                            registered_on__lt=dt.date(2020, 1, 1)).order_by("pk")[:200])
