"""Stored uploads of failed jobs are kept for retries, but only
``MINZHENG_JOB_UPLOAD_RETENTION_DAYS`` after the failure (ADR 0017,
"Stored uploads: retention"): ``minzheng jobs purge-uploads`` deletes the
files then, audited one by one; a job still queued or running keeps its
file; a retry of a job whose file is gone is refused in Chinese."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from minzheng.core.models import AuditEntry
from minzheng.core.tests.web import logged_in
from minzheng.jobs.models import Job, JobStatus, JobUpload
from minzheng.jobs.services import job_retry, upload_store, uploads_due, uploads_purge

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def _upload(user, days_old: int) -> JobUpload:
    upload = upload_store(actor=user, name="名单.csv", content="身份证号码\n".encode())
    JobUpload.objects.filter(pk=upload.pk).update(uploaded_at=NOW - dt.timedelta(days=days_old))
    upload.refresh_from_db()
    return upload


def _job(user, upload: JobUpload, status: str, ended_days_ago: int | None) -> Job:
    ended = None if ended_days_ago is None else NOW - dt.timedelta(days=ended_days_ago)
    return Job.objects.create(kind="registry_import", params={"upload": upload.pk, "skip_bad": False}, status=status,
                              started_by=user, started_by_name=user.username, created_at=NOW - dt.timedelta(days=60),
                              finished_at=ended, error="发现 1 个问题" if status == JobStatus.FAILED else "")


@pytest.fixture
def uploads(users):
    bureau = users["bureau"]
    old_failure = _upload(bureau, 50)
    _job(bureau, old_failure, JobStatus.FAILED, 40)
    retried_lately = _upload(bureau, 50)  # failed long ago, failed again 10 days ago: kept
    _job(bureau, retried_lately, JobStatus.FAILED, 45)
    _job(bureau, retried_lately, JobStatus.FAILED, 10)
    queued = _upload(bureau, 50)  # an old upload whose retry waits for the worker
    _job(bureau, queued, JobStatus.FAILED, 45)
    _job(bureau, queued, JobStatus.QUEUED, None)
    orphan = _upload(bureau, 31)  # stored, but its job was never queued
    fresh_orphan = _upload(bureau, 29)
    return {"old_failure": old_failure, "retried_lately": retried_lately, "queued": queued, "orphan": orphan,
            "fresh_orphan": fresh_orphan}


def test_only_uploads_past_their_retention_are_due(uploads):
    due = {item.upload_id: item for item in uploads_due(now=NOW)}
    assert set(due) == {uploads["old_failure"].pk, uploads["orphan"].pk}
    assert due[uploads["orphan"].pk].jobs == () and due[uploads["orphan"].pk].last_ended_at is None
    assert due[uploads["old_failure"].pk].last_ended_at == NOW - dt.timedelta(days=40)


def test_a_dry_run_changes_nothing(uploads):
    before = AuditEntry.objects.count()
    assert len(uploads_purge(now=NOW, dry_run=True)) == 2
    assert JobUpload.objects.filter(discarded_at__isnull=False).count() == 0
    assert all(default_storage.exists(u.file.name) for u in uploads.values())
    assert AuditEntry.objects.count() == before


def test_the_purge_deletes_the_files_keeps_the_rows_and_audits_each(uploads):
    old, orphan = uploads["old_failure"], uploads["orphan"]
    paths = {old.pk: old.file.name, orphan.pk: orphan.file.name}
    purged = uploads_purge(now=NOW)
    assert sorted(item.upload_id for item in purged) == sorted(paths)
    for pk, path in paths.items():
        row = JobUpload.objects.get(pk=pk)
        assert row.discarded_at == NOW and not row.file and row.original_name == "名单.csv"
        assert not default_storage.exists(path)
        entry = AuditEntry.objects.get(action="job.upload_purge", object_id=str(pk))
        assert entry.actor == "jobs-purge" and entry.changes["retention_days"] == 30
        assert "名单" not in str(entry.changes)  # numbers only
    kept = [uploads[name] for name in ("retried_lately", "queued", "fresh_orphan")]
    assert all(default_storage.exists(u.file.name) for u in kept)
    assert uploads_purge(now=NOW) == []  # a second run finds nothing


def test_the_retention_is_the_setting(uploads, settings):
    settings.MINZHENG_JOB_UPLOAD_RETENTION_DAYS = 5
    due = {item.upload_id for item in uploads_due(now=NOW)}
    assert due == {uploads[name].pk for name in ("old_failure", "retried_lately", "orphan", "fresh_orphan")}


def test_a_retry_after_the_purge_is_refused_and_asks_for_the_file(users, uploads):
    job = Job.objects.get(params__upload=uploads["old_failure"].pk)
    uploads_purge(now=NOW)
    with pytest.raises(ValidationError, match="不能重试，请重新上传文件"):
        job_retry(actor=users["bureau"], job=job)
    page = logged_in(users["bureau"]).post(f"/jobs/{job.pk}/retry/", follow=True).content.decode()
    assert "失败作业的文件保留30天" in page and Job.objects.filter(retry_of=job).count() == 0
    kept = Job.objects.filter(params__upload=uploads["retried_lately"].pk).order_by("id").last()
    assert job_retry(actor=users["bureau"], job=kept).status == JobStatus.QUEUED


def test_the_command_lists_numbers_only_and_a_dry_run_says_it_changed_nothing(uploads):
    out = io.StringIO()
    call_command("jobs_purge_uploads", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"将删除上传文件 {uploads['orphan'].pk}（" in text and "未能排队" in text
    assert "将删除 2 个上传文件" in text and "未作任何改动" in text and "名单" not in text
    assert JobUpload.objects.filter(discarded_at__isnull=False).count() == 0
    out = io.StringIO()
    call_command("jobs_purge_uploads", stdout=out)
    assert "已删除 2 个上传文件" in out.getvalue()
    assert AuditEntry.objects.filter(action="job.upload_purge").count() == 2
