"""The monitoring run and the policy batch as background jobs (issue 12, ADR 0017):
started from a page they answer at once and run in the worker (here the
worker's loop in this process, ``jobs_run_queued``), report their stages and
counts, and end with a result or a Chinese error; a failed job can be
retried; two starts for the same month never run at once (SQLite, and
truly concurrently on PostgreSQL); starting and retrying are audited."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.utils import timezone

from minzheng.core.models import AuditEntry
from minzheng.core.tests.web import logged_in
from minzheng.jobs.models import Job
from minzheng.jobs.services import (
    JobRefused,
    TerminalProgress,
    job_start,
    jobs_run_queued,
)
from minzheng.monitoring import jobs as monitoring_jobs
from minzheng.monitoring.models import Lead, MonitorRun
from minzheng.monitoring.tests.conftest import MONTH

pytestmark = pytest.mark.django_db


def test_a_run_started_from_the_dashboard_runs_in_the_worker_with_progress_and_result(crafted, users, heard):
    client = logged_in(users["bureau"])
    response = client.post("/monitoring/run/", {"month": MONTH})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert not MonitorRun.objects.exists()  # the page answered before any work was done
    queued = client.get(f"/jobs/{job.pk}/status.json").json()
    assert queued["status_label"] == "排队中" and queued["active"] is True
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "排队中" in page and 'data-status-url="/jobs/' in page and "js/job-progress.js" in page

    assert jobs_run_queued() == 1

    job.refresh_from_db()
    assert job.status == "succeeded" and job.started_by == users["bureau"] and job.task_id
    stages = [stage for stage, _, _ in heard]
    assert stages[0] == "批量测算：读取人口库" and "批量测算：写入测算决定" in stages
    assert {"免申即享自动纳入", "政策找人线索", "风险跟进任务"} <= set(stages)
    assert heard[-1] == ("动态监测完成", 12, 12)
    assert [done for _, done, _ in heard] == sorted(done for _, done, _ in heard)  # counts only go up
    run = MonitorRun.objects.get()
    assert Lead.objects.filter(monitor_run=run).exists()
    assert job.summary.startswith("2025年8月动态监测已完成") and f"政策找人线索 {run.counts['leads']} 条" in job.summary
    state = client.get(f"/jobs/{job.pk}/status.json").json()
    assert state["status_label"] == "已完成" and state["percent"] == 100 and state["active"] is False
    assert state["result_url"] == "/monitoring/" and state["result_label"] == "查看救助工作台"
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert job.summary in page and "data-status-url" not in page and "监测月份：2025年8月" in page
    listing = client.get("/jobs/").content.decode()
    assert "动态监测" in listing and "监测月份：2025年8月" in listing
    assert f'href="/jobs/{job.pk}/"' in listing and "已完成" in listing
    start = AuditEntry.objects.get(action="job.start")
    assert start.actor == "bureau" and start.object_id == str(job.pk)
    assert start.changes == {"kind": "monitoring_run", "params": "监测月份：2025年8月"}


def test_a_failing_job_shows_its_error_in_chinese_and_a_retry_runs_it_again(crafted, users, monkeypatch, caplog):
    original = monitoring_jobs.monitor_run_month

    def broken(**kwargs):
        raise RuntimeError("disk full at /var/lib/x")

    monkeypatch.setattr(monitoring_jobs, "monitor_run_month", broken)
    client = logged_in(users["bureau"])
    client.post("/monitoring/run/", {"month": MONTH})
    with caplog.at_level("ERROR", logger="minzheng.jobs"):
        jobs_run_queued()
    failed = Job.objects.get()
    assert failed.status == "failed" and failed.finished_at is not None
    assert failed.error.startswith("动态监测运行出错，未能完成") and f"作业编号 {failed.pk}" in failed.error
    assert "disk full" not in failed.error and "disk full" in caplog.text  # precise error in the log only
    page = client.get(f"/jobs/{failed.pk}/").content.decode()
    assert failed.error in page and "重试</button>" in page
    assert client.get(f"/jobs/{failed.pk}/status.json").json()["status_label"] == "失败"
    assert "重试</button>" not in logged_in(users["auditor"]).get(f"/jobs/{failed.pk}/").content.decode()

    monkeypatch.setattr(monitoring_jobs, "monitor_run_month", original)
    response = client.post(f"/jobs/{failed.pk}/retry/")
    retry = Job.objects.exclude(pk=failed.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{retry.pk}/"
    assert retry.retry_of == failed and retry.params == failed.params and retry.status == "queued"
    assert jobs_run_queued() == 1
    retry.refresh_from_db()
    assert retry.status == "succeeded" and MonitorRun.objects.count() == 1
    entry = AuditEntry.objects.get(action="job.retry")
    assert entry.object_id == str(retry.pk) and entry.changes["retry_of"] == failed.pk
    # only a failed job can be retried
    assert "只有失败的作业可以重试" in client.post(f"/jobs/{retry.pk}/retry/", follow=True).content.decode()


def test_a_broken_rule_is_the_jobs_error_as_it_is(crafted, users, monkeypatch):
    def refused(**kwargs):
        raise ValidationError("2025年8月的CPI数据尚未录入")

    monkeypatch.setattr(monitoring_jobs, "monitor_run_month", refused)
    job = job_start(actor=users["bureau"], kind="monitoring_run", params={"month": MONTH})
    jobs_run_queued()
    job.refresh_from_db()
    assert job.status == "failed" and job.error == "2025年8月的CPI数据尚未录入"


def test_the_same_months_batch_and_run_never_run_at_once_but_other_months_may(crafted, users):
    first = job_start(actor=users["bureau"], kind="policy_batch", params={"month": MONTH})
    with pytest.raises(JobRefused, match="2025年8月的批量测算和动态监测不能同时运行：全区批量测算（作业"):
        job_start(actor=users["bureau"], kind="monitoring_run", params={"month": MONTH})
    with pytest.raises(CommandError, match="不能同时运行"):  # the command line is refused too
        call_command("policy_batch", "--month", MONTH, stdout=io.StringIO(), stderr=io.StringIO())
    other = job_start(actor=users["bureau"], kind="policy_batch", params={"month": "2025-07"})
    assert Job.objects.filter(status="queued").count() == 2
    assert jobs_run_queued() == 2
    first.refresh_from_db()
    other.refresh_from_db()
    assert first.status == other.status == "succeeded"
    assert job_start(actor=users["bureau"], kind="monitoring_run", params={"month": MONTH}).status == "queued"


def test_a_job_that_stopped_reporting_no_longer_holds_its_month(crafted, users):
    stuck = job_start(actor=users["bureau"], kind="monitoring_run", params={"month": MONTH})
    Job.objects.filter(pk=stuck.pk).update(status="running", heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    fresh = job_start(actor=users["bureau"], kind="monitoring_run", params={"month": MONTH})
    stuck.refresh_from_db()
    assert stuck.status == "failed" and stuck.error.startswith("作业中断：超过30分钟没有进展")
    assert fresh.status == "queued"


def test_starting_needs_the_kinds_permission_and_the_list_is_for_whom_may_see_it(crafted, users):
    assert logged_in(users["street"]).post("/monitoring/run/", {"month": MONTH}).status_code == 403
    with pytest.raises(Exception, match="运行动态监测"):
        job_start(actor=users["street"], kind="monitoring_run", params={"month": MONTH})
    job = job_start(actor=users["bureau"], kind="monitoring_run", params={"month": MONTH})
    assert logged_in(users["street"]).get("/jobs/").status_code == 403
    assert logged_in(users["street"]).get(f"/jobs/{job.pk}/status.json").status_code == 403
    assert f'href="/jobs/{job.pk}/"' in logged_in(users["auditor"]).get("/jobs/").content.decode()
    assert logged_in(users["bureau"]).get("/jobs/999999/").status_code == 404
    with pytest.raises(ValidationError, match="监测月份"):
        job_start(actor=users["bureau"], kind="monitoring_run", params={"month": "2025-13"})


def test_the_command_line_run_shows_progress_lines_when_not_on_a_terminal(crafted):
    out, err = io.StringIO(), io.StringIO()
    call_command("monitor_run", "--month", MONTH, "--today", "2025-08-20", stdout=out, stderr=err)
    lines = err.getvalue().splitlines()
    assert any(line.endswith("批量测算：读取人口库 0/12") for line in lines)
    assert lines[-1].endswith("动态监测完成 12/12")
    job = Job.objects.get()
    assert job.via == "command" and job.status == "succeeded" and job.started_by is None
    assert f'"job": {job.pk}' in out.getvalue()


def test_on_a_terminal_the_command_line_draws_a_progress_bar():
    screen = io.StringIO()
    with TerminalProgress(screen, interactive=True) as bar:
        bar("政策计算", 1, 5)
        bar.log("读取人口库：3 户")
        bar("批量测算完成", 5, 5)
    drawn = screen.getvalue()
    assert "批量测算完成" in drawn and "5/5" in drawn and "读取人口库：3 户" in drawn


@pytest.mark.skipif(connection.vendor != "postgresql", reason="truly concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_starts_of_the_same_month_on_postgresql_one_is_refused(users):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def start() -> None:
        try:
            barrier.wait()
            job_start(actor=users["bureau"], kind="monitoring_run", params={"month": MONTH})
            outcomes.append("started")
        except JobRefused as err:
            outcomes.append(err.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 2 and outcomes.count("started") == 1
    assert any("2025年8月的批量测算和动态监测不能同时运行" in outcome for outcome in outcomes)
    assert Job.objects.filter(lock_key=f"month:{MONTH}", status="queued").count() == 1
