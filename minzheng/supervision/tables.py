"""The rectification-order list as a table (``core.lists``): labels, not codes."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone

from minzheng.core.lists import StaffTable
from minzheng.supervision.models import RectificationOrder

NOWRAP = {"td": {"class": "text-nowrap"}}


class OrderTable(StaffTable):
    facility = tables.Column("机构", accessor="inspection__facility__name",
                             linkify=lambda record: reverse("supervision:inspection_detail",
                                                            args=[record.inspection_id]))
    street = tables.Column("街镇", accessor="inspection__facility__street__name", attrs=NOWRAP)
    plan = tables.Column("检查计划", accessor="inspection__plan__name")
    issued_on = tables.DateColumn(verbose_name="下达日期", format="Y-m-d", attrs=NOWRAP)
    deadline = tables.DateColumn(verbose_name="整改期限", format="Y-m-d", attrs=NOWRAP)
    status = tables.Column("状态", attrs=NOWRAP)
    overdue = tables.Column("逾期", empty_values=(), orderable=False, attrs=NOWRAP)
    escalated_at = tables.DateTimeColumn(verbose_name="逾期上报", format="Y-m-d H:i", default="", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = RectificationOrder
        attrs = {**StaffTable.Meta.attrs, "id": "orders"}
        fields = ("facility", "street", "plan", "issued_on", "deadline", "status", "overdue", "escalated_at")
        sequence = fields

    def render_overdue(self, record):
        today = timezone.localdate()
        return f"逾期{(today - record.deadline).days}天" if record.is_overdue(today) else "否"
