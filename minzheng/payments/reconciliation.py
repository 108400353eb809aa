"""Reconciliation (对账) and the closed-loop check (闭环检查).

Per batch, to the fen: approved = paid + re-issued + failed awaiting
re-issue + not yet returned + held (已暂停发放: not in the bank file, never
returned; ``death_holds``). A failed line counts as re-issued once a
re-issue line for it sits in an approved (or later) batch; that line's own
outcome is reconciled in its own batch.

The closed-loop check flags any batch whose numbers don't hold: lines vs the
control totals, city + district vs amount, the bank file vs the control
totals, the returns vs the lines, re-issue amounts vs what they re-issue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.errors import StateConflict
from minzheng.core.models import User
from minzheng.payments.bank_files import expected_totals
from minzheng.payments.batches import locked, record_event, require_person
from minzheng.payments.models import (
    FINAL_STATUSES,
    BatchStatus,
    FileKind,
    LineKind,
    PaymentBatch,
    PaymentLine,
    ReturnOutcome,
)
from policy.money import format_fen


def line_totals(batch: PaymentBatch, lines: QuerySet[PaymentLine] | None = None) -> dict[str, int]:
    qs = lines if lines is not None else PaymentLine.objects.filter(batch=batch)
    row = qs.aggregate(count=Count("id"), amount_fen=Sum("amount_fen"), city_fen=Sum("city_fen"),
                       district_fen=Sum("district_fen"))
    return {k: v or 0 for k, v in row.items()}


@dataclass
class Reconciliation:
    batch: PaymentBatch
    approved: dict
    paid: dict
    failed: dict
    reissued: dict
    awaiting_reissue: dict
    not_returned: dict
    balanced: bool
    held: dict = field(default_factory=lambda: {"count": 0, "amount_fen": 0})
    problems: list[str] = field(default_factory=list)


def _sum(qs: QuerySet[PaymentLine]) -> dict[str, int]:
    row = qs.aggregate(count=Count("id"), amount_fen=Sum("amount_fen"))
    return {"count": row["count"] or 0, "amount_fen": row["amount_fen"] or 0}


def reconcile(batch: PaymentBatch, lines: QuerySet[PaymentLine] | None = None) -> Reconciliation:
    """The reconciliation of one batch (optionally restricted to ``lines``,
    e.g. a street's lines for street staff)."""
    qs = lines if lines is not None else PaymentLine.objects.filter(batch=batch)
    reissued_q = Q(corrections__kind=LineKind.REISSUE, corrections__batch__status__in=FINAL_STATUSES)
    approved = _sum(qs)
    paid = _sum(qs.filter(bank_return__outcome=ReturnOutcome.PAID))
    failed_qs = qs.filter(bank_return__outcome=ReturnOutcome.FAILED)
    failed = _sum(failed_qs)
    reissued = _sum(failed_qs.filter(reissued_q).distinct())
    awaiting = {"count": failed["count"] - reissued["count"], "amount_fen": failed["amount_fen"] - reissued["amount_fen"]}
    held_q = Q(hold__isnull=False, hold__released_at__isnull=True)
    held = _sum(qs.filter(held_q))
    not_returned = _sum(qs.filter(bank_return__isnull=True).exclude(held_q))
    balanced = all(approved[k] == paid[k] + reissued[k] + awaiting[k] + not_returned[k] + held[k]
                   for k in ("count", "amount_fen"))
    return Reconciliation(batch, approved, paid, failed, reissued, awaiting, not_returned, balanced, held=held)


@transaction.atomic
def batch_reconcile(*, actor: User, batch: PaymentBatch, note: str = "") -> PaymentBatch:
    """已导出 → 已对账, once every line has the bank's answer and the batch balances."""
    require_person(actor, "对账", "payments.disburse")
    batch = locked(batch)
    if batch.status != BatchStatus.EXPORTED:
        raise StateConflict(f"批次状态为“{batch.get_status_display()}”，导出并导入银行回盘后才能对账")
    result = reconcile(batch)
    if result.not_returned["count"]:
        raise ValidationError(f"还有 {result.not_returned['count']} 笔没有银行回盘结果，不能对账")
    problems = [p for b, p in closed_loop_problems(PaymentBatch.objects.filter(pk=batch.pk))]
    if not result.balanced or problems:
        raise ValidationError("对账不平：" + "；".join(problems or ["审批金额 ≠ 成功 + 失败"]))
    batch.status, batch.reconciled_at = BatchStatus.RECONCILED, timezone.now()
    batch.save(update_fields=["status", "reconciled_at"])
    record_event(batch, actor, BatchStatus.EXPORTED, note)
    audit_record(actor=actor, action="payments.batch.reconcile", object_type="PaymentBatch", object_id=batch.number,
                 changes={"approved": result.approved, "paid": result.paid, "failed": result.failed})
    return batch


def closed_loop_problems(batches: QuerySet[PaymentBatch]) -> list[tuple[PaymentBatch, str]]:
    """Every batch whose numbers don't reconcile, with the reason (Chinese)."""
    problems: list[tuple[PaymentBatch, str]] = []
    batches = batches.prefetch_related("files")
    held_q = Q(hold__isnull=False, hold__released_at__isnull=True)
    sums = {r["batch_id"]: r for r in PaymentLine.objects.filter(batch__in=batches).values("batch_id").annotate(
        count=Count("id"), amount=Sum("amount_fen"), city=Sum("city_fen"), district=Sum("district_fen"),
        returned=Count("bank_return"), held=Count("id", filter=held_q), held_amount=Sum("amount_fen", filter=held_q),
        held_returned=Count("bank_return", filter=held_q))}
    bad_reissues = dict(PaymentLine.objects.filter(batch__in=batches, kind=LineKind.REISSUE)
                        .exclude(amount_fen=F("corrects__amount_fen")).values("batch_id")
                        .annotate(n=Count("id")).values_list("batch_id", "n"))
    for batch in batches:
        s = sums.get(batch.pk, {"count": 0, "amount": 0, "city": 0, "district": 0, "returned": 0, "held": 0,
                                "held_amount": 0, "held_returned": 0})
        if (s["count"], s["amount"] or 0) != (batch.control_count, batch.control_total_fen):
            problems.append((batch, f"明细 {s['count']} 笔 {format_fen(s['amount'] or 0, grouping=True, unit='元')} 与控制数 {batch.control_count} 笔 "
                                    f"{format_fen(batch.control_total_fen, grouping=True, unit='元')} 不符"))
        if (s["city"] or 0) + (s["district"] or 0) != (s["amount"] or 0):
            problems.append((batch, "市级与区级资金之和不等于发放金额"))
        if (s["held"], s["held_amount"] or 0) != (batch.held_count, batch.held_total_fen):
            problems.append((batch, f"暂停发放明细 {s['held']} 笔与批次记录的暂停数 {batch.held_count} 笔不符"))
        if s["held_returned"]:
            problems.append((batch, "已暂停发放的明细却有银行回盘"))
        for f in batch.files.all():
            if (f.line_count, f.total_fen) != expected_totals(batch, f.kind):
                problems.append((batch, f"{FileKind(f.kind).label}的合计与批次控制数不符"))
        if batch.status == BatchStatus.RECONCILED and s["returned"] != s["count"] - s["held"]:
            problems.append((batch, "已对账批次仍有未回盘明细"))
        if batch.status in (BatchStatus.DRAFT, BatchStatus.REVIEWED, BatchStatus.APPROVED) and s["returned"]:
            problems.append((batch, "批次未导出却已有银行回盘"))
        if bad_reissues.get(batch.pk):
            problems.append((batch, f"{bad_reissues[batch.pk]} 笔重发金额与原失败明细不符"))
    return problems
