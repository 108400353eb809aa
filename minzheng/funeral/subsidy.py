"""The seam to the basic funeral subsidy (基本殡葬服务补贴; REFERENCE §11:
up to 980 yuan per deceased at actual cost, for the listed groups).

Eligibility and the amount belong to ``minzheng.funeral_subsidies``
(``basic_subsidy_assess``, ``basic_subsidy_settle``); this module only adapts
an order to those two calls:

* :func:`subsidy_assess` — shown on the order page before settlement:
  eligible / not eligible / unknown, with the reasons and what is missing;
* :func:`subsidy_deduct` — at settlement, inside the settlement's transaction:
  the grant recorded by the subsidies app for the order's basic cost
  (``billing``), idempotent per order number; the amount deducted and why.

**Not connected yet**: until the subsidies app is merged, the assessment is
"unknown" with the Chinese reason 「基本殡葬服务补贴模块尚未接入」 and a
settlement deducts nothing, saying so on the bill — never a guessed amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from minzheng.core.personal_data import decrypt
from minzheng.funeral.models import FuneralOrder

NOT_CONNECTED = "基本殡葬服务补贴模块尚未接入（参数缺失），无法判断是否符合补贴条件"


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
    return SubsidyView(eligible=None, reasons=[NOT_CONNECTED], missing=["基本殡葬服务补贴模块"])


def subsidy_deduct(*, actor, order: FuneralOrder, basic_cost_fen: int) -> Deduction:
    decrypt(order.deceased_id_enc)  # the call will need the number
    return Deduction(0, f"未抵扣：{NOT_CONNECTED}")
