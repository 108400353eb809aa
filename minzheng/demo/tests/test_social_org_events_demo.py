"""The demo's major-event reports and reminders (minzheng.demo.social_org_events): reports
at each step, the demo account's own sent back for more, reminders for some unfiled
reports (the account's among them) and one bulk job for the social groups; once."""

from __future__ import annotations

import datetime as dt

from minzheng.core.models import Role
from minzheng.core.services import user_create
from minzheng.demo.committees import ensure_committees
from minzheng.demo.social_org_events import social_org_events_seed
from minzheng.demo.social_orgs import social_orgs_seed
from minzheng.jobs.models import Job
from minzheng.social_orgs.models import EventStatus, MajorEvent, OrgKind, ReportReminder
from minzheng.social_orgs.selectors import (
    events_to_supplement,
    reminders_open,
    unfiled_organizations,
)


def test_demo_events_and_reminders(users):
    ensure_committees()
    account = user_create(actor="test", username="socorg", password="pass-12345", role=Role.ORGANIZATION,
                          scope_code="310117")
    today = dt.date(2026, 12, 1)
    social_orgs_seed(account=account, today=today)
    message = social_org_events_seed(bureau=users["bureau"], account=account, today=today)
    assert "演示重大事项报告 7 件" in message
    assert {e.status for e in MajorEvent.objects.all()} == set(EventStatus.values)
    assert [e.kind for e in events_to_supplement(account)] == ["foreign_donation"]
    assert reminders_open(account).count() == 1
    unfiled_groups = unfiled_organizations(users["bureau"], 2025).filter(kind=OrgKind.SOCIAL_GROUP).count()
    assert unfiled_groups > 10
    assert ReportReminder.objects.filter(organization__kind=OrgKind.SOCIAL_GROUP).count() == unfiled_groups
    assert 5 <= ReportReminder.objects.filter(organization__kind=OrgKind.SERVICE_INSTITUTION).count() <= 7
    assert Job.objects.filter(kind="social_orgs_remind", status="succeeded").count() == 1
    assert social_org_events_seed(bureau=users["bureau"], account=account, today=today).startswith("演示重大事项报告已存在")
