"""Files made from an approved batch: the bank payment file and the Excel
ledger of the batch. Both are stored as issued (``BankFile``); a later
download serves the stored file, never a re-rendering.

Bank payment file (CSV, UTF-8 with BOM, comma-separated, one header line):

    序号,姓名,证件号码,银行账号,金额,用途,批次号
    1,张小明,310117***********4,6224781234567890123,1250.00,2025年8月最低生活保障,FF202508000001
    …
    合计,共2笔,,,2500.00,,FF202508000001

* 证件号码 is masked (first 6 + last 4) — the bank matches name and account;
  the full number never leaves the platform.
* 银行账号 is the full account number (decrypted for the bank only).
* 金额 in yuan with two decimals; the last line is the total: 笔数 and 金额.
* Lines on hold (已暂停发放, ``death_holds``) are not in the bank file: its
  totals are the control totals less the batch's held count and amount. The
  Excel ledger lists every line (a held one marked 已暂停发放) and adds up to
  the control totals.

At rest every file is sealed with AES-256-GCM under ``MINZHENG_DATA_KEY``
(the cipher of ``core.personal_data``; the batch number and file kind are
the associated data, so a file cannot be passed off as another batch's).
``BankFile.sha256`` is the digest of the plaintext as issued; the plaintext
exists only in memory while a download is served. Downloads are for
district-level bureau and audit staff and are audited.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from openpyxl import Workbook

from minzheng.core.audit import audit_record
from minzheng.core.errors import StateConflict
from minzheng.core.models import Division, User
from minzheng.core.permissions import NotPermitted
from minzheng.core.personal_data import _aead, decrypt
from minzheng.core.spreadsheets import SafeCsvWriter, sheet_append
from minzheng.payments.batches import locked, record_event, require_person
from minzheng.payments.labels import program_label, purpose
from minzheng.payments.models import (
    BankFile,
    BatchStatus,
    FileKind,
    LineKind,
    PaymentBatch,
    PaymentLine,
)
from minzheng.payments.selectors import district_wide
from policy.money import format_fen

# 证件号码 of a line: the person's masked ID number, or an organisation payee's masked USCC (ADR 0032)
PAYEE_ID_MASKED = Coalesce("person__id_number_masked", "organisation__uscc_masked")
SEALED_MAGIC = b"MZPF1\n"  # sealed payments file, version 1: magic | 12-byte nonce | ciphertext+tag

BANK_HEADER = ("序号", "姓名", "证件号码", "银行账号", "金额", "用途", "批次号")
TOTAL_LABEL = "合计"
EXPORTABLE = (BatchStatus.APPROVED, BatchStatus.EXPORTED, BatchStatus.RECONCILED)


def unheld_lines(batch: PaymentBatch) -> QuerySet[PaymentLine]:
    """The lines of ``batch`` not on hold: what the bank is asked to pay."""
    return PaymentLine.objects.filter(batch=batch).filter(Q(hold__isnull=True) | Q(hold__released_at__isnull=False))


def expected_totals(batch: PaymentBatch, kind: str) -> tuple[int, int]:
    """(count, fen) a file of ``kind`` must carry: the bank file control − held, the ledger control."""
    if kind == FileKind.BANK_CSV:
        return batch.control_count - batch.held_count, batch.control_total_fen - batch.held_total_fen
    return batch.control_count, batch.control_total_fen


def bank_csv(batch: PaymentBatch) -> tuple[bytes, int, int]:
    """The bank payment file: (bytes, line count, total fen)."""
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\r\n")
    writer.writerow(BANK_HEADER)
    label = program_label(batch.program)
    count = total = 0
    rows = (unheld_lines(batch).order_by("seq")
            .annotate(payee_id_masked=PAYEE_ID_MASKED,
                      payee_number_enc=Coalesce("account__number_enc", "organisation__number_enc"))
            .values_list("seq", "payee_name", "payee_id_masked", "payee_number_enc", "amount_fen",
                         "benefit_month", "kind"))
    for seq, name, id_masked, number_enc, amount, month, kind in rows.iterator(10000):
        writer.writerow((seq, name, id_masked, decrypt(number_enc), format_fen(amount), purpose(label, month, kind),
                         batch.number))
        count += 1
        total += amount
    writer.writerow((TOTAL_LABEL, f"共{count}笔", "", "", format_fen(total), "", batch.number))
    return out.getvalue().encode("utf-8-sig"), count, total


def ledger_xlsx(batch: PaymentBatch) -> tuple[bytes, int, int]:
    """The batch's Excel ledger (masked account numbers): (bytes, count, total fen)."""
    names = dict(Division.objects.values_list("code", "name"))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("发放明细")
    label = program_label(batch.program)
    sheet_append(sheet, [f"{label} 发放明细台账  批次号 {batch.number}  发放月份 {batch.month}  状态 {batch.get_status_display()}"])
    sheet_append(sheet, ["序号", "街镇", "居村委", "姓名", "证件号码", "开户银行", "银行账号", "所属月份", "类型", "金额（元）",
                  "市级资金（元）", "区级资金（元）", "金额依据", "发放状态"])
    kinds = dict(LineKind.choices)
    held = set(PaymentLine.objects.filter(batch=batch, hold__isnull=False, hold__released_at__isnull=True)
               .values_list("seq", flat=True))
    count = total = city = district = 0
    rows = (PaymentLine.objects.filter(batch=batch).order_by("seq")
            .annotate(payee_id_masked=PAYEE_ID_MASKED)
            .values_list("seq", "street_id", "committee_id", "payee_name", "payee_id_masked", "bank_name",
                         "account_masked", "benefit_month", "kind", "amount_fen", "city_fen", "district_fen",
                         "amount_basis"))
    for seq, street, committee, name, id_masked, bank, account, month, kind, amount, c, d, basis in rows.iterator(10000):
        sheet_append(sheet, [seq, names.get(street, street), names.get(committee, committee), name, id_masked, bank, account,
                      month, kinds.get(kind, kind), amount / 100, c / 100, d / 100, basis,
                      "已暂停发放" if seq in held else ""])
        count += 1
        total += amount
        city += c
        district += d
    sheet_append(sheet, [TOTAL_LABEL, f"共{count}笔", "", "", "", "", "", "", "", total / 100, city / 100, district / 100, "",
                         f"其中已暂停发放{len(held)}笔" if held else ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), count, total


RENDERERS = {FileKind.BANK_CSV: (bank_csv, "csv"), FileKind.LEDGER_XLSX: (ledger_xlsx, "xlsx")}


def _associated(batch_number: str, kind: str) -> bytes:
    return f"minzheng.payments.bank_file:{batch_number}:{kind}".encode()


def seal(content: bytes, *, batch_number: str, kind: str) -> bytes:
    """Encrypt a file's bytes for storage (AES-256-GCM, fresh nonce)."""
    nonce = os.urandom(12)
    sealed = _aead(settings.MINZHENG_DATA_KEY).encrypt(nonce, content, _associated(batch_number, kind))
    return SEALED_MAGIC + nonce + sealed


def unseal(blob: bytes, *, batch_number: str, kind: str) -> bytes:
    """Reverse of :func:`seal`; refuses anything not sealed by it."""
    if not blob.startswith(SEALED_MAGIC):
        raise ValidationError("存储的导出文件不是加密格式，拒绝读取")
    raw = blob[len(SEALED_MAGIC):]
    return _aead(settings.MINZHENG_DATA_KEY).decrypt(raw[:12], raw[12:], _associated(batch_number, kind))


@transaction.atomic
def batch_export(*, actor: User, batch: PaymentBatch, kind: str = FileKind.BANK_CSV,
                 progress: Callable[[str, int | None, int | None], None] | None = None) -> BankFile:
    """Produce (once) and return a file of an approved batch. The first bank
    file moves the batch 已审批 → 已导出. Every export is audited.

    The totals are checked against the batch's control totals before anything
    is written; the file is stored sealed (see the module docstring).
    ``progress(stage, done, total)`` hears 生成文件 and 核对合计并加密保存
    (the background job ``payments_export``, ADR 0017)."""
    require_person(actor, "导出", "payments.disburse")
    report = progress or (lambda stage, done, total: None)
    batch = locked(batch)
    if batch.status not in EXPORTABLE:
        raise StateConflict(f"批次状态为“{batch.get_status_display()}”，审批后才能导出")
    if kind not in RENDERERS:
        raise ValidationError("未知的文件类型")
    existing = BankFile.objects.filter(batch=batch, kind=kind).first()
    if existing is None:
        render, extension = RENDERERS[FileKind(kind)]
        report("生成文件", None, None)
        content, count, total = render(batch)
        report("核对合计并加密保存", None, None)
        if (count, total) != expected_totals(batch, kind):
            raise ValidationError("导出文件的合计与批次控制数不符，已停止导出")
        existing = BankFile(batch=batch, kind=kind, sha256=hashlib.sha256(content).hexdigest(), line_count=count,
                            total_fen=total, created_by=actor.username)
        existing.file.save(f"{batch.number}-{kind}.{extension}",
                           ContentFile(seal(content, batch_number=batch.number, kind=kind)), save=False)
        try:
            existing.save()
        except BaseException:
            existing.file.delete(save=False)  # no orphan on disk when the row is not written
            raise
    if kind == FileKind.BANK_CSV and batch.status == BatchStatus.APPROVED:
        batch.status, batch.exported_at = BatchStatus.EXPORTED, timezone.now()
        batch.save(update_fields=["status", "exported_at"])
        record_event(batch, actor, BatchStatus.APPROVED, "导出银行代发文件")
        from minzheng.payments.one_off import requeue_held

        requeue_held(batch)
    audit_record(actor=actor, action="payments.batch.export", object_type="PaymentBatch", object_id=batch.number,
                 changes={"kind": kind, "sha256": existing.sha256, "lines": existing.line_count,
                          "total_fen": existing.total_fen, "status": batch.status})
    return existing


def file_bytes(bank_file: BankFile) -> bytes:
    """The plaintext of a stored file (decrypted in memory, digest checked)."""
    with bank_file.file.open("rb") as handle:
        blob = handle.read()
    content = unseal(blob, batch_number=bank_file.batch.number, kind=bank_file.kind)
    if hashlib.sha256(content).hexdigest() != bank_file.sha256:
        raise ValidationError("存储的导出文件与登记的 SHA-256 不符")
    return content


@transaction.atomic
def file_download(*, actor: User, batch: PaymentBatch, kind: str) -> tuple[BankFile, bytes]:
    """Read-only: an already exported file of ``batch`` (bureau or auditor);
    never exports. Audited as ``payments.batch.download``."""
    if not district_wide(actor):
        raise NotPermitted("payments.download")
    if kind not in RENDERERS:
        raise ValidationError("未知的文件类型")
    bank_file = BankFile.objects.filter(batch=batch, kind=kind).first()
    if bank_file is None:
        raise StateConflict("该文件尚未导出：请由区民政局工作人员在批次页面导出")
    content = file_bytes(bank_file)
    audit_record(actor=actor, action="payments.batch.download", object_type="PaymentBatch", object_id=batch.number,
                 changes={"kind": kind, "sha256": bank_file.sha256, "lines": bank_file.line_count,
                          "total_fen": bank_file.total_fen})
    return bank_file, content
