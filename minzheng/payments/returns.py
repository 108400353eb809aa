"""The bank's return file (回盘): one line per payment, paid or failed with
the bank's reason. Failed lines go to the correction list (``batches.
failed_lines_to_reissue``) and are re-issued once the account is corrected.

Return file (CSV, UTF-8 with or without BOM, or GB18030 as many banks send):

    批次号,序号,银行账号,金额,结果,失败原因
    FF202508000001,1,6224781234567890123,1250.00,成功,
    FF202508000001,2,6222021234567890123,1250.00,失败,账户已销户
    合计,2,,2500.00,,            ← optional; checked when present

Import is all-or-nothing: any bad row (unknown 序号, amount or account not as
sent, unknown 结果, a failure without reason, a line answered twice
differently) is reported with its row and column, and nothing is imported.
A line already answered the same way is skipped, so a file can be re-imported.
"""

from __future__ import annotations

import csv
import hashlib
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Coalesce

from minzheng.core.audit import audit_record
from minzheng.core.bounds import HEADER_ONLY
from minzheng.core.bulk_copy import copy_rows
from minzheng.core.errors import StateConflict
from minzheng.core.models import User
from minzheng.core.personal_data import blind_index
from minzheng.core.spreadsheets import SafeCsvWriter
from minzheng.core.text_encoding import decode_chinese_text
from minzheng.payments.bank_files import file_bytes, unheld_lines
from minzheng.payments.batches import locked, require_person
from minzheng.payments.models import (
    BankFile,
    BankReturn,
    BatchStatus,
    FileKind,
    PaymentBatch,
    ReturnImport,
)
from minzheng.payments.one_off import returns_recorded
from policy.money import format_fen, parse_yuan

RETURN_HEADER = ("批次号", "序号", "银行账号", "金额", "结果", "失败原因")
OUTCOMES = {"成功": "paid", "失败": "failed"}
MAX_REPORTED = 20


def _decode(content: bytes) -> str:
    text = decode_chinese_text(content)
    if text is None:
        raise ValidationError("回盘文件编码无法识别（应为 UTF-8 或 GB18030）")
    return text


def _parse_fen(text: str) -> int | None:
    """The file's amount in fen (adjustment lines may be negative); None when unreadable."""
    try:
        return parse_yuan(text, allow_negative=True)
    except ValueError:
        return None


@transaction.atomic
def returns_import(*, actor: User, batch: PaymentBatch, filename: str, content: bytes) -> ReturnImport:
    """Import the bank's return file of an exported batch."""
    require_person(actor, "导入回盘", "payments.disburse")
    batch = locked(batch)
    if batch.status != BatchStatus.EXPORTED:
        raise StateConflict(f"批次状态为“{batch.get_status_display()}”，只能为已导出的批次导入回盘")
    reader = csv.reader(io.StringIO(_decode(content)))
    header = tuple(cell.strip() for cell in next(reader, ()))
    if header[: len(RETURN_HEADER)] != RETURN_HEADER:
        raise ValidationError(f"回盘文件表头应为：{','.join(RETURN_HEADER)}")
    lines = {seq: (pk, amount, index) for seq, pk, amount, index in unheld_lines(batch)
             .annotate(payee_index=Coalesce("account__number_index", "organisation__number_index"))
             .values_list("seq", "pk", "amount_fen", "payee_index").iterator(10000)}
    answered = dict(BankReturn.objects.filter(line__batch=batch).values_list("line_id", "outcome"))
    errors: list[str] = []
    seen: set[int] = set()
    rows: list[tuple] = []
    already = paid = failed = 0
    total_line = None

    def bad(row_no: int, column: str, message: str) -> None:
        errors.append(f"第{row_no}行“{column}”：{message}")

    for row_no, raw in enumerate(reader, start=2):
        cells = [c.strip() for c in raw] + [""] * (len(RETURN_HEADER) - len(raw))
        if not any(cells):
            continue
        number, seq_text, account, amount_text, outcome_text, reason = cells[:6]
        if number == "合计":
            total_line = (row_no, seq_text, amount_text)
            continue
        if number != batch.number:
            bad(row_no, "批次号", f"“{number[:40]}”不是本批次（{batch.number}）")
            continue
        if not (seq_text.isascii() and seq_text.isdigit() and len(seq_text) <= 9) or int(seq_text) not in lines:
            bad(row_no, "序号", f"“{seq_text[:20]}”在本批次中不存在")
            continue
        seq = int(seq_text)
        if seq in seen:
            bad(row_no, "序号", f"第{seq}笔在文件中重复出现")
            continue
        seen.add(seq)
        line_id, amount, index = lines[seq]
        if _parse_fen(amount_text) != amount:
            bad(row_no, "金额", f"“{amount_text[:30]}”与发放金额 {format_fen(amount)} 不符")
        if blind_index(account.replace(" ", "")) != index:
            bad(row_no, "银行账号", "与发放时的账号不符")
        outcome = OUTCOMES.get(outcome_text)
        if outcome is None:
            bad(row_no, "结果", f"“{outcome_text[:20]}”无效，应为“成功”或“失败”")
            continue
        if outcome == "failed" and not reason:
            bad(row_no, "失败原因", "失败的明细须有银行给出的原因")
        if line_id in answered:
            if answered[line_id] != outcome:
                bad(row_no, "结果", f"第{seq}笔已导入为“{'成功' if answered[line_id] == 'paid' else '失败'}”，与本文件不一致")
            already += 1
            continue
        rows.append((line_id, outcome, reason[:200] if outcome == "failed" else ""))
        paid += outcome == "paid"
        failed += outcome == "failed"
    if total_line is not None:
        row_no, count_text, amount_text = total_line
        file_total = sum(lines[s][1] for s in seen)
        if count_text != str(len(seen)) or _parse_fen(amount_text) != file_total:
            bad(row_no, "合计", f"合计行与明细不符（明细 {len(seen)} 笔 {format_fen(file_total)} 元）")
    if not errors and not seen and total_line is None:
        raise ValidationError(HEADER_ONLY)
    if errors:
        shown = errors[:MAX_REPORTED]
        more = f"；另有 {len(errors) - MAX_REPORTED} 处错误" if len(errors) > MAX_REPORTED else ""
        raise ValidationError("回盘文件有错误，未导入任何记录：" + "；".join(shown) + more)
    record = ReturnImport.objects.create(batch=batch, filename=filename[:255], sha256=hashlib.sha256(content).hexdigest(),
                                         rows=len(seen), paid_count=paid, failed_count=failed, already_count=already,
                                         imported_by=actor.username)
    copy_rows(BankReturn._meta.db_table, ("line_id", "imported_id", "outcome", "reason"),
              [(line_id, record.pk, outcome, reason) for line_id, outcome, reason in rows])
    returns_recorded({line_id: outcome for line_id, outcome, _ in rows})
    audit_record(actor=actor, action="payments.returns.import", object_type="PaymentBatch", object_id=batch.number,
                 changes={"file": filename, "sha256": record.sha256, "rows": len(seen), "paid": paid, "failed": failed,
                          "already": already})
    return record


def return_file_for(batch: PaymentBatch, failures: dict[int, str] | None = None) -> bytes:
    """A return file as the bank would send it for ``batch``'s stored bank
    file: every line paid except ``failures`` (序号 → reason). For tests,
    the benchmark and demonstrations."""
    failures = failures or {}
    bank_file = BankFile.objects.get(batch=batch, kind=FileKind.BANK_CSV)
    reader = csv.reader(io.StringIO(file_bytes(bank_file).decode("utf-8-sig")))
    next(reader)
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\r\n")
    writer.writerow(RETURN_HEADER)
    for seq, _name, _id, account, amount, _purpose, number in reader:
        if seq == "合计":
            writer.writerow(("合计", _name.removeprefix("共").removesuffix("笔"), "", amount, "", ""))
            continue
        reason = failures.get(int(seq), "")
        writer.writerow((number, seq, account, amount, "失败" if reason else "成功", reason))
    return out.getvalue().encode("utf-8")
