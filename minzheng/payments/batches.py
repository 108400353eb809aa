"""Payment batches: preparation (``payments run``), maker-checker review and
approval, rejection, discarding a draft, adjustments and re-issue batches.

States: 草稿 → 已复核 → 已审批 → 已导出 → 已对账. The preparer may neither
review nor approve; the approver must also differ from the reviewer; approval
needs the bureau role. Lines of an approved batch never change.

Crash safety: a batch and all its lines are written in one transaction, so a
process killed at any point leaves either nothing or a complete draft; a
re-run adds only what is missing (``one_payment_per_beneficiary_program_month``
makes a second payment impossible even for code that bypasses this module).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.bounds import month_check
from minzheng.core.bulk_copy import copy_rows
from minzheng.core.errors import StateConflict
from minzheng.core.models import User
from minzheng.core.months import month_parse
from minzheng.core.permissions import NotPermitted, SeparationOfDuties, require
from minzheng.payments.beneficiaries import Entitlement, payable, program_known
from minzheng.payments.fund_split import Split, split_for
from minzheng.payments.models import (
    AccountStatus,
    BatchEvent,
    BatchKind,
    BatchNumberCounter,
    BatchStatus,
    PayeeAccount,
    PaymentBatch,
    PaymentLine,
    ReturnOutcome,
)
from policy import load_parameters

LINE_COLUMNS = ("batch_id", "seq", "kind", "program", "benefit_month", "beneficiary", "household_id", "person_id",
                "street_id", "committee_id", "account_id", "payee_name", "bank_name", "account_masked", "amount_fen",
                "city_fen", "district_fen", "amount_basis", "enrolment_id", "corrects_id", "note")



def actor_name(actor: User | str) -> str:
    return getattr(actor, "username", str(actor))


def parse_month(text: str) -> str:
    """``YYYY-MM`` or a Chinese error (one parser: ``core.months.month_parse``)."""
    return month_parse(text)


def record_event(batch: PaymentBatch, actor: User | str, from_status: str, note: str = "") -> None:
    BatchEvent.objects.create(batch=batch, from_status=from_status, to_status=batch.status, actor=actor_name(actor),
                              note=note)


def _next_number(prefix: str, month: str) -> str:
    """The next batch number for ``prefix`` and ``month``, e.g. FF202508000003.
    Taken under a row lock inside the caller's transaction: a rollback (or a
    killed process) gives the number back, so numbers are issued without gaps."""
    key = f"{prefix}{month.replace('-', '')}"
    counter, _ = BatchNumberCounter.objects.select_for_update().get_or_create(key=key)
    if counter.last == 0:  # first use of this key: continue after numbers issued before counters existed
        existing = PaymentBatch.objects.filter(number__startswith=key).values_list("number", flat=True)
        counter.last = max((int(n[len(key):]) for n in existing if n[len(key):].isdigit()), default=0)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{key}{counter.last:06d}"


BATCH_PREFIX = {BatchKind.REGULAR: "FF", BatchKind.REISSUE: "CF", BatchKind.ONE_OFF: "YC"}


def new_batch(*, program: str, month: str, kind: str, actor: User, split: Split,
              decision_run_id: int | None = None) -> PaymentBatch:
    """A new empty batch (number FF/CF/YC + month + sequence) and its first event."""
    prefix = BATCH_PREFIX[BatchKind(kind)]
    batch = PaymentBatch.objects.create(number=_next_number(prefix, month), program=program, month=month, kind=kind,
                                        prepared_by=actor_name(actor), preparers=[actor_name(actor)],
                                        fund_split=split.as_json(), decision_run_id=decision_run_id)
    record_event(batch, actor, "", "生成批次")
    return batch


def _mark_preparer(batch: PaymentBatch, actor: User) -> None:
    """Whoever changes a batch's lines becomes one of its preparers."""
    name = actor_name(actor)
    if name not in batch.preparers:
        batch.preparers = [*batch.preparers, name]
        batch.save(update_fields=["preparers"])


def is_preparer(batch: PaymentBatch, actor: User) -> bool:
    return actor.username == batch.prepared_by or actor.username in (batch.preparers or [])


def write_lines(batch: PaymentBatch, rows: list[tuple], *, actor: User,
                columns: tuple[str, ...] = LINE_COLUMNS) -> int:
    """Append lines (tuples in ``columns`` order without batch/seq) and
    move the batch's control totals; ``actor`` becomes a preparer. Caller
    holds the transaction. ``columns`` extends ``LINE_COLUMNS`` at the end
    only (an organisation's one-off lines add ``organisation_id``)."""
    if not rows:
        return 0
    assert columns[:len(LINE_COLUMNS)] == LINE_COLUMNS
    start = (batch.lines.aggregate(m=Max("seq"))["m"] or 0) + 1
    full = [(batch.pk, start + i, *row) for i, row in enumerate(rows)]
    copy_rows(PaymentLine._meta.db_table, columns, full)
    _mark_preparer(batch, actor)
    amount_at = LINE_COLUMNS.index("amount_fen")
    city_at = LINE_COLUMNS.index("city_fen")
    batch.control_count += len(full)
    batch.control_total_fen += sum(r[amount_at] for r in full)
    batch.control_city_fen += sum(r[city_at] for r in full)
    batch.control_district_fen += sum(r[city_at + 1] for r in full)
    batch.save(update_fields=["control_count", "control_total_fen", "control_city_fen", "control_district_fen"])
    return len(full)


def _entitlement_rows(program: str, entitlements: list[Entitlement], accounts: dict, split: Split) -> list[tuple]:
    order = sorted(entitlements, key=lambda e: (e.kind != "regular", e.street_id, e.committee_id, e.beneficiary,
                                                e.benefit_month))
    rows = []
    for e in order:
        account_id, bank, holder, masked = accounts[e.payee_id]
        city = split.city_fen(e.amount_fen)
        rows.append((e.kind, program, e.benefit_month, e.beneficiary, e.household_id, e.payee_id, e.street_id,
                     e.committee_id, account_id, holder, bank, masked, e.amount_fen, city, e.amount_fen - city,
                     e.amount_basis, e.enrolment_id, None, ""))
    return rows


@dataclass
class RunResult:
    batch: PaymentBatch
    created: bool
    added: int
    skipped: dict


@functools.cache
def program_first_month(program: str) -> str | None:
    """The first month any parameter of ``program`` is in force (``None`` for a
    one-off grant, paid in the month it was defined for)."""
    firsts = [min(entry.effective for entry in parameter.entries) for parameter in load_parameters()
              if parameter.name.startswith(f"{program}.") and parameter.entries]
    return f"{min(firsts):%Y-%m}" if firsts else None


def batch_month(program: str, month: str, label: str = "发放月份") -> str:
    """The month of a batch of ``program``, or a Chinese ``ValidationError``:
    within the platform's bounds (``core.bounds.month_check``: not before
    2000-01, not more than one month ahead of today) and not before the
    program's known parameters (no amount could be computed). One rule for the
    page, the command line and the API (all call ``batch_run``)."""
    month = month_check(month, label)
    first = program_first_month(program)
    if first and month < first:
        raise ValidationError(f"{label}“{month}”早于该救助项目的政策参数（自 {first} 起），不能生成批次")
    return month


Progress = Callable[[str, int | None, int | None], None]


def _silent(stage: str, done: int | None = None, total: int | None = None) -> None:
    return None


def batch_run(*, actor: User, program: str, month: str, progress: Progress | None = None) -> RunResult:
    """Prepare (or complete) the month's regular batch of ``program``.

    Idempotent: a second run adds only lines still missing to a draft batch,
    and leaves a batch that is reviewed or later untouched. One transaction;
    one audit entry with the counts. Prepared by a staff member in person
    (the command line names one with ``--as``), never an anonymous job —
    the background job ``payments_batch_run`` runs as the staff member who
    started it, who becomes the preparer (ADR 0017).
    ``progress(stage, done, total)`` hears 核对应发对象 and 写入发放明细."""
    actor = require_person(actor, "制单", "payments.prepare")
    report = progress or _silent
    if not program_known(program):
        raise ValidationError(f"“{program}”不是按月发放现金的救助项目")
    month = batch_month(program, month)
    try:
        with transaction.atomic():
            batch = (PaymentBatch.objects.select_for_update()
                     .filter(program=program, month=month, kind=BatchKind.REGULAR).first())
            if batch is not None and batch.status != BatchStatus.DRAFT:
                return RunResult(batch, False, 0, {})
            report("核对应发对象", None, None)
            found = payable(program, month)
            split = split_for(program, month)
            created = batch is None
            if created:
                from minzheng.eligibility import selectors as eligibility_selectors

                run = eligibility_selectors.current_run(month)
                batch = new_batch(program=program, month=month, kind=BatchKind.REGULAR, actor=actor, split=split,
                                   decision_run_id=run.pk if run else None)
            report("写入发放明细", 0, len(found.entitlements))
            added = write_lines(batch, _entitlement_rows(program, found.entitlements, found.accounts, split),
                                actor=actor)
            report("写入发放明细", len(found.entitlements), len(found.entitlements))
            batch.skipped = dict(found.skipped)
            batch.save(update_fields=["skipped"])
            backpay = sum(1 for e in found.entitlements if e.kind == "backpay")
            audit_record(actor=actor, action="payments.batch.run", object_type="PaymentBatch", object_id=batch.number,
                         changes={"program": program, "month": month, "created": created, "added_lines": added,
                                  "backpay_lines": backpay, "skipped": dict(found.skipped),
                                  "control_count": batch.control_count, "control_total_fen": batch.control_total_fen})
    except IntegrityError as err:
        raise StateConflict("该项目该月的批次正在由另一进程生成，或其中已有相同对象的发放记录，请稍后重试") from err
    return RunResult(batch, created, added, dict(found.skipped))


def locked(batch: PaymentBatch) -> PaymentBatch:
    return PaymentBatch.objects.select_for_update().get(pk=batch.pk)


def require_person(actor: User | str, what: str, action: str) -> User:
    """A staff member in person (not a command-line job) who may take ``action``."""
    if isinstance(actor, str):
        raise NotPermitted(action, f"{what}须由工作人员本人在系统中办理")
    require(actor, action)
    return actor


@transaction.atomic
def batch_review(*, actor: User, batch: PaymentBatch, note: str = "") -> PaymentBatch:
    """复核: a second person checks the draft (not the preparer)."""
    require_person(actor, "复核", "payments.review")
    batch = locked(batch)
    if batch.status != BatchStatus.DRAFT:
        raise StateConflict(f"批次状态为“{batch.get_status_display()}”，不能复核")
    if is_preparer(batch, actor):
        raise SeparationOfDuties("制单人不能复核自己制作的批次（生成、补充、删除或调整过明细的人员都是制单人）")
    if batch.control_count == 0:
        raise ValidationError("批次没有发放明细，不能复核")
    batch.status, batch.reviewed_by, batch.reviewed_at = BatchStatus.REVIEWED, actor.username, timezone.now()
    batch.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    record_event(batch, actor, BatchStatus.DRAFT, note)
    audit_record(actor=actor, action="payments.batch.review", object_type="PaymentBatch", object_id=batch.number,
                 changes={"from": "draft", "to": "reviewed", "note": note})
    return batch


@transaction.atomic
def batch_approve(*, actor: User, batch: PaymentBatch, note: str = "") -> PaymentBatch:
    """审批 (bureau role): neither the preparer nor the reviewer. The lines
    must still add up to the control totals."""
    from minzheng.payments.reconciliation import line_totals

    require_person(actor, "审批", "payments.approve")
    batch = locked(batch)
    if batch.status != BatchStatus.REVIEWED:
        raise StateConflict(f"批次状态为“{batch.get_status_display()}”，须先复核再审批")
    if is_preparer(batch, actor):
        raise SeparationOfDuties("制单人不能审批自己制作的批次（制单与审批须由不同人员办理）")
    if actor.username == batch.reviewed_by:
        raise SeparationOfDuties("复核人不能再审批同一批次")
    totals = line_totals(batch)
    if (totals["count"], totals["amount_fen"]) != (batch.control_count, batch.control_total_fen):
        raise ValidationError("发放明细与批次控制数不符，不能审批")
    batch.status, batch.approved_by, batch.approved_at = BatchStatus.APPROVED, actor.username, timezone.now()
    batch.save(update_fields=["status", "approved_by", "approved_at"])
    record_event(batch, actor, BatchStatus.REVIEWED, note)
    audit_record(actor=actor, action="payments.batch.approve", object_type="PaymentBatch", object_id=batch.number,
                 changes={"from": "reviewed", "to": "approved", "count": batch.control_count,
                          "total_fen": batch.control_total_fen, "note": note})
    return batch


@transaction.atomic
def batch_reject(*, actor: User, batch: PaymentBatch, reason: str) -> PaymentBatch:
    """Send a reviewed batch back to draft (复核/审批不通过)."""
    require_person(actor, "退回", "payments.review")
    batch = locked(batch)
    if batch.status != BatchStatus.REVIEWED:
        raise StateConflict("只有已复核、未审批的批次可以退回")
    if not reason.strip():
        raise ValidationError("请填写退回原因")
    batch.status, batch.reviewed_by, batch.reviewed_at = BatchStatus.DRAFT, "", None
    batch.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    record_event(batch, actor, BatchStatus.REVIEWED, reason.strip())
    audit_record(actor=actor, action="payments.batch.reject", object_type="PaymentBatch", object_id=batch.number,
                 changes={"from": "reviewed", "to": "draft", "reason": reason.strip()})
    return batch


@transaction.atomic
def batch_discard(*, actor: User | str, batch: PaymentBatch, reason: str) -> None:
    """Delete a draft batch and its lines (e.g. prepared on wrong data);
    the audit entry keeps the counts. Approved batches are never deleted."""
    require(actor, "payments.prepare", allow_job=True)
    batch = locked(batch)
    if batch.status != BatchStatus.DRAFT:
        raise StateConflict(f"批次状态为“{batch.get_status_display()}”，只有草稿可以作废")
    if not reason.strip():
        raise ValidationError("请填写作废原因")
    changes = {"program": batch.program, "month": batch.month, "count": batch.control_count,
               "total_fen": batch.control_total_fen, "reason": reason.strip()}
    number = batch.number
    from minzheng.payments.one_off import release_lines

    released = release_lines(PaymentLine.objects.filter(batch=batch).values_list("pk", flat=True))
    if released:
        changes["one_off_requeued"] = released
    PaymentLine.objects.filter(batch=batch).delete()
    batch.delete()
    audit_record(actor=actor, action="payments.batch.discard", object_type="PaymentBatch", object_id=number,
                 changes=changes)


def _require_draft(batch: PaymentBatch) -> None:
    if batch.status != BatchStatus.DRAFT:
        raise StateConflict(f"批次“{batch.number}”已{batch.get_status_display()}，不能再修改；"
                              "更正请在以后的批次中以调整明细办理")


@transaction.atomic
def line_remove(*, actor: User, line: PaymentLine, reason: str) -> None:
    """Take one line out of a draft batch (e.g. found wrong at review). The
    month stays unpaid and is back-paid by a later batch if still due. The
    actor becomes a preparer of the batch."""
    actor = require_person(actor, "删除发放明细", "payments.prepare")
    batch = locked(line.batch)
    _require_draft(batch)
    if not reason.strip():
        raise ValidationError("请填写删除原因")
    batch.control_count -= 1
    batch.control_total_fen -= line.amount_fen
    batch.control_city_fen -= line.city_fen
    batch.control_district_fen -= line.district_fen
    batch.save(update_fields=["control_count", "control_total_fen", "control_city_fen", "control_district_fen"])
    _mark_preparer(batch, actor)
    from minzheng.payments.death_holds import hold_dropped_with_line
    from minzheng.payments.one_off import release_lines

    hold_dropped_with_line(line)
    release_lines([line.pk])
    audit_record(actor=actor, action="payments.line.remove", object_type="PaymentBatch", object_id=batch.number,
                 scope_code=line.committee_id,
                 changes={"seq": line.seq, "beneficiary": line.beneficiary, "month": line.benefit_month,
                          "amount_fen": line.amount_fen, "reason": reason.strip()})
    line.delete()


def _account_row(person_id: int) -> PayeeAccount:
    account = PayeeAccount.objects.filter(person_id=person_id, status=AccountStatus.ACTIVE).first()
    if account is None:
        raise ValidationError("收款人没有有效的代发账户，请先登记账户")
    return account


def _batch_split(batch: PaymentBatch) -> Split:
    """The fund split snapshotted on ``batch`` (or the month's split for an old batch without one)."""
    if batch.fund_split:
        return Split(**{k: batch.fund_split.get(k) for k in ("program", "city_share_bp", "effective_month", "basis",
                                                             "verified")})
    return split_for(batch.program, batch.month)


def adjustment_rows(batch: PaymentBatch, corrections: list[tuple[PaymentLine, int, str]]) -> list[tuple]:
    """Lines (``write_lines`` rows) topping up ``(approved line, amount, reason)``
    in the draft ``batch``, checked one by one against the rule of
    ``adjustment_add`` (ADR 0008 §4): the corrected line is in a final batch
    of the same program, the amount is positive, a reason is given and the
    payee has an active account. The caller holds the lock on ``batch``."""
    _require_draft(batch)
    split = _batch_split(batch)
    lines = PaymentLine.objects.select_related("batch").in_bulk([line.pk for line, _, _ in corrections])
    accounts = {a.person_id: a for a in PayeeAccount.objects.filter(
        person_id__in={line.person_id for line in lines.values()}, status=AccountStatus.ACTIVE)}
    rows = []
    for line, amount_fen, reason in corrections:
        corrects = lines[line.pk]
        if not corrects.batch.is_final:
            raise ValidationError("只能更正已审批批次中的发放明细；草稿中的明细可直接删除后重新生成")
        if corrects.batch_id == batch.pk or corrects.program != batch.program:
            raise ValidationError("调整明细应列入同一项目的后续批次")
        if amount_fen <= 0:
            raise ValidationError("补差金额必须大于0；多发的金额请办理追缴")
        if not reason.strip():
            raise ValidationError("请填写调整原因")
        account = accounts.get(corrects.person_id)
        if account is None:
            raise ValidationError("收款人没有有效的代发账户，请先登记账户")
        city = split.city_fen(amount_fen)
        rows.append(("adjustment", batch.program, corrects.benefit_month, corrects.beneficiary,
                     corrects.household_id, corrects.person_id, corrects.street_id, corrects.committee_id,
                     account.pk, account.holder_name, account.bank_name, account.number_masked, amount_fen,
                     city, amount_fen - city, "adjustment", corrects.enrolment_id, corrects.pk,
                     reason.strip()[:200]))
    return rows


@transaction.atomic
def adjustment_add(*, actor: User, batch: PaymentBatch, corrects: PaymentLine, amount_fen: int,
                   reason: str) -> PaymentLine:
    """Add a top-up (补差) line to a later draft batch of the same program,
    linked to the approved line it corrects. Overpayments are not negative
    lines: they are recovered (``recovery``). Many top-ups at once after a
    re-computation: ``settlement.settlement_apply`` (same rule, ``adjustment_rows``)."""
    actor = require_person(actor, "调整发放明细", "payments.prepare")
    batch = locked(batch)
    rows = adjustment_rows(batch, [(corrects, amount_fen, reason)])
    corrects = PaymentLine.objects.select_related("batch").get(pk=corrects.pk)
    write_lines(batch, rows, actor=actor)
    line = batch.lines.order_by("-seq").first()
    audit_record(actor=actor, action="payments.line.adjust", object_type="PaymentBatch", object_id=batch.number,
                 scope_code=corrects.committee_id,
                 changes={"corrects": corrects.pk, "corrects_batch": corrects.batch.number, "amount_fen": amount_fen,
                          "reason": reason.strip()})
    return line


def failed_lines_to_reissue(program: str | None = None):
    """Failed lines not yet re-issued (the correction list, unscoped)."""
    qs = PaymentLine.objects.filter(bank_return__outcome=ReturnOutcome.FAILED).exclude(
        corrections__kind="reissue")
    if program:
        qs = qs.filter(program=program)
    return qs


@transaction.atomic
def reissue_batch_create(*, actor: User, program: str, month: str) -> PaymentBatch | None:
    """Collect failed lines of ``program`` whose payee now has a corrected
    account (an active account other than the one that failed) into a new
    re-issue batch (same amounts, benefit months and fund split). Lines still
    waiting for a correction stay on the correction list."""
    actor = require_person(actor, "生成重发批次", "payments.prepare")
    month = batch_month(program, month, "重发月份")
    failed = list(failed_lines_to_reissue(program).select_related("batch"))
    accounts = {a.person_id: a for a in PayeeAccount.objects.filter(
        person_id__in=[f.person_id for f in failed], status=AccountStatus.ACTIVE)}
    ready = [f for f in failed if f.person_id in accounts and accounts[f.person_id].pk != f.account_id]
    if not ready:
        return None
    batch = new_batch(program=program, month=month, kind=BatchKind.REISSUE, actor=actor,
                       split=split_for(program, month))
    rows = []
    for f in sorted(ready, key=lambda line: (line.street_id, line.beneficiary, line.benefit_month)):
        a = accounts[f.person_id]
        rows.append(("reissue", program, f.benefit_month, f.beneficiary, f.household_id, f.person_id, f.street_id,
                     f.committee_id, a.pk, a.holder_name, a.bank_name, a.number_masked, f.amount_fen, f.city_fen,
                     f.district_fen, "reissue", f.enrolment_id, f.pk, f"重发 {f.batch.number} 第{f.seq}笔"))
    write_lines(batch, rows, actor=actor)
    audit_record(actor=actor, action="payments.batch.reissue", object_type="PaymentBatch", object_id=batch.number,
                 changes={"program": program, "month": month, "lines": len(rows),
                          "total_fen": batch.control_total_fen, "waiting_for_account": len(failed) - len(ready)})
    return batch
