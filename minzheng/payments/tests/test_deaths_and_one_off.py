"""Issue 14: a recorded death holds the deceased's unpaid lines and charges
months already paid after it, the same day; one-off payments (一次性补贴)
requested by domain apps and paid through the batches (ADR 0008,
"2026-12-01 — deaths and one-off payments")."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError

from minzheng.core.models import AuditEntry
from minzheng.payments.bank_files import batch_export, file_bytes
from minzheng.payments.batches import batch_run, line_remove
from minzheng.payments.death_holds import hold_release, payments_on_death
from minzheng.payments.models import (
    AccountStatus,
    BatchKind,
    EntryKind,
    FileKind,
    LineHold,
    LineKind,
    OneOffPayment,
    OneOffStatus,
    PayeeAccount,
    PaymentBatch,
    ReceivableEntry,
)
from minzheng.payments.one_off import one_off_program_register
from minzheng.payments.reconciliation import batch_reconcile, closed_loop_problems, reconcile
from minzheng.payments.recovery import recovery_charge_person, recovery_scan
from minzheng.payments.returns import return_file_for, returns_import
from minzheng.payments.services import (
    one_off_batch_create,
    one_off_cancel,
    one_off_request,
    one_off_status,
)
from minzheng.payments.tests.conftest import approve
from minzheng.registry.services import person_record_death

PROGRAM = "test_sea_burial"


@pytest.fixture(autouse=True)
def sea_burial_program():
    """A one-off program registered as a domain app would in ``AppConfig.ready``
    (removed afterwards: other tests see only the apps' own programs)."""
    from minzheng.payments import one_off

    one_off_program_register(PROGRAM, "海葬补贴（测试）")
    yield PROGRAM
    one_off._PROGRAMS.pop(PROGRAM, None)


def _bank_rows(batch: PaymentBatch) -> list[list[str]]:
    from minzheng.payments.models import BankFile

    content = file_bytes(BankFile.objects.get(batch=batch, kind=FileKind.BANK_CSV))
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _lone_line(batch: PaymentBatch, town):
    return batch.lines.get(person=town.lone)


@pytest.mark.django_db
@pytest.mark.parametrize("stage", ["draft", "reviewed", "approved"])
def test_death_holds_unpaid_line_after_death_month_and_bank_file_leaves_it_out(staff, town, stage):
    batch = batch_run(actor=staff["bureau"], program="dibao", month="2025-09").batch
    if stage in ("reviewed", "approved"):
        from minzheng.payments.batches import batch_review

        batch_review(actor=staff["checker"], batch=batch)
    if stage == "approved":
        from minzheng.payments.batches import batch_approve

        batch_approve(actor=staff["approver"], batch=batch)
    line = _lone_line(batch, town)
    control = (batch.control_count, batch.control_total_fen)
    # when 独居丙 (a one-person household's payee) dies in August, the September line is held the same day
    person_record_death(actor=staff["street"], person=town.lone, death_date=dt.date(2025, 8, 20))
    batch.refresh_from_db()
    hold = LineHold.objects.get(line=line)
    assert hold.active and "死亡" in hold.note and hold.held_by == "street"
    assert (batch.control_count, batch.control_total_fen) == control  # the line stays, the totals record the hold
    assert (batch.held_count, batch.held_total_fen) == (1, line.amount_fen)
    assert AuditEntry.objects.filter(action="payments.line.hold", object_id=batch.number).exists()
    # the bank file leaves the held line out; its totals are control − held
    if stage == "draft":
        from minzheng.payments.batches import batch_review

        batch_review(actor=staff["checker"], batch=batch)
    if stage != "approved":
        from minzheng.payments.batches import batch_approve

        batch_approve(actor=staff["approver"], batch=batch)
    bank_file = batch_export(actor=staff["bureau"], batch=batch)
    assert (bank_file.line_count, bank_file.total_fen) == (control[0] - 1, control[1] - line.amount_fen)
    rows = _bank_rows(batch)
    assert str(line.seq) not in [r[0] for r in rows[1:-1]] and rows[-1][1] == f"共{control[0] - 1}笔"
    ledger = batch_export(actor=staff["bureau"], batch=batch, kind=FileKind.LEDGER_XLSX)
    assert (ledger.line_count, ledger.total_fen) == control
    batch.refresh_from_db()
    assert closed_loop_problems(PaymentBatch.objects.filter(pk=batch.pk)) == []
    # the returns cover the file; the batch reconciles with the held line counted as held
    returns_import(actor=staff["bureau"], batch=batch, filename="回盘.csv", content=return_file_for(batch))
    result = reconcile(batch)
    assert result.balanced and result.held == {"count": 1, "amount_fen": line.amount_fen}
    assert result.not_returned["count"] == 0
    batch_reconcile(actor=staff["bureau"], batch=batch)
    assert closed_loop_problems(PaymentBatch.objects.filter(pk=batch.pk)) == []
    # a held line was never paid: nothing to recover for it
    assert recovery_scan(actor=staff["bureau"])["charges"] == 0
    # and after export the hold can no longer be released
    with pytest.raises(ValidationError, match="调整明细"):
        hold_release(actor=staff["checker"], hold=hold, reason="死亡登记有误")


@pytest.mark.django_db
def test_death_month_itself_is_not_held_and_other_households_untouched(staff, town):
    batch = batch_run(actor=staff["bureau"], program="dibao", month="2025-09").batch
    person_record_death(actor=staff["street"], person=town.lone, death_date=dt.date(2025, 9, 3))
    assert not LineHold.objects.exists()
    batch.refresh_from_db()
    assert batch.held_count == 0


@pytest.mark.django_db
def test_release_of_a_hold(staff, town):
    batch = batch_run(actor=staff["bureau"], program="dibao", month="2025-09").batch
    line = _lone_line(batch, town)
    person_record_death(actor=staff["bureau"], person=town.lone, death_date=dt.date(2025, 8, 20))
    hold = LineHold.objects.get(line=line)
    from minzheng.core.permissions import NotPermitted

    with pytest.raises(NotPermitted):
        hold_release(actor=staff["street"], hold=hold, reason="死亡登记有误")
    with pytest.raises(ValidationError, match="原因"):
        hold_release(actor=staff["checker"], hold=hold, reason=" ")
    hold_release(actor=staff["checker"], hold=hold, reason="死亡登记有误，已核实本人在世")
    hold.refresh_from_db()
    batch.refresh_from_db()
    assert not hold.active and hold.released_by == "checker"
    assert (batch.held_count, batch.held_total_fen) == (0, 0)
    assert AuditEntry.objects.filter(action="payments.line.hold_release", object_id=batch.number).exists()
    with pytest.raises(ValidationError, match="已经解除"):
        hold_release(actor=staff["checker"], hold=hold, reason="再次")
    approve(staff, batch)
    bank_file = batch_export(actor=staff["bureau"], batch=batch)
    assert bank_file.line_count == batch.control_count  # paid again with its batch


@pytest.mark.django_db
def test_removing_a_held_line_from_a_draft_moves_the_held_totals(staff, town):
    batch = batch_run(actor=staff["bureau"], program="dibao", month="2025-09").batch
    line = _lone_line(batch, town)
    person_record_death(actor=staff["bureau"], person=town.lone, death_date=dt.date(2025, 8, 20))
    line_remove(actor=staff["checker"], line=line, reason="保障对象已死亡")
    batch.refresh_from_db()
    assert (batch.held_count, batch.held_total_fen) == (0, 0)
    assert closed_loop_problems(PaymentBatch.objects.filter(pk=batch.pk)) == []


@pytest.mark.django_db
def test_paid_months_after_death_charged_at_once_and_not_again_by_the_scan(staff, town, paid_month):
    paid_month("elderly_allowance", "2025-08")
    paid_month("elderly_allowance", "2025-09")
    oct_batch = paid_month("elderly_allowance", "2025-10")
    returns_import(actor=staff["bureau"], batch=oct_batch, filename="回盘.csv",
                   content=return_file_for(oct_batch, {1: "账户已销户"}))
    # 老人乙 (person-level elderly allowance) dies in August: Sept paid, Oct returned by the bank. The death
    # comes from a job given by name (the registry's listeners get whatever actor the death service got)
    from minzheng.registry.models import Person

    Person.objects.filter(pk=town.old.pk).update(alive=False, death_date=dt.date(2025, 8, 31))
    town.old.refresh_from_db()
    payments_on_death(actor="registry_feed", person=town.old, death_date=dt.date(2025, 8, 31))
    charges = ReceivableEntry.objects.filter(kind=EntryKind.CHARGE, receivable__person=town.old)
    assert list(charges.values_list("program", "benefit_month")) == [("elderly_allowance", "2025-09")]
    entry = charges.get()
    assert entry.recorded_by == "registry_feed" and entry.line.benefit_month == "2025-09"
    assert AuditEntry.objects.filter(action="payments.recovery.charge_person", actor="registry_feed").exists()
    # neither the scan nor a second per-person charge charges it again
    assert recovery_scan(actor=staff["bureau"])["charges"] == 0
    assert recovery_charge_person(actor=staff["bureau"], person=town.old)["charges"] == 0
    assert charges.count() == 1


@pytest.mark.django_db
def test_scan_first_then_per_person_charges_nothing_more(staff, town, paid_month):
    paid_month("elderly_allowance", "2025-08")
    paid_month("elderly_allowance", "2025-09")
    from minzheng.registry.models import Person

    # a death recorded by a path without listeners (e.g. an old import): the scan finds it first
    Person.objects.filter(pk=town.old.pk).update(alive=False, death_date=dt.date(2025, 8, 5))
    assert recovery_scan(actor=staff["bureau"])["charges"] == 1
    town.old.refresh_from_db()
    assert recovery_charge_person(actor="nightly", person=town.old)["charges"] == 0
    from minzheng.core.permissions import NotPermitted

    with pytest.raises(NotPermitted):
        recovery_charge_person(actor=staff["street"], person=town.old)


# --- one-off payments ----------------------------------------------------------


@pytest.fixture
def family(town):
    """The payee of a sea-burial subsidy (谷阳 household head, with an account) and the deceased."""
    return town.poor, town.old


@pytest.mark.django_db
def test_one_off_request_batch_review_approve_export_returns(staff, town, family):
    payee, deceased = family
    request = one_off_request(actor=staff["bureau"], program=PROGRAM, payee=payee, amount_fen=300000,
                              reference="funeral_subsidies.Grant:12", reason="海葬补贴（家属部分）", beneficiary=deceased)
    assert request.status == OneOffStatus.QUEUED and request.get_status_display() == "待发放"
    batch = one_off_batch_create(actor=staff["bureau"], program=PROGRAM, month="2025-10")
    assert batch.kind == BatchKind.ONE_OFF and batch.get_kind_display() == "一次性补贴"
    assert batch.number.startswith("YC202510")
    line = batch.lines.get()
    assert line.kind == LineKind.ONE_OFF and line.get_kind_display() == "一次性发放"
    assert (line.amount_fen, line.person_id, line.beneficiary) == (300000, payee.pk, f"p{deceased.pk}")
    assert (batch.control_count, batch.control_total_fen) == (1, 300000)
    assert batch.fund_split["verified"] is False and "参数缺失" in batch.fund_split["basis"]
    request.refresh_from_db()
    assert request.status == OneOffStatus.BATCHED and request.line_id == line.pk
    # nothing left to batch
    assert one_off_batch_create(actor=staff["bureau"], program=PROGRAM, month="2025-10") is None
    approve(staff, batch)
    batch_export(actor=staff["bureau"], batch=batch)
    rows = _bank_rows(batch)
    assert rows[1][4] == "3000.00" and "海葬补贴" in rows[1][5]
    returns_import(actor=staff["bureau"], batch=batch, filename="回盘.csv", content=return_file_for(batch))
    assert one_off_status(PROGRAM, "funeral_subsidies.Grant:12").status == OneOffStatus.PAID
    batch_reconcile(actor=staff["bureau"], batch=batch)
    assert closed_loop_problems(PaymentBatch.objects.filter(pk=batch.pk)) == []
    # a one-off for the deceased is not an overpayment after death
    person_record_death(actor=staff["bureau"], person=deceased, death_date=dt.date(2025, 8, 1))
    assert not ReceivableEntry.objects.filter(program=PROGRAM).exists()


@pytest.mark.django_db
def test_one_off_returned_by_the_bank(staff, town, family):
    payee, deceased = family
    one_off_request(actor="funeral_job", program=PROGRAM, payee=payee, amount_fen=300000, reference="R1",
                    reason="海葬补贴")
    batch = one_off_batch_create(actor=staff["bureau"], program=PROGRAM, month="2025-10")
    approve(staff, batch)
    batch_export(actor=staff["bureau"], batch=batch)
    returns_import(actor=staff["bureau"], batch=batch, filename="回盘.csv",
                   content=return_file_for(batch, {1: "账户已销户"}))
    assert one_off_status(PROGRAM, "R1").status == OneOffStatus.RETURNED


@pytest.mark.django_db
def test_one_off_request_is_idempotent_and_checked(staff, town, family):
    payee, deceased = family
    first = one_off_request(actor=staff["bureau"], program=PROGRAM, payee=payee, amount_fen=300000,
                            reference="G:1", reason="海葬补贴", beneficiary=deceased)
    again = one_off_request(actor=staff["bureau"], program=PROGRAM, payee=payee, amount_fen=300000,
                            reference="G:1", reason="海葬补贴", beneficiary=deceased)
    assert again.pk == first.pk and OneOffPayment.objects.count() == 1
    assert AuditEntry.objects.filter(action="payments.one_off.request").count() == 1
    with pytest.raises(ValidationError, match="金额不同"):
        one_off_request(actor=staff["bureau"], program=PROGRAM, payee=payee, amount_fen=160000, reference="G:1",
                        reason="海葬补贴", beneficiary=deceased)
    with pytest.raises(ValidationError, match="不是已登记的一次性补贴项目"):
        one_off_request(actor=staff["bureau"], program="no_such_program", payee=payee, amount_fen=100,
                        reference="G:2", reason="x")
    with pytest.raises(ValidationError, match="大于0"):
        one_off_request(actor=staff["bureau"], program=PROGRAM, payee=payee, amount_fen=0, reference="G:3",
                        reason="x")
    from minzheng.core.permissions import NotPermitted

    with pytest.raises(NotPermitted):
        one_off_request(actor=staff["auditor"], program=PROGRAM, payee=payee, amount_fen=100, reference="G:4",
                        reason="x")
    cancelled = one_off_cancel(actor=staff["bureau"], program=PROGRAM, reference="G:1", reason="家属放弃")
    assert cancelled.status == OneOffStatus.CANCELLED
    assert one_off_batch_create(actor=staff["bureau"], program=PROGRAM, month="2025-10") is None


@pytest.mark.django_db
def test_payee_without_account_is_skipped_with_reason(staff, town, family, make_person):
    payee, deceased = family
    no_account = make_person("无账户丁", dt.date(1980, 1, 1))
    assert not PayeeAccount.objects.filter(person=no_account, status=AccountStatus.ACTIVE).exists()
    one_off_request(actor=staff["bureau"], program=PROGRAM, payee=no_account, amount_fen=98000, reference="A",
                    reason="基本殡葬服务补贴")
    one_off_request(actor=staff["bureau"], program=PROGRAM, payee=payee, amount_fen=300000, reference="B",
                    reason="海葬补贴")
    batch = one_off_batch_create(actor=staff["bureau"], program=PROGRAM, month="2025-10")
    assert batch.control_count == 1 and batch.skipped == {"收款人没有有效的代发账户": 1}
    waiting = one_off_status(PROGRAM, "A")
    assert waiting.status == OneOffStatus.QUEUED and waiting.skipped_reason == "收款人没有有效的代发账户"
    # a draft line removed goes back to the queue
    line_remove(actor=staff["checker"], line=batch.lines.get(), reason="金额待核")
    assert one_off_status(PROGRAM, "B").status == OneOffStatus.QUEUED


# --- pages -----------------------------------------------------------------------


@pytest.mark.django_db
def test_batch_page_shows_the_hold_and_staff_release_it(staff, town):
    from minzheng.core.tests.web import logged_in

    batch = batch_run(actor=staff["bureau"], program="dibao", month="2025-09").batch
    person_record_death(actor=staff["street"], person=town.lone, death_date=dt.date(2025, 8, 20))
    hold = LineHold.objects.get()
    page = logged_in(staff["checker"]).get(f"/payments/batches/{batch.pk}/").content.decode()
    assert "已暂停发放" in page and "独居丙于2025年08月20日死亡" in page and 'id="holds"' in page
    assert f"/payments/batches/{batch.pk}/holds/{hold.pk}/release/" in page
    street_page = logged_in(staff["street"]).get(f"/payments/batches/{batch.pk}/").content.decode()
    assert "已暂停发放" in street_page and "/release/" not in street_page  # seen, not released, by the street
    assert logged_in(staff["street"]).post(f"/payments/batches/{batch.pk}/holds/{hold.pk}/release/",
                                           {"reason": "误报"}).status_code == 403
    other = logged_in(staff["other_street"]).post(f"/payments/batches/{batch.pk}/holds/{hold.pk}/release/",
                                                  {"reason": "误报"})
    assert other.status_code in (403, 404)
    client = logged_in(staff["checker"])
    response = client.post(f"/payments/batches/{batch.pk}/holds/{hold.pk}/release/", {"reason": "死亡登记有误"})
    assert response.status_code == 302
    hold.refresh_from_db()
    assert not hold.active and hold.release_reason == "死亡登记有误"


@pytest.mark.django_db
def test_one_off_pages_and_the_batch_job(staff, town, family):
    from minzheng.core.tests.web import logged_in
    from minzheng.jobs.models import Job
    from minzheng.jobs.services import jobs_run_queued

    payee, deceased = family
    one_off_request(actor=staff["bureau"], program=PROGRAM, payee=payee, amount_fen=300000, reference="P:1",
                    reason="海葬补贴（家属部分）", beneficiary=deceased)
    client = logged_in(staff["bureau"])
    listing = client.get("/payments/one-off/").content.decode()
    assert "海葬补贴（测试）" in listing and "待发放" in listing and f">{PROGRAM}" not in listing
    assert "3,000.00" in listing
    assert f'value="{PROGRAM}"' in client.get("/payments/").content.decode()  # the create form offers it
    response = client.post("/payments/", {"program": PROGRAM, "month": "2025-10"})
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert jobs_run_queued() == 1
    job.refresh_from_db()
    batch = PaymentBatch.objects.get(kind=BatchKind.ONE_OFF)
    assert job.status == "succeeded", job.error
    assert job.summary.startswith(f"海葬补贴（测试）2025年10月一次性补贴批次 {batch.number} 已生成：1 笔")
    assert batch.prepared_by == "bureau"
    page = client.get(f"/payments/batches/{batch.pk}/").content.decode()
    assert "一次性补贴" in page and "一次性发放" in page and "参数缺失" in page
    # the list by status, and the street sees only its own
    assert "已纳入批次" in client.get("/payments/one-off/?status=batched").content.decode()
    other = logged_in(staff["other_street"]).get("/payments/one-off/").content.decode()
    assert "海葬补贴（家属部分）" not in other


@pytest.mark.django_db
def test_a_returned_one_off_is_reissued_and_then_paid(staff, town, family):
    from minzheng.payments.accounts import account_register
    from minzheng.payments.batches import reissue_batch_create

    payee, deceased = family
    one_off_request(actor=staff["bureau"], program=PROGRAM, payee=payee, amount_fen=300000, reference="RE:1",
                    reason="海葬补贴")
    batch = one_off_batch_create(actor=staff["bureau"], program=PROGRAM, month="2025-10")
    approve(staff, batch)
    batch_export(actor=staff["bureau"], batch=batch)
    returns_import(actor=staff["bureau"], batch=batch, filename="回盘.csv",
                   content=return_file_for(batch, {1: "账户已销户"}))
    assert one_off_status(PROGRAM, "RE:1").status == OneOffStatus.RETURNED
    account_register(actor=staff["bureau"], person=payee, bank_name="上海农商银行", holder_name=payee.name,
                     number="6224780000000000018", reason="账户更正")
    reissue = reissue_batch_create(actor=staff["bureau"], program=PROGRAM, month="2025-11")
    assert reissue.kind == BatchKind.REISSUE and reissue.control_total_fen == 300000
    approve(staff, reissue)
    batch_export(actor=staff["bureau"], batch=reissue)
    returns_import(actor=staff["bureau"], batch=reissue, filename="回盘.csv", content=return_file_for(reissue))
    assert one_off_status(PROGRAM, "RE:1").status == OneOffStatus.PAID
    assert closed_loop_problems(PaymentBatch.objects.all()) == []


@pytest.mark.django_db
def test_household_payee_dies_with_members_left_line_held_but_paid_months_not_charged(staff, town, make_person,
                                                                                     paid_month):
    from minzheng.registry import services as registry

    spouse = make_person("配偶戊", dt.date(1976, 4, 1), male=False)
    registry.household_add_member(actor=staff["bureau"], household=town.h_poor, person=spouse, relation="配偶",
                                  start_date=dt.date(2020, 1, 1))
    paid_month("dibao", "2025-08")
    september = batch_run(actor=staff["bureau"], program="dibao", month="2025-09").batch
    line = september.lines.get(beneficiary=f"h{town.h_poor.pk}")
    assert line.person_id == town.poor.pk
    person_record_death(actor=staff["bureau"], person=town.poor, death_date=dt.date(2025, 7, 10))
    # the household's September line is paid to the deceased's account: held
    assert LineHold.objects.get().line_id == line.pk
    # August, paid to the household whose other member lives on, is not charged (casework's exit decides)
    assert not ReceivableEntry.objects.filter(receivable__person=town.poor).exists()


@pytest.mark.django_db
def test_api_shows_holds_releases_them_and_lists_one_off_requests(staff, town, family):
    from django.test import Client

    from minzheng.payments.tests.test_views_and_api import _api

    batch = batch_run(actor=staff["bureau"], program="dibao", month="2025-09").batch
    person_record_death(actor=staff["street"], person=town.lone, death_date=dt.date(2025, 8, 20))
    hold = LineHold.objects.get()
    client = Client()
    auth = _api(client, "checker")
    detail = client.get(f"/api/v1/payments/batches/{batch.pk}", **auth).json()
    assert detail["held_count"] == 1 and detail["reconciliation"]["held"]["count"] == 1
    lines = client.get(f"/api/v1/payments/batches/{batch.pk}/lines", **auth).json()["results"]
    assert [line["hold_id"] for line in lines if line["hold_id"]] == [hold.pk]
    assert client.post(f"/api/v1/payments/batches/{batch.pk}/holds/{hold.pk}/release",
                       {"reason": ""}, content_type="application/json", **auth).status_code == 422
    released = client.post(f"/api/v1/payments/batches/{batch.pk}/holds/{hold.pk}/release",
                           {"reason": "死亡登记有误"}, content_type="application/json", **auth)
    assert released.status_code == 200 and released.json()["held_count"] == 0
    assert client.post(f"/api/v1/payments/batches/{batch.pk}/holds/{hold.pk}/release",
                       {"reason": "再次"}, content_type="application/json", **auth).status_code == 409
    payee, deceased = family
    one_off_request(actor=staff["bureau"], program=PROGRAM, payee=payee, amount_fen=300000, reference="API:1",
                    reason="海葬补贴", beneficiary=deceased)
    rows = client.get("/api/v1/payments/one-off?status=queued", **auth).json()
    assert [(r["reference"], r["program_label"], r["status_label"]) for r in rows] == [
        ("API:1", "海葬补贴（测试）", "待发放")]
    assert client.get("/api/v1/payments/one-off", **_api(client, "other_street")).json() == []
