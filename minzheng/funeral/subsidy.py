"""The seam to the basic funeral subsidy (基本殡葬服务补贴; REFERENCE §11:
up to 980 yuan per deceased at actual cost, for the listed groups).

Eligibility and the amount belong to ``minzheng.funeral_subsidies`` (its
port, ADR 0027: ``basic_subsidy_assess``, ``basic_subsidy_settle``); this
module only adapts an order to those two calls:

* :func:`subsidy_assess` — shown on the order page before settlement:
  eligible / not eligible / unknown, with the reasons, what is missing and
  the cap (None: the cap is not recorded — 参数缺失);
* :func:`subsidy_deduct` — at settlement, inside the settlement's
  transaction: the subsidies app records the grant for the order's basic cost
  (``billing``), idempotent per order number. Only a grant the subsidies app
  marks 已抵扣 is deducted, by its amount (min(cap, basic cost)); otherwise
  nothing is deducted and the bill says why (not eligible; eligibility not yet
  determined — the cost is kept on the deceased's grant for the bureau; the
  cap is missing).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from minzheng.core.personal_data import decrypt
from minzheng.funeral.models import FuneralOrder
from minzheng.funeral_subsidies.models import GrantStatus
from minzheng.funeral_subsidies.services import basic_subsidy_assess, basic_subsidy_settle


@dataclass(frozen=True)
class SubsidyView:
    eligible: bool | None  # None: unknown
    reasons: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    cap_fen: int | None = None

    @property
    def label(self) -> str:
        return {True: "符合补贴条件", False: "不符合补贴条件", None: "能否补贴尚不明确"}[self.eligible]


@dataclass(frozen=True)
class Deduction:
    amount_fen: int
    reason: str
    grant_ref: str = ""


def subsidy_assess(order: FuneralOrder) -> SubsidyView:
    a = basic_subsidy_assess(person=order.person, id_number=decrypt(order.deceased_id_enc),
                             death_date=order.death_date)
    return SubsidyView(a.eligible, list(a.reasons), list(a.missing), a.cap_fen)


def _why(view: SubsidyView) -> str:
    return "；".join(view.reasons + [f"缺少：{m}" for m in view.missing]) or "无说明"


def subsidy_deduct(*, actor, order: FuneralOrder, basic_cost_fen: int) -> Deduction:
    """Settle the basic subsidy for the order (inside the caller's transaction)."""
    if basic_cost_fen == 0:
        return Deduction(0, "未抵扣：订单没有基本殡葬服务项目")
    id_number = decrypt(order.deceased_id_enc)
    grant = basic_subsidy_settle(actor=actor, person=order.person, id_number=id_number, name=order.deceased_name,
                                 death_date=order.death_date, basic_cost_fen=basic_cost_fen,
                                 order_reference=order.number)
    if grant is None:
        view = subsidy_assess(order)
        if view.eligible is False:
            return Deduction(0, f"未抵扣：不符合基本殡葬服务补贴条件（{_why(view)}）")
        return Deduction(0, f"未抵扣：补贴资格待确认，费用已转区民政局核实后发放至家属账户（{_why(view)}）")
    if grant.status != GrantStatus.DEDUCTED or grant.amount_fen is None:
        return Deduction(0, f"未抵扣：{grant.status_reason or grant.get_status_display()}", str(grant.pk))
    reasons = "；".join(grant.reasons or [])
    return Deduction(int(grant.amount_fen),
                     f"基本殡葬服务补贴按实际费用抵扣，不超过最高额（{reasons or '符合补贴条件'}）", str(grant.pk))
