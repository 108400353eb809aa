"""Hostile input on the payments pages and services (batch months, sampling
seeds, years of the ledger, amounts, return files): a clear Chinese refusal,
never a 500, and nothing written (no batch, draw, return or audit entry)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from minzheng.core.bounds import latest_month
from minzheng.core.models import AuditEntry
from minzheng.payments.batches import batch_run, reissue_batch_create
from minzheng.payments.ledgers import ledger, yearly_totals
from minzheng.payments.models import BankReturn, PaymentBatch, ReturnImport, SampleDraw
from minzheng.payments.returns import RETURN_HEADER, returns_import
from minzheng.payments.sampling import sample_draw

BAD_MONTHS = ["9999-12", "1900-01", "1999-12", "0001-01", latest_month(months_ahead=2), "2019-03"]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("month", BAD_MONTHS)
@pytest.mark.django_db
def test_a_batch_for_a_month_out_of_bounds_is_refused_on_the_page_and_in_the_service(staff, town, month):
    audit_before = AuditEntry.objects.count()
    response = _client(staff["bureau"]).post("/payments/", {"program": "dibao", "month": month}, follow=True)
    assert response.status_code == 200
    assert "发放月份" in response.content.decode()
    with pytest.raises(ValidationError, match="发放月份"):
        batch_run(actor=staff["bureau"], program="dibao", month=month)
    with pytest.raises(ValidationError, match="重发月份"):
        reissue_batch_create(actor=staff["bureau"], program="dibao", month=month)
    assert not PaymentBatch.objects.exists() and AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_a_batch_before_the_programs_parameters_names_the_first_month(staff, town):
    """Dibao's parameters start in 2019-04: a batch for 2019-03 has no amount to pay."""
    with pytest.raises(ValidationError, match="2019-04"):
        batch_run(actor=staff["bureau"], program="dibao", month="2019-03")


@pytest.mark.parametrize("seed", ["9223372036854775808", "18446744073709551616", "9" * 5000])
@pytest.mark.django_db
def test_a_sampling_seed_beyond_64_bits_is_refused(staff, town, paid_month, seed):
    paid_month("dibao", "2025-08")
    audit_before = AuditEntry.objects.count()
    response = _client(staff["bureau"]).post("/payments/samples/", {
        "purpose": "household_survey", "month": "2025-08", "program": "", "per_street": "5", "seed": seed}, follow=True)
    assert response.status_code == 200
    assert "随机种子" in response.content.decode()
    with pytest.raises(ValidationError, match="随机种子"):
        sample_draw(actor=staff["bureau"], purpose="household_survey", month="2025-08", per_street=5, seed=int(seed[:30]))
    assert not SampleDraw.objects.exists() and AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_the_largest_seed_still_draws(staff, town, paid_month):
    paid_month("dibao", "2025-08")
    draw = sample_draw(actor=staff["bureau"], purpose="household_survey", month="2025-08", per_street=5,
                       seed=2**63 - 1)
    assert draw.seed == 2**63 - 1


@pytest.mark.parametrize("per_street", ["1e30", "NaN", "99999999999999999999", "0", "-5", "１０"])
@pytest.mark.django_db
def test_a_hostile_sample_size_is_a_message(staff, town, per_street):
    response = _client(staff["bureau"]).post("/payments/samples/", {
        "purpose": "household_survey", "month": "2025-08", "per_street": per_street}, follow=True)
    assert response.status_code == 200 and "每街镇抽取数" in response.content.decode()
    assert not SampleDraw.objects.exists()


@pytest.mark.parametrize("month", ["9999-12", "1900-01"])
@pytest.mark.django_db
def test_sampling_a_month_out_of_bounds_is_refused(staff, town, month):
    with pytest.raises(ValidationError, match="抽样月份"):
        sample_draw(actor=staff["bureau"], purpose="household_survey", month=month, per_street=5)


@pytest.mark.parametrize("year", ["0", "-5", "10000", "1999", "abc", "2025.0", "NaN"])
@pytest.mark.django_db
def test_a_year_out_of_bounds_is_refused_by_the_ledger_and_yearly_totals(staff, year):
    with pytest.raises(ValidationError, match="年份"):
        yearly_totals(staff["bureau"], year)
    with pytest.raises(ValidationError, match="年份"):
        ledger(staff["bureau"], year=year)
    client = _client(staff["bureau"])
    assert client.get("/payments/ledger/", {"year": year}).status_code == 200  # the filter form says so
    response = client.get(f"/api/v1/payments/yearly/{year}",
                          HTTP_AUTHORIZATION=f"Bearer {_token(client)}")
    assert response.status_code in (404, 422)
    if response.status_code == 422:  # the error model: out of bounds names the year; a malformed one, the field
        body = response.json()
        assert body["code"] == "invalid" and ("年份" in body["detail"] or body["problems"])


def _token(client) -> str:
    return client.post("/api/v1/auth/token", {"username": "bureau", "password": "pass-12345"},
                       content_type="application/json").json()["token"]


@pytest.mark.parametrize("month", ["9999-12x", "1900-01", "x" * 3000])
@pytest.mark.django_db
def test_a_hostile_ledger_month_filter_does_not_fail(staff, month):
    assert _client(staff["bureau"]).get("/payments/ledger/", {"month": month}).status_code == 200


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "-Infinity", "1e30", "999999999999999999", "-5"])
@pytest.mark.parametrize("what", ["repay", "writeoff"])
@pytest.mark.django_db
def test_a_hostile_amount_for_a_receivable_is_a_message(staff, town, amount, what):
    from minzheng.payments.models import Receivable, ReceivableEntry

    receivable = Receivable.objects.create(person=town.poor, street_id="310117001", committee_id="310117001001")
    response = _client(staff["bureau"]).post(f"/payments/recovery/{receivable.pk}/",
                                             {"what": what, "amount": amount, "note": "退回", "reference": "x"},
                                             follow=True)
    assert response.status_code == 200 and "金额" in response.content.decode()
    assert not ReceivableEntry.objects.exists()


def _exported(paid_month):
    return paid_month("dibao", "2025-08")


@pytest.mark.parametrize("content", [",".join(RETURN_HEADER) + "\n", "\ufeff" + ",".join(RETURN_HEADER) + "\r\n\r\n,,,\r\n"])
@pytest.mark.django_db
def test_a_return_file_with_only_the_header_is_an_error(staff, town, paid_month, content):
    batch = _exported(paid_month)
    with pytest.raises(ValidationError, match="文件只有表头，没有数据行"):
        returns_import(actor=staff["bureau"], batch=batch, filename="回盘.csv", content=content.encode())
    response = _client(staff["bureau"]).post(f"/payments/batches/{batch.pk}/returns/",
                                             {"file": SimpleUploadedFile("回盘.csv", content.encode())}, follow=True)
    assert "文件只有表头，没有数据行" in response.content.decode()
    assert not ReturnImport.objects.exists() and not BankReturn.objects.exists()


@pytest.mark.parametrize("seq", ["²", "9" * 5000, "1e3", "-1", "NaN"])
@pytest.mark.django_db
def test_a_hostile_sequence_number_in_a_return_file_is_a_rejected_row(staff, town, paid_month, seq):
    batch = _exported(paid_month)
    content = ",".join(RETURN_HEADER) + f"\n{batch.number},{seq},6222,1250.00,成功,\n"
    with pytest.raises(ValidationError) as err:
        returns_import(actor=staff["bureau"], batch=batch, filename="回盘.csv", content=content.encode())
    assert "第2行“序号”" in str(err.value)
    assert not ReturnImport.objects.exists()
