"""The department-data import as a background job (issue 12, ADR 0017): the
upload page stores the file and answers at once with the job's page; the
worker (``jobs_run_queued``) imports it with progress; the result links to
the file's report with the quarantined rows; a file with a bad header fails
in Chinese and can be retried; the same file again changes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minzheng.core.models import AuditEntry
from minzheng.core.tests.web import logged_in
from minzheng.feeds.models import FeedFile, FeedRecord, QuarantinedRow
from minzheng.feeds.tests.files import csv_file
from minzheng.jobs.models import Job, JobUpload
from minzheng.jobs.services import jobs_run_queued

pytestmark = pytest.mark.django_db


def _pension(id_number: str) -> bytes:
    return csv_file("hrss_pension", [
        {"id_number": id_number, "name": "王建华", "month": "2024-01", "scheme": "城镇职工基本养老保险", "amount": "3800.50"},
        {"id_number": id_number, "name": "王建华", "month": "2024-13", "scheme": "城镇职工基本养老保险", "amount": "3800.50"},
    ])


def _post(client, content: bytes, name: str = "养老金.csv", source: str = "hrss_pension"):
    return client.post("/feeds/upload/", {"source": source, "file": SimpleUploadedFile(name, content)})


def test_an_upload_is_imported_by_a_job_with_progress_and_links_to_its_report(users, resident, heard):
    _, id_number = resident
    client = logged_in(users["bureau"])
    response = _post(client, _pension(id_number))
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/" and not FeedFile.objects.exists()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "部门数据导入" in page and "数据来源：" in page and "文件：养老金.csv" in page and "hrss" not in page
    assert AuditEntry.objects.filter(action="job.start", object_id=str(job.pk)).exists()

    assert jobs_run_queued() == 1

    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert heard == [("校验并暂存", 2, None), ("写入记录", None, None), ("生成事件", None, None)]
    feed_file = FeedFile.objects.get()
    assert job.result_url == f"/feeds/files/{feed_file.pk}/" and job.result_label == "查看文件和错误行"
    assert "有效 1 行" in job.summary and "错误 1 行已隔离" in job.summary
    assert FeedRecord.objects.count() == 1 and QuarantinedRow.objects.get().row_number == 3
    assert JobUpload.objects.get().discarded_at is not None
    report = client.get(job.result_url).content.decode()
    assert 'id="quarantine"' in report and QuarantinedRow.objects.get().reason in report


def test_a_file_with_a_bad_header_fails_in_chinese_and_can_be_retried(users):
    client = logged_in(users["bureau"])
    _post(client, "姓名,金额\n王建华,1\n".encode())
    jobs_run_queued()
    job = Job.objects.get()
    assert job.status == "failed" and job.error.startswith("缺少必填列：")
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert job.error in page and "重试" in page
    client.post(f"/jobs/{job.pk}/retry/")
    jobs_run_queued()
    retry = Job.objects.get(retry_of=job)
    assert retry.status == "failed" and retry.error == job.error and not FeedFile.objects.exists()


def test_the_same_file_twice_and_a_retry_change_nothing(users, resident):
    _, id_number = resident
    client = logged_in(users["bureau"])
    content = _pension(id_number)
    _post(client, content)
    jobs_run_queued()
    _post(client, content, name="养老金（重发）.csv")
    jobs_run_queued()
    first, second = Job.objects.order_by("id")
    assert first.status == second.status == "succeeded"
    assert "本次未作任何改动" in second.summary
    assert FeedFile.objects.count() == 1 and FeedRecord.objects.count() == 1 and QuarantinedRow.objects.count() == 1


def test_the_import_is_refused_to_a_street_clerk_when_queued(users):
    assert logged_in(users["street"]).post("/feeds/upload/", {"source": "cremation"}).status_code == 403
    assert not Job.objects.exists()


def test_the_command_shows_plain_progress_lines_when_not_on_a_terminal(users, resident, tmp_path):
    import io
    import re

    from django.core.management import call_command

    _, id_number = resident
    path = tmp_path / "养老金.csv"
    path.write_bytes(_pension(id_number))
    out, err = io.StringIO(), io.StringIO()
    call_command("feeds_import", "--source", "hrss_pension", str(path), "--as", "bureau", stdout=out, stderr=err)
    stages = [re.sub(r"^\d\d:\d\d:\d\d ", "", line) for line in err.getvalue().splitlines() if line[:2].isdigit()]
    assert stages == ["校验并暂存", "写入记录", "生成事件"]
    assert "有效 1 行" in out.getvalue()
