"""The screening list as a table (``core.lists``): labels, masked ID numbers."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse

from minzheng.core.lists import StaffTable
from minzheng.dementia_care.models import Screening

NOWRAP = {"td": {"class": "text-nowrap"}}


class ScreeningTable(StaffTable):
    screened_on = tables.DateColumn(verbose_name="筛查日期", format="Y-m-d", attrs=NOWRAP,
                                    linkify=lambda record: reverse("dementia_care:screening_detail", args=[record.pk]))
    name = tables.Column("老年人", accessor="person__name")
    id_number = tables.Column("身份证号", accessor="person__id_number_masked", orderable=False, attrs=NOWRAP)
    street = tables.Column("街镇", accessor="street__name", attrs=NOWRAP)
    committee = tables.Column("居村委", accessor="committee__name", attrs=NOWRAP)
    tool = tables.Column("量表", accessor="tool__name")
    score = tables.Column("得分", attrs=NOWRAP)
    positive = tables.Column("按量表界值", empty_values=(), attrs=NOWRAP)
    risk_level = tables.Column("风险等级", attrs=NOWRAP)
    referral_to = tables.Column("转介", default="—")
    screener = tables.Column("筛查人")

    class Meta(StaffTable.Meta):
        model = Screening
        attrs = {**StaffTable.Meta.attrs, "id": "screenings"}
        fields = ("screened_on", "name", "id_number", "street", "committee", "tool", "score", "positive",
                  "risk_level", "referral_to", "screener")
        sequence = fields

    def render_positive(self, record):
        return "无界值" if record.positive is None else ("阳性" if record.positive else "阴性")
