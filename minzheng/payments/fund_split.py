"""The fund-source split (市级 / 区级) of each payment.

No policy document cited in policy/parameters gives the shares, so the split is configuration data
(``FundSplit`` rows, per program, from a month on) and a program without a
row is paid 100 % from district funds — an assumption, marked unverified on
every batch that uses it (ADR 0008). The city share of a line is rounded half
up to the fen; the district share is the rest, so the two always add up.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from minzheng.core.audit import audit_record
from minzheng.core.models import User
from minzheng.core.months import month_parse
from minzheng.core.permissions import require
from minzheng.payments.models import FundSplit

DEFAULT_BASIS = "未配置：默认全部由区级资金承担（假设，待财政部门核实）"


@dataclass(frozen=True)
class Split:
    program: str
    city_share_bp: int
    effective_month: str
    basis: str
    verified: bool

    def city_fen(self, amount_fen: int) -> int:
        """City share of ``amount_fen``, half up (the district gets the rest)."""
        return (amount_fen * self.city_share_bp * 2 + 10000) // 20000

    def as_json(self) -> dict:
        return {"program": self.program, "city_share_bp": self.city_share_bp,
                "effective_month": self.effective_month, "basis": self.basis, "verified": self.verified}


def split_for(program: str, month: str) -> Split:
    """The split in force for ``program`` in ``month``."""
    row = (FundSplit.objects.filter(program=program, effective_month__lte=month)
           .order_by("-effective_month").first())
    if row is None:
        return Split(program, 0, "", DEFAULT_BASIS, False)
    return Split(program, row.city_share_bp, row.effective_month, row.basis, row.verified)


@transaction.atomic
def fund_split_record(*, actor: User, program: str, effective_month: str, city_share_bp: int,
                      basis: str, verified: bool = False) -> FundSplit:
    """Record the city share (in 1/10000) of a program from ``effective_month``."""
    require(actor, "payments.fund_split")
    month = month_parse(effective_month)
    if not 0 <= city_share_bp <= 10000:
        raise ValidationError("市级承担比例应在 0 到 10000（万分比）之间")
    if not basis.strip():
        raise ValidationError("请填写比例依据（文件号或说明）")
    row, created = FundSplit.objects.update_or_create(
        program=program, effective_month=month,
        defaults={"city_share_bp": city_share_bp, "basis": basis.strip(), "verified": verified,
                  "recorded_by": actor.username})
    audit_record(actor=actor, action="payments.fund_split.record", object_type="FundSplit", object_id=row.pk,
                 changes={"program": program, "effective_month": month, "city_share_bp": city_share_bp,
                          "basis": basis.strip(), "verified": verified, "created": created})
    return row
