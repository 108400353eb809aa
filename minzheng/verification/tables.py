"""The verification queue as a table (sorting, paging, Excel export: ``core.lists``).
Households are shown by their head of household; statuses by their Chinese label."""

from __future__ import annotations

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse

from minzheng.core.lists import StaffTable
from minzheng.core.templatetags.minzheng_format import cn_date
from minzheng.registry.selectors import household_heads
from minzheng.verification.models import VerificationRequest

NOWRAP = {"td": {"class": "text-nowrap"}}


class RequestTable(StaffTable):
    reference = tables.Column("核对编号", attrs=NOWRAP,
                              linkify=lambda record: reverse("verification:request_detail", args=[record.pk]))
    household = tables.Column("家庭", empty_values=(), orderable=False)
    street = tables.Column("街镇", attrs=NOWRAP, accessor="street__name", order_by=("street_id",))
    committee = tables.Column("居村委", attrs=NOWRAP, accessor="committee__name", order_by=("committee_id",))
    purpose = tables.Column("核对用途", attrs=NOWRAP)
    status = tables.Column("状态")
    created_at = tables.Column("委托时间", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = VerificationRequest
        attrs = {**StaffTable.Meta.attrs, "id": "requests"}
        fields = ("reference", "household", "street", "committee", "purpose", "status", "created_at")
        sequence = fields

    def render_household(self, record: VerificationRequest) -> str:
        return render_to_string("verification/cells/household.html", {"vr": record})

    def value_household(self, record: VerificationRequest) -> str:
        heads = household_heads(record.household)
        if not heads:
            return f"无在册户主的家庭 · {record.household.address}"
        return f"{heads[0].person.name}家 {heads[0].person.id_number_masked} · {record.household.address}"

    def render_status(self, record: VerificationRequest) -> str:
        return render_to_string("verification/cells/status.html", {"vr": record})

    def value_status(self, record: VerificationRequest) -> str:
        return record.get_status_display()

    def render_created_at(self, value) -> str:
        return cn_date(value)
