"""Payment batch preparation and file export as background jobs (issue 12,
ADR 0017): started from the pages they answer at once with the job's page;
the worker (``jobs_run_queued``) runs them as the staff member who started
them (so the preparer is that person and the four-eyes rules hold); the
export's result offers the download; a failure shows its Chinese error and
a retry is safe (nothing is paid or exported twice)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from minzheng.core.models import AuditEntry
from minzheng.core.tests.web import logged_in
from minzheng.jobs.models import Job
from minzheng.jobs.services import jobs_run_queued
from minzheng.payments.batches import batch_review, batch_run
from minzheng.payments.models import BankFile, BatchStatus, PaymentBatch, PaymentLine
from minzheng.payments.tests.conftest import approve

pytestmark = pytest.mark.django_db


def test_a_batch_started_from_the_page_is_prepared_by_a_job_as_its_starter(staff, town, heard):
    client = logged_in(staff["bureau"])
    response = client.post("/payments/", {"program": "dibao", "month": "2025-08"})
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/" and not PaymentBatch.objects.exists()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "生成发放批次" in page and "救助项目：最低生活保障；发放月份：2025年8月" in page and "dibao" not in page
    assert AuditEntry.objects.filter(action="job.start", object_id=str(job.pk)).exists()

    assert jobs_run_queued() == 1

    job.refresh_from_db()
    batch = PaymentBatch.objects.get()
    assert job.status == "succeeded", job.error
    assert heard == [("核对应发对象", None, None), ("写入发放明细", 0, 2), ("写入发放明细", 2, 2)]
    assert job.summary.startswith(f"最低生活保障2025年8月批次 {batch.number} 已生成（草稿）：本次新增 2 笔")
    assert job.result_url == f"/payments/batches/{batch.pk}/" and job.result_label == "查看批次"
    assert batch.prepared_by == "bureau"
    with pytest.raises(ValidationError, match="制单人不能复核"):  # four eyes: the starter is the preparer
        batch_review(actor=staff["bureau"], batch=batch)
    assert AuditEntry.objects.get(action="payments.batch.run").actor == "bureau"


def test_a_second_run_and_a_retry_add_nothing(staff, town):
    client = logged_in(staff["bureau"])
    client.post("/payments/", {"program": "dibao", "month": "2025-08"})
    jobs_run_queued()
    client.post("/payments/", {"program": "dibao", "month": "2025-08"})
    jobs_run_queued()
    second = Job.objects.order_by("id").last()
    assert second.status == "succeeded" and "已存在，未改动" in second.summary and "本次新增 0 笔" in second.summary
    assert PaymentBatch.objects.count() == 1 and PaymentLine.objects.count() == 2


def test_a_failed_batch_job_shows_its_chinese_error_and_its_retry_prepares_it_once(staff, town):
    client = logged_in(staff["bureau"])
    client.post("/payments/", {"program": "dibao", "month": "2025-08"})
    staff["bureau"].role = "auditor"  # the permission is checked again when the job runs
    staff["bureau"].save()
    jobs_run_queued()
    job = Job.objects.get()
    assert job.status == "failed" and job.error and "payments" not in job.error
    assert not PaymentBatch.objects.exists()
    staff["bureau"].role = "bureau"
    staff["bureau"].save()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert job.error in page and "重试" in page
    client.post(f"/jobs/{job.pk}/retry/")
    jobs_run_queued()
    retry = Job.objects.get(retry_of=job)
    assert retry.status == "succeeded" and PaymentBatch.objects.count() == 1 and PaymentLine.objects.count() == 2


def test_a_month_out_of_bounds_is_refused_at_once_without_a_job(staff, town):
    response = logged_in(staff["bureau"]).post("/payments/", {"program": "dibao", "month": "2019-03"}, follow=True)
    assert "早于该救助项目的政策参数" in response.content.decode() and not Job.objects.exists()


def _approved(staff):
    batch = batch_run(actor=staff["bureau"], program="dibao", month="2025-08").batch
    approve(staff, batch)
    return batch


def test_the_export_runs_as_a_job_whose_result_offers_the_download(staff, town, heard):
    batch = _approved(staff)
    client = logged_in(staff["approver"])
    response = client.post(f"/payments/batches/{batch.pk}/export/bank_csv/")
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/" and not BankFile.objects.exists()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f"批次：{batch.number}（最低生活保障，2025年8月）；文件：银行代发文件（CSV）" in page

    jobs_run_queued()

    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert heard == [("生成文件", None, None), ("核对合计并加密保存", None, None)]
    assert job.summary == f"批次 {batch.number} 的银行代发文件（CSV）已导出：2 笔，2,800.00元，已加密保存"
    assert job.result_label == "下载银行代发文件（CSV）"
    download = client.get(job.result_url)
    assert download.status_code == 200 and batch.number in download.content.decode("utf-8-sig")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.EXPORTED


def test_an_export_that_fails_shows_why_and_its_retry_exports_once(staff, town):
    batch = _approved(staff)
    client = logged_in(staff["approver"])
    client.post(f"/payments/batches/{batch.pk}/export/bank_csv/")
    right = batch.control_total_fen
    PaymentBatch.objects.filter(pk=batch.pk).update(control_total_fen=right + 1)
    jobs_run_queued()
    job = Job.objects.get()
    assert job.status == "failed" and job.error == "导出文件的合计与批次控制数不符，已停止导出"
    assert not BankFile.objects.exists()
    assert job.error in client.get(f"/jobs/{job.pk}/").content.decode()
    PaymentBatch.objects.filter(pk=batch.pk).update(control_total_fen=right)
    client.post(f"/jobs/{job.pk}/retry/")
    client.post(f"/payments/batches/{batch.pk}/export/bank_csv/")  # and once more: the stored file again
    jobs_run_queued()
    assert list(Job.objects.order_by("id").values_list("status", flat=True)) == ["failed", "succeeded", "succeeded"]
    assert BankFile.objects.count() == 1


def test_an_export_of_a_draft_or_by_an_auditor_is_refused_when_queued(staff, town):
    batch = batch_run(actor=staff["bureau"], program="dibao", month="2025-08").batch
    response = logged_in(staff["approver"]).post(f"/payments/batches/{batch.pk}/export/bank_csv/", follow=True)
    assert "审批后才能导出" in response.content.decode() and not Job.objects.exists()
    approve(staff, batch)
    assert logged_in(staff["auditor"]).post(f"/payments/batches/{batch.pk}/export/bank_csv/").status_code == 403
    assert not Job.objects.exists()


def test_the_commands_record_a_job_under_the_named_account_with_plain_progress_lines(staff, town, tmp_path):
    import io

    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    call_command("payments_run", "--program", "dibao", "--month", "2025-08", "--as", "bureau", stdout=out, stderr=err)
    job = Job.objects.get()
    assert (job.kind, job.via, job.started_by, job.status) == ("payments_batch_run", "command", staff["bureau"],
                                                               "succeeded")
    assert [line[9:] for line in err.getvalue().splitlines()] == ["核对应发对象", "写入发放明细 0/2", "写入发放明细 2/2"]
    assert "本次新增 2 笔" in out.getvalue()
    batch = PaymentBatch.objects.get()
    approve(staff, batch)
    target = tmp_path / "bank.csv"
    call_command("payments_batch", "export", "--number", batch.number, "--as", "approver", "--out", str(target),
                 stdout=io.StringIO(), stderr=io.StringIO())
    export = Job.objects.get(kind="payments_export")
    assert export.via == "command" and export.started_by == staff["approver"]
    assert batch.number in target.read_bytes().decode("utf-8-sig")


def test_a_payment_job_that_stopped_reporting_is_marked_interrupted_when_the_next_one_starts(staff, town):
    """The payment kinds hold no month lock, yet a job whose process died (no
    progress for 30 minutes) must not show 运行中 for ever."""
    import datetime as dt

    from django.utils import timezone

    from minzheng.jobs.services import job_start

    stuck = job_start(actor=staff["bureau"], kind="payments_batch_run", params={"program": "dibao", "month": "2025-08"})
    Job.objects.filter(pk=stuck.pk).update(status="running", heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    recent = job_start(actor=staff["bureau"], kind="payments_batch_run", params={"program": "dibao", "month": "2025-07"})
    fresh = job_start(actor=staff["bureau"], kind="payments_batch_run", params={"program": "dibao", "month": "2025-09"})
    stuck.refresh_from_db()
    recent.refresh_from_db()
    assert stuck.status == "failed" and stuck.error.startswith("作业中断：超过30分钟没有进展")
    assert recent.status == fresh.status == "queued"


# The API starts the same jobs (202 with the job and its status address) -----------------------------------------

def _token(username: str) -> dict:
    from django.test import Client

    response = Client().post("/api/v1/auth/token", {"username": username, "password": "pass-12345"},
                             content_type="application/json")
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def _api_post(path: str, username: str, body: dict | None = None):
    from django.test import Client

    return Client().post(path, body or {}, content_type="application/json", **_token(username))


def _api_get(path: str, username: str):
    from django.test import Client

    return Client().get(path, **_token(username))


def test_the_api_queues_the_batch_job_as_its_caller_and_keeps_the_four_eyes(staff, town):
    started = _api_post("/api/v1/payments/batches/run", "bureau", {"program": "dibao", "month": "2025-08"})
    job = Job.objects.get()
    assert started.status_code == 202
    assert started.json() == {"job_id": job.pk, "kind": "payments_batch_run", "kind_label": "生成发放批次",
                              "status": "queued", "status_label": "排队中", "status_url": f"/api/v1/jobs/{job.pk}",
                              "job_page": f"/jobs/{job.pk}/"}
    assert (job.started_by, job.via) == (staff["bureau"], "worker") and not PaymentBatch.objects.exists()
    queued = _api_get(f"/api/v1/jobs/{job.pk}", "bureau").json()
    assert (queued["status_label"], queued["active"], queued["params"]) == (
        "排队中", True, "救助项目：最低生活保障；发放月份：2025年8月")
    jobs_run_queued()
    done = _api_get(f"/api/v1/jobs/{job.pk}", "bureau").json()
    batch = PaymentBatch.objects.get()
    assert (done["status"], done["status_label"], done["active"], done["percent"]) == ("succeeded", "已完成", False, 100)
    assert done["result"]["page"] == f"/payments/batches/{batch.pk}/" and done["result"]["page_label"] == "查看批次"
    assert done["started_by"] == (staff["bureau"].full_name or "bureau") and done["error"] == ""
    assert batch.prepared_by == "bureau"
    review = _api_post(f"/api/v1/payments/batches/{batch.pk}/actions/review", "bureau")
    assert review.status_code == 422 and "制单人不能复核" in review.json()["detail"]
    assert _api_post(f"/api/v1/payments/batches/{batch.pk}/actions/review", "checker").status_code == 200


def test_the_api_refuses_a_batch_job_before_queueing_it(staff, town):
    assert _api_post("/api/v1/payments/batches/run", "street", {"program": "dibao", "month": "2025-08"}).status_code == 403
    early = _api_post("/api/v1/payments/batches/run", "bureau", {"program": "dibao", "month": "2019-03"})
    assert early.status_code == 422 and "早于该救助项目的政策参数" in early.json()["detail"]
    assert not Job.objects.exists()


def test_the_api_export_job_is_refused_for_a_draft_and_its_failure_is_chinese(staff, town):
    batch = batch_run(actor=staff["bureau"], program="dibao", month="2025-08").batch
    draft = _api_post(f"/api/v1/payments/batches/{batch.pk}/files/bank_csv/export", "approver")
    assert draft.status_code == 409 and "审批后才能导出" in draft.json()["detail"] and not Job.objects.exists()
    approve(staff, batch)
    assert _api_post(f"/api/v1/payments/batches/{batch.pk}/files/bank_csv/export", "auditor").status_code == 403
    assert _api_post(f"/api/v1/payments/batches/{batch.pk}/files/bank_csv/export", "other_street").status_code == 404
    right = batch.control_total_fen
    PaymentBatch.objects.filter(pk=batch.pk).update(control_total_fen=right + 1)
    started = _api_post(f"/api/v1/payments/batches/{batch.pk}/files/ledger_xlsx/export", "approver").json()
    assert started["download"] == f"/api/v1/payments/batches/{batch.pk}/files/ledger_xlsx"
    jobs_run_queued()
    failed = _api_get(started["status_url"], "approver").json()
    assert (failed["status_label"], failed["error"]) == ("失败", "导出文件的合计与批次控制数不符，已停止导出")
    assert not BankFile.objects.exists()


def test_the_job_endpoint_is_scoped_like_the_job_page(staff, town):
    started = _api_post("/api/v1/payments/batches/run", "bureau", {"program": "dibao", "month": "2025-08"}).json()
    url = started["status_url"]
    assert _api_get(url, "checker").status_code == 200  # jobs.view and may start the kind
    assert _api_get(url, "auditor").status_code == 200  # sees every job
    refused = _api_get(url, "street")  # not theirs, no jobs.view
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert _api_get(f"/api/v1/jobs/{started['job_id'] + 1000}", "bureau").status_code == 404
    assert _api_get("/api/v1/jobs/abc", "bureau").status_code == 422
    from django.test import Client

    assert Client().get(url).status_code == 401
