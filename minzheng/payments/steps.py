"""The maker-checker steps of a batch as a page shows them: who did each
step, which step is next, and which of the batch's actions the signed-in
user may take now (``batches`` enforces the same rules; a button shown
here is one the service will accept, and a user who may not act sees why).

制单 (prepare) → 复核 (review, not the preparer) → 审批 (approve, neither
the preparer nor the reviewer) → 导出 → 对账.
"""

from __future__ import annotations

from dataclasses import dataclass

from minzheng.core.models import User
from minzheng.core.permissions import can
from minzheng.payments.batches import is_preparer
from minzheng.payments.models import BatchStatus, PaymentBatch


@dataclass(frozen=True)
class Step:
    label: str
    actor: str  # account name ("" while not done)
    at: object
    done: bool
    current: bool


def timeline(batch: PaymentBatch) -> list[Step]:
    order = [BatchStatus.DRAFT, BatchStatus.REVIEWED, BatchStatus.APPROVED, BatchStatus.EXPORTED,
             BatchStatus.RECONCILED]
    reached = order.index(batch.status)
    rows = [("制单", batch.prepared_by, batch.prepared_at), ("复核", batch.reviewed_by, batch.reviewed_at),
            ("审批", batch.approved_by, batch.approved_at), ("导出代发文件", "", batch.exported_at),
            ("对账", "", batch.reconciled_at)]
    return [Step(label, actor if i <= reached else "", at if i <= reached else None, i <= reached, i == reached + 1)
            for i, (label, actor, at) in enumerate(rows)]


@dataclass(frozen=True)
class Allowed:
    review: bool = False
    approve: bool = False
    reject: bool = False
    discard: bool = False
    export: bool = False
    returns: bool = False
    reconcile: bool = False
    waiting: str = ""  # why the signed-in user has nothing to do now, in Chinese

    @property
    def any(self) -> bool:
        return any((self.review, self.approve, self.reject, self.discard, self.export, self.returns, self.reconcile))


def allowed(user: User, batch: PaymentBatch, *, district: bool) -> Allowed:
    """The actions ``user`` may take on ``batch`` now (district-level bureau staff only)."""
    if not district:
        return Allowed()
    me = user.username
    preparer = is_preparer(batch, user)
    status = batch.status
    if status == BatchStatus.DRAFT:
        review = can(user, "payments.review") and not preparer and batch.control_count > 0
        waiting = "" if review else ("待复核：须由制单人以外的区民政局工作人员复核" if preparer
                                     else "待复核")
        if batch.control_count == 0:
            waiting = "批次没有发放明细，不能复核"
        return Allowed(review=review, discard=can(user, "payments.prepare"), waiting=waiting)
    if status == BatchStatus.REVIEWED:
        approve = can(user, "payments.approve") and not preparer and me != batch.reviewed_by
        reject = can(user, "payments.review") and not preparer
        waiting = "" if approve else ("待审批：须由制单人、复核人以外的区民政局工作人员审批"
                                      if preparer or me == batch.reviewed_by else "待审批")
        return Allowed(approve=approve, reject=reject, waiting=waiting)
    disburse = can(user, "payments.disburse")
    if status in (BatchStatus.APPROVED, BatchStatus.EXPORTED):
        exported = status == BatchStatus.EXPORTED
        return Allowed(export=disburse, returns=disburse and exported, reconcile=disburse and exported,
                       waiting=("下一步：导入银行回盘文件，再确认对账" if exported else "下一步：导出银行代发文件（见“导出”）")
                       if disburse else "待导出代发文件和对账")
    return Allowed(export=disburse, waiting="批次已对账，办理完毕")
