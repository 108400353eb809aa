"""Pages and API: scope (404 out of scope), bureau-only steps, the whole
cycle through the API, masked accounts on screen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from minzheng.core.tests.web import logged_in
from minzheng.jobs.services import jobs_run_queued
from minzheng.payments.models import PaymentBatch, Receivable
from minzheng.payments.recovery import recovery_scan
from minzheng.payments.returns import return_file_for
from minzheng.registry import services as registry


def _api(client: Client, username: str) -> dict:
    response = client.post("/api/v1/auth/token", {"username": username, "password": "pass-12345"},
                           content_type="application/json")
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


@pytest.mark.django_db
def test_pages_render_and_are_scoped(staff, town, paid_month):
    batch = paid_month("dibao", "2025-08")
    bureau, street, other = (logged_in(staff[n]) for n in ("bureau", "street", "other_street"))
    for url in ("/payments/", f"/payments/batches/{batch.pk}/", "/payments/ledger/", "/payments/recovery/",
                "/payments/samples/", "/payments/corrections/"):
        assert bureau.get(url).status_code == 200, url
    page = street.get(f"/payments/batches/{batch.pk}/").content.decode()
    assert "贫困甲" in page and "****" in page
    # the other street has no line in the batch: it is not theirs to see
    assert other.get(f"/payments/batches/{batch.pk}/").status_code == 404
    # a person's accounts out of scope: 404
    assert street.get(f"/payments/accounts/{town.poor.pk}/").status_code == 200
    assert other.get(f"/payments/accounts/{town.poor.pk}/").status_code == 404
    # the bank file is for district-level bureau (and audit) staff
    assert bureau.get(f"/payments/batches/{batch.pk}/files/bank_csv/").status_code == 200
    assert street.get(f"/payments/batches/{batch.pk}/files/bank_csv/").status_code == 403
    assert PaymentBatch.objects.get().files.count() == 1


def _overpaid_death(staff, town, paid_month) -> Receivable:
    """A receivable of 1,550.00 yuan: benefits paid for months after a death."""
    paid_month("dibao", "2025-08")
    paid_month("dibao", "2025-09")
    from minzheng.casework.services import enrolment_stop_for_death

    registry.person_record_death(actor=staff["street"], person=town.lone, death_date=dt.date(2025, 8, 2))
    enrolment_stop_for_death(actor=staff["street"], person=town.lone, death_date=dt.date(2025, 8, 2),
                             today=dt.date(2025, 9, 15))
    recovery_scan(actor=staff["bureau"])
    return Receivable.objects.get()


@pytest.mark.django_db
def test_receivable_out_of_scope_is_404_in_ui_and_api(staff, town, paid_month):
    receivable = _overpaid_death(staff, town, paid_month)
    assert logged_in(staff["street"]).get(f"/payments/recovery/{receivable.pk}/").status_code == 200
    assert logged_in(staff["other_street"]).get(f"/payments/recovery/{receivable.pk}/").status_code == 404
    client = Client()
    assert client.get(f"/api/v1/payments/receivables/{receivable.pk}", **_api(client, "other_street")).status_code == 404
    found = client.get(f"/api/v1/payments/receivables/{receivable.pk}", **_api(client, "street"))
    assert found.status_code == 200 and found.json()["balance_fen"] == 155000
    assert client.get(f"/api/v1/payments/accounts/{town.poor.pk}", **_api(client, "other_street")).status_code == 404


@pytest.mark.django_db
def test_whole_cycle_through_the_api(staff, town):
    client = Client()
    maker, checker, approver = (_api(client, n) for n in ("bureau", "checker", "approver"))
    started = client.post("/api/v1/payments/batches/run", {"program": "dibao", "month": "2025-08"},
                          content_type="application/json", **maker)
    # a background job (ADR 0017): 202 with the job and where to follow it; nothing prepared yet
    assert started.status_code == 202 and not PaymentBatch.objects.exists()
    assert started.json()["status_url"] == f"/api/v1/jobs/{started.json()['job_id']}"
    assert jobs_run_queued() == 1
    job = client.get(started.json()["status_url"], **maker).json()
    assert (job["status"], job["status_label"], job["kind_label"]) == ("succeeded", "已完成", "生成发放批次")
    again = client.post("/api/v1/payments/batches/run", {"program": "dibao", "month": "2025-08"},
                        content_type="application/json", **maker)
    jobs_run_queued()
    assert "已存在，未改动" in client.get(again.json()["status_url"], **maker).json()["result"]["summary"]
    batch = client.get("/api/v1/payments/batches?program=dibao&month=2025-08", **maker).json()[0]
    assert batch["control_count"] == 2 and batch["prepared_by"] == "bureau"
    assert job["result"]["page"] == f"/payments/batches/{batch['id']}/"
    act = f"/api/v1/payments/batches/{batch['id']}/actions"
    # maker-checker: the right role refused by a business rule is 422; the wrong role (street) is 403
    assert client.post(f"{act}/review", {}, content_type="application/json", **maker).status_code == 422
    assert client.post(f"{act}/review", {}, content_type="application/json", **checker).status_code == 200
    assert client.post(f"{act}/approve", {}, content_type="application/json", **checker).status_code == 422
    street = _api(client, "street")
    assert client.post(f"{act}/approve", {}, content_type="application/json", **street).status_code == 403
    assert client.post(f"{act}/approve", {}, content_type="application/json", **approver).json()["status"] == "approved"
    files = f"/api/v1/payments/batches/{batch['id']}/files/bank_csv"
    assert client.get(files, **maker).status_code == 409  # a GET never exports (not exported yet: a state conflict)
    assert PaymentBatch.objects.get().status == "approved"
    exported = client.post(f"{files}/export", **maker)
    assert exported.status_code == 202 and exported.json()["download"] == files
    assert client.get(files, **maker).status_code == 409  # queued, not yet exported
    jobs_run_queued()
    assert client.get(exported.json()["status_url"], **maker).json()["status"] == "succeeded"
    assert PaymentBatch.objects.get().status == "exported"
    csv_file = client.get(files, **maker)
    assert csv_file.status_code == 200 and "批次号" in csv_file.content.decode("utf-8-sig")
    from django.core.files.uploadedfile import SimpleUploadedFile

    returned = client.post(f"/api/v1/payments/batches/{batch['id']}/returns",
                           {"file": SimpleUploadedFile("r.csv", return_file_for(PaymentBatch.objects.get(),
                                                                                 {1: "户名不符"}))}, **maker).json()
    assert (returned["paid"], returned["failed"]) == (1, 1)
    assert returned["reconciliation"]["balanced"]
    assert len(client.get("/api/v1/payments/corrections", **street).json()) == 1
    assert client.get(f"/api/v1/payments/batches/{batch['id']}/lines",
                      **_api(client, "other_street")).status_code == 404
    assert client.get("/api/v1/payments/ledger?year=2025", **maker).json()["totals"]["count"] == 2
    assert client.get("/api/v1/payments/closed-loop", **_api(client, "auditor")).json() == []
    assert client.post(f"{act}/review", {}, content_type="application/json",
                       **_api(client, "auditor")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("what", ["repay", "writeoff"])
@pytest.mark.parametrize("typed, message", [("-0.50", "金额不能为负数"), ("-1.50", "金额不能为负数"),
                                            ("12.345", "金额最多精确到分（两位小数）"), ("abc", "金额格式无效"),
                                            ("", "金额格式无效")])
def test_recovery_form_refuses_negative_and_sub_fen_amounts(staff, town, paid_month, what, typed, message):
    """The form once read "-0.50" as +50 fen and "12.345" as 1234 fen."""
    receivable = _overpaid_death(staff, town, paid_month)
    response = logged_in(staff["street"]).post(
        f"/payments/recovery/{receivable.pk}/", {"what": what, "amount": typed, "reference": "JK-1", "note": "理由"},
        follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert any(message in m and f"“{typed}”" in m for m in shown), shown
    assert receivable.entries.exclude(kind="charge").count() == 0


@pytest.mark.django_db
def test_recovery_form_records_a_valid_amount_in_fen(staff, town, paid_month):
    receivable = _overpaid_death(staff, town, paid_month)
    logged_in(staff["street"]).post(f"/payments/recovery/{receivable.pk}/",
                                    {"what": "repay", "amount": "0.50", "reference": "JK-1"})
    assert list(receivable.entries.exclude(kind="charge").values_list("amount_fen", flat=True)) == [50]
