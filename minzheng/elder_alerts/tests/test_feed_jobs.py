"""数据导入和扫描: the feeds and the scan started from the page as background
jobs (ADR 0017, 0033): the job imports the file (bad rows set aside with their
reason), a retry of the same file changes nothing, the scan job creates each
alert once, and only the bureau may import or scan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minzheng.core.models import AuditEntry
from minzheng.core.tests.web import logged_in
from minzheng.elder_alerts.models import Alert, Call, FeedImport, SensorReading
from minzheng.elder_alerts.tests.conftest import at
from minzheng.jobs.models import Job
from minzheng.jobs.services import jobs_run_queued

pytestmark = pytest.mark.django_db

CALLS = ("时间,终端编号,类型,派单对象,派单时间,到达时间,处置完成时间\n"
         "2026-11-10 08:00,YJT-0001,紧急求助,居委,2026-11-10 08:02,2026-11-10 08:20,2026-11-10 09:00\n"
         "2026-11-10 10:00,YJT-9999,医疗,120,,,\n").encode()


@pytest.fixture
def device(elder, users):
    from minzheng.elder_alerts import services

    return services.call_device_create(actor=users["committee"], person=elder, number="YJT-0001",
                                       installed_on=dt.date(2026, 10, 1))


def _upload(client, kind: str, name: str, content: bytes):
    return client.post(reverse("elder_alerts:feed_upload"),
                       {"kind": kind, "file": SimpleUploadedFile(name, content, content_type="text/csv")})


def test_call_feed_through_the_page_job_and_its_retry(users, device):
    client = logged_in(users["bureau"])
    assert client.get(reverse("elder_alerts:feeds")).status_code == 200
    response = _upload(client, "calls", "calls.csv", CALLS)
    job = Job.objects.get(kind="elder_alerts_calls_import")
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert jobs_run_queued() == 1
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert "新增 1 行" in job.summary and "有问题 1 行" in job.summary
    feed = FeedImport.objects.get()
    assert feed.rejected_rows == 1 and "第3行" in feed.problems[0] and "YJT-9999" in feed.problems[0]
    page = client.get(reverse("elder_alerts:feeds")).content.decode()
    assert "calls.csv" in page and "未登记的终端" in page
    assert Call.objects.count() == 1
    _upload(client, "calls", "calls.csv", CALLS)  # the same file again: nothing new
    jobs_run_queued()
    assert Call.objects.count() == 1 and FeedImport.objects.latest("pk").unchanged_rows == 1


def test_scan_job_creates_each_alert_once(users, gas):
    from minzheng.elder_alerts import services

    services.readings_import(actor="test", data="时间,设备编号,报警\n2026-11-10 08:00,GA-001,是\n".encode(),
                             filename="gas.csv")
    assert SensorReading.objects.filter(alarm=True).count() == 1
    client = logged_in(users["bureau"])
    client.post(reverse("elder_alerts:scan"), {"until": "2026-11-10T09:00"})
    assert jobs_run_queued() == 1
    job = Job.objects.get(kind="elder_alerts_scan")
    assert job.status == "succeeded" and "新增任务 1 条" in job.summary
    assert Alert.objects.filter(triggered_at=at(10, 8)).count() == 1
    client.post(reverse("elder_alerts:scan"), {"until": "2026-11-10T09:00"})  # again: nothing created twice
    jobs_run_queued()
    assert Alert.objects.count() == 1
    assert "此前已有提醒 1 条" in Job.objects.latest("pk").summary
    assert AuditEntry.objects.filter(action="elder_alerts.scan").count() == 2


def test_scan_time_in_the_future_or_absurd_is_refused_and_others_may_not_import(users, gas):
    client = logged_in(users["bureau"])
    future = (dt.datetime.now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    client.post(reverse("elder_alerts:scan"), {"until": future})
    client.post(reverse("elder_alerts:scan"), {"until": "99999-01-01T00:00"})
    assert not Job.objects.exists()
    committee = logged_in(users["committee"])
    assert committee.get(reverse("elder_alerts:feeds")).status_code == 403
    assert _upload(committee, "calls", "calls.csv", CALLS).status_code == 403
    assert committee.post(reverse("elder_alerts:scan"), {"until": "2026-11-10T09:00"}).status_code == 403
