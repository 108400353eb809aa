"""催报 (ADR 0044): who may be reminded (due, in business, not filed), one reminder per
organization, year and day, the bulk job (idempotent, by kind), what the organization
sees (home page, its page) and the roles and scope on the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from minzheng.core.errors import StateConflict
from minzheng.core.permissions import NotPermitted
from minzheng.core.scope import OutOfScope
from minzheng.jobs.models import Job
from minzheng.jobs.services import job_run_now, jobs_run_queued
from minzheng.social_orgs import annual_reports, reminders, services
from minzheng.social_orgs.models import ReportReminder
from minzheng.social_orgs.tests.conftest import TODAY, org_values, valid_uscc
from minzheng.social_orgs.tests.test_annual_reports import FIGURES

pytestmark = pytest.mark.django_db


def _send(actor, org, year=2023, channel="in_app", today=TODAY, **extra):
    return reminders.reminder_send(actor=actor, organization=org, year=year, channel=channel, today=today, **extra)


def test_who_is_unfiled(users, orgs, org_users):
    late = services.organization_register(actor=users["bureau"], today=TODAY, **org_values(
        name="松江区新设服务社", uscc=valid_uscc("52310117MJ0000091"), registered_on=dt.date(2023, 1, 1)))
    assert set(reminders.unfiled(users["bureau"], 2023)) == {orgs["a"], orgs["b"]}
    assert late not in reminders.unfiled(users["bureau"], 2023)  # registered during 2023: first reports for 2024
    annual_reports.report_file(actor=org_users["a"], organization=orgs["a"], year=2023, today=TODAY, **FIGURES)
    assert list(reminders.unfiled(users["bureau"], 2023)) == [orgs["b"]]
    assert list(reminders.unfiled(org_users["a"], 2022)) == [orgs["a"]]  # an organization sees itself only
    assert reminders.report_year(dt.date(2024, 1, 1)) == 2023


def test_one_reminder_a_day_and_the_rules(users, orgs, org_users):
    reminder = _send(users["bureau"], orgs["b"], note="请于5月31日前报送")
    assert (reminder.sent_by, reminder.channel, reminder.sent_on) == ("bureau", "in_app", TODAY)
    with pytest.raises(StateConflict, match="同一天不重复催报"):
        _send(users["bureau"], orgs["b"], channel="sms")
    assert _send(users["bureau"], orgs["b"], channel="sms", today=TODAY + dt.timedelta(days=1))
    assert _send(users["bureau"], orgs["b"], year=2022)  # another year, the same day
    annual_reports.report_file(actor=org_users["a"], organization=orgs["a"], year=2023, today=TODAY, **FIGURES)
    with pytest.raises(StateConflict, match="已提交2023年度报告"):
        _send(users["bureau"], orgs["a"])
    with pytest.raises(ValidationError, match="不需报送"):
        _send(users["bureau"], orgs["a"], year=2018)  # registered in 2019
    with pytest.raises(ValidationError, match="本年度结束后"):
        _send(users["bureau"], orgs["a"], year=2024)
    with pytest.raises(ValidationError, match="催报方式"):
        _send(users["bureau"], orgs["a"], year=2022, channel="email")
    with pytest.raises(NotPermitted):
        _send(org_users["a"], orgs["a"], year=2022)
    with pytest.raises(NotPermitted):
        _send(users["street"], orgs["a"], year=2022)
    services.organization_status_set(actor=users["bureau"], organization=orgs["a"], status="revoked",
                                     on=TODAY, reason="撤销", today=TODAY)
    with pytest.raises(ValidationError, match="不需催报"):
        _send(users["bureau"], orgs["a"], year=2022)


def test_bulk_reminders_skip_todays_and_filter_by_kind(users, orgs, org_users):
    _send(users["bureau"], orgs["a"])
    assert reminders.reminders_send_all(actor=users["bureau"], year=2023, channel="sms", today=TODAY) == 1
    assert ReportReminder.objects.filter(organization=orgs["b"], channel="sms").count() == 1
    assert reminders.reminders_send_all(actor=users["bureau"], year=2023, channel="sms", today=TODAY) == 0
    tomorrow = TODAY + dt.timedelta(days=1)
    assert reminders.reminders_send_all(actor=users["bureau"], year=2023, channel="in_app", today=tomorrow,
                                        kind="social_group") == 1
    assert not ReportReminder.objects.filter(organization=orgs["a"], sent_on=tomorrow).exists()
    with pytest.raises(NotPermitted):
        reminders.reminders_send_all(actor=users["auditor"], year=2023, channel="sms", today=TODAY)
    with pytest.raises(ValidationError, match="类型无效"):
        reminders.reminders_send_all(actor=users["bureau"], year=2023, channel="sms", today=TODAY, kind="club")


def test_the_bulk_job(users, orgs):
    year = timezone.localdate().year - 1
    _job, outcome = job_run_now(actor=users["bureau"], kind="social_orgs_remind",
                                params={"year": str(year), "channel": "in_app"})
    assert outcome.value == 2 and ReportReminder.objects.filter(year=year).count() == 2
    _job, outcome = job_run_now(actor=users["bureau"], kind="social_orgs_remind",
                                params={"year": str(year), "channel": "sms"})
    assert outcome.value == 0  # a second run the same day reminds nobody twice
    with pytest.raises(ValidationError, match="四位数字"):
        job_run_now(actor=users["bureau"], kind="social_orgs_remind", params={"year": "２０２３", "channel": "sms"})


def test_pages_and_what_the_organization_sees(client, users, orgs, org_users):
    year = timezone.localdate().year - 1
    client.force_login(users["bureau"])
    page = client.get(reverse("social_orgs:unfiled_list"), {"year": year}).content.decode()
    assert "松江区为老服务社" in page and "松江区书画协会" in page and "未催报" in page
    assert client.get(reverse("social_orgs:unfiled_list"), {"year": "abc"}).status_code == 200
    assert client.get(reverse("social_orgs:unfiled_list"), {"year": "9999"}).status_code == 200
    response = client.post(f"{reverse('social_orgs:remind', args=[orgs['a'].pk])}?year={year}",
                           {"channel": "in_app", "note": "请尽快报送"})
    assert response.status_code == 302 and ReportReminder.objects.filter(organization=orgs["a"]).count() == 1
    client.post(f"{reverse('social_orgs:remind', args=[orgs['a'].pk])}?year={year}", {"channel": "sms"})
    assert ReportReminder.objects.filter(organization=orgs["a"]).count() == 1  # refused: the same day
    response = client.post(f"{reverse('social_orgs:remind_all')}?year={year}", {"channel": "sms", "kind": ""})
    job = Job.objects.get(kind="social_orgs_remind")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    jobs_run_queued()
    assert ReportReminder.objects.filter(organization=orgs["b"]).count() == 1
    client.force_login(org_users["a"])
    home = client.get("/").content.decode()
    assert "年度报告催报" in home and f"{year}年度报告尚未提交" in home and "请尽快报送" in home
    own = client.get(reverse("social_orgs:detail", args=[orgs["a"].pk])).content.decode()
    assert "催报记录" in own and "站内提醒" in own and 'id="remind-form"' not in own
    assert client.get(reverse("social_orgs:unfiled_list")).status_code == 403
    assert client.post(f"{reverse('social_orgs:remind', args=[orgs['a'].pk])}?year={year}",
                       {"channel": "sms"}).status_code == 403
    client.force_login(org_users["b"])
    assert "请尽快报送" not in client.get("/").content.decode()
    client.force_login(users["street"])
    assert client.get(reverse("social_orgs:unfiled_list")).status_code == 403


def test_a_filed_report_leaves_the_inbox(client, users, orgs, org_users):
    year = timezone.localdate().year - 1
    _send(users["bureau"], orgs["a"], year=year, today=timezone.localdate())
    client.force_login(org_users["a"])
    assert f"{year}年度报告尚未提交" in client.get("/").content.decode()
    annual_reports.report_file(actor=org_users["a"], organization=orgs["a"], year=year,
                               today=timezone.localdate(), **FIGURES)
    assert f"{year}年度报告尚未提交" not in client.get("/").content.decode()


def test_out_of_scope_reminder_is_404_for_staff_of_another_kind(users, orgs):
    with pytest.raises(OutOfScope):
        reminders.reminder_send(actor=users["bureau"], organization=type(orgs["a"])(pk=999_999, name="无"),
                                year=2023, channel="sms", today=TODAY)
