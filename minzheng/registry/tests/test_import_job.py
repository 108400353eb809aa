"""The registry import as a background job (issue 12, ADR 0017): the page
stores the upload and answers at once with the job's page; the worker
(``jobs_run_queued``) validates and imports with progress; the result links
to the import's record with its problems; all-or-nothing stays the default
(a file with bad rows imports nothing and the job fails in Chinese, with a
retry); the same file imported twice registers nobody twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minzheng.core.models import AuditEntry
from minzheng.core.tests.web import logged_in
from minzheng.jobs.models import Job, JobUpload
from minzheng.jobs.services import jobs_run_queued
from minzheng.registry.models import Household, ImportRun, Person
from minzheng.registry.tests.test_importing import _csv, _family, _row

pytestmark = pytest.mark.django_db


def _post(client, content: bytes, name: str = "人员名单.csv", **extra):
    return client.post("/registry/import/", {"file": SimpleUploadedFile(name, content), **extra})


def test_an_upload_is_stored_and_imported_by_a_job_with_progress(users, heard):
    client = logged_in(users["bureau"])
    response = _post(client, _csv(_family("H1") + _family("H2")))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert not Person.objects.exists()  # the page answered before any work was done
    upload = JobUpload.objects.get()
    assert upload.file.name.startswith("job_uploads/") and "人员" not in upload.file.name
    assert "陈国强".encode() not in upload.file.open("rb").read()  # sealed at rest
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "人员和家庭批量导入" in page and "文件：人员名单.csv；导入方式：有错误行则全部不导入" in page
    assert AuditEntry.objects.filter(action="job.start", object_id=str(job.pk)).exists()

    assert jobs_run_queued() == 1

    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.summary == "已导入 6 人、2 户（文件共 6 行）"
    stages = [s for s, _, _ in heard]
    assert stages[0] == "读取文件" and ("逐行校验", 6, 6) in heard and ("写入人口库", 2, 2) in heard
    run = ImportRun.objects.get()
    assert job.result_url == f"/registry/import/runs/{run.pk}/"
    assert Person.objects.count() == 6 and Household.objects.count() == 2
    upload.refresh_from_db()
    assert upload.discarded_at is not None  # the rows are in the registry; the file is gone
    result = client.get(job.result_url).content.decode()
    assert "已导入 6 人" in result


def test_bad_rows_in_all_or_nothing_mode_fail_the_job_in_chinese_with_the_problem_list(users):
    client = logged_in(users["bureau"])
    bad = _row("H9", "本人", "张某", dt.date(1970, 1, 1)) | {"身份证号码": "123"}
    _post(client, _csv(_family("H1") + [bad]))
    jobs_run_queued()
    job = Job.objects.get()
    assert job.status == "failed"
    assert job.error.startswith("发现 ") and "本次未导入任何数据" in job.error
    assert not Person.objects.exists()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert job.error in page and "查看问题清单" in page and "重试" in page
    listing = client.get(job.result_url).content.decode()
    assert "第 5 行" in listing and "身份证号码" in listing and "本次未导入任何数据" in listing
    csv_text = client.get(f"{job.result_url}problems.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == "行号,列,问题" and "5,身份证号码," in csv_text
    # the upload stays for a retry; a retry fails the same way and writes nothing
    retry = client.post(f"/jobs/{job.pk}/retry/")
    again = Job.objects.exclude(pk=job.pk).get()
    assert retry["Location"] == f"/jobs/{again.pk}/" and again.retry_of == job
    jobs_run_queued()
    again.refresh_from_db()
    assert again.status == "failed" and not Person.objects.exists()


def test_a_file_with_a_bad_header_fails_with_its_chinese_error(users):
    client = logged_in(users["bureau"])
    _post(client, "姓名,电话\n张三,1\n".encode())
    jobs_run_queued()
    job = Job.objects.get()
    assert job.status == "failed" and job.error.startswith("缺少必填列：")
    assert job.error in client.get(f"/jobs/{job.pk}/").content.decode()


def test_skip_bad_imports_the_good_households_and_lists_the_rest(users):
    client = logged_in(users["bureau"])
    bad = _row("H9", "本人", "张某", dt.date(1970, 1, 1)) | {"身份证号码": "123"}
    _post(client, _csv(_family("H1") + [bad]), skip_bad="1")
    jobs_run_queued()
    job = Job.objects.get()
    assert job.status == "succeeded" and job.summary == "已导入 3 人、1 户（文件共 4 行；1 行因错误未导入）"
    assert "跳过错误行" in client.get(f"/jobs/{job.pk}/").content.decode()
    assert "第 5 行" in client.get(job.result_url).content.decode()


def test_the_same_file_imported_twice_registers_nobody_twice(users):
    client = logged_in(users["bureau"])
    content = _csv(_family("H1"))
    _post(client, content)
    jobs_run_queued()
    _post(client, content, skip_bad="1")
    jobs_run_queued()
    first, second = Job.objects.order_by("id")
    assert first.status == "succeeded" and second.status == "succeeded"
    assert second.summary == "已导入 0 人、0 户（文件共 3 行；3 行因错误未导入）"
    assert Person.objects.count() == 3 and Household.objects.count() == 1


def test_a_street_clerk_follows_the_import_they_started(users):
    client = logged_in(users["street"])
    _post(client, _csv(_family("H1")))
    job = Job.objects.get()
    assert client.get(f"/jobs/{job.pk}/").status_code == 200
    assert client.get(f"/jobs/{job.pk}/status.json").status_code == 200
    jobs_run_queued()
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    other = logged_in(users["other_street"])
    assert other.get(f"/jobs/{job.pk}/").status_code == 403
    assert other.get(job.result_url).status_code == 404


def test_an_upload_over_the_size_cap_or_of_another_type_queues_nothing(users, settings):
    client = logged_in(users["bureau"])
    page = _post(client, b"x", name="名单.pdf").content.decode()
    assert "只支持 .csv 或 .xlsx 文件" in page and not Job.objects.exists() and not JobUpload.objects.exists()


def test_the_import_needs_its_permission_when_queued_and_when_run(users):
    assert logged_in(users["auditor"]).post("/registry/import/", {}).status_code == 403
    client = logged_in(users["street"])
    _post(client, _csv(_family("H1")))
    job = Job.objects.get()
    users["street"].role = "auditor"
    users["street"].save()
    jobs_run_queued()
    job.refresh_from_db()
    assert job.status == "failed" and not Person.objects.exists()


def test_the_command_shows_plain_progress_lines_when_not_on_a_terminal(users, tmp_path):
    import io
    import re

    from django.core.management import call_command

    path = tmp_path / "名单.csv"
    path.write_bytes(_csv(_family("H1")))
    out, err = io.StringIO(), io.StringIO()
    call_command("registry_import", str(path), "--as", "bureau", stdout=out, stderr=err)
    lines = err.getvalue().splitlines()
    assert re.fullmatch(r"\d\d:\d\d:\d\d 逐行校验 3/3", lines[2]) and lines[-1].endswith("写入人口库 1/1")
    assert "已导入 3 人、1 户" in out.getvalue() and "\x1b[" not in err.getvalue()
