"""The case list as a table (``core.lists``): names and ID numbers masked."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone

from minzheng.core.lists import StaffTable
from minzheng.core.personal_data import mask_name
from minzheng.minors_protection.models import Case, CaseStatus

NOWRAP = {"td": {"class": "text-nowrap"}}


class CaseTable(StaffTable):
    number = tables.Column("个案编号", linkify=lambda record: reverse("minors_protection:case_detail", args=[record.pk]),
                           attrs=NOWRAP)
    child = tables.Column("未成年人", accessor="child__name", orderable=False)
    id_number = tables.Column("身份证号", accessor="child__id_number_masked", orderable=False, attrs=NOWRAP)
    street = tables.Column("街镇", accessor="street__name", attrs=NOWRAP)
    kinds = tables.Column("情形", empty_values=(), orderable=False)
    urgency = tables.Column("紧急程度", attrs=NOWRAP)
    reported_at = tables.DateTimeColumn(verbose_name="接报时间", format="Y-m-d H:i", attrs=NOWRAP)
    special_protection = tables.BooleanColumn(verbose_name="特别保护", yesno="是,否")
    status = tables.Column("状态", attrs=NOWRAP)
    deadline = tables.Column("评估期限", empty_values=(), orderable=False, attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = Case
        attrs = {**StaffTable.Meta.attrs, "id": "minors-cases"}
        fields = ("number", "child", "id_number", "street", "kinds", "urgency", "reported_at", "special_protection",
                  "status", "deadline")
        sequence = fields

    def render_child(self, value):
        return mask_name(value)

    def value_child(self, value):
        return mask_name(value)

    def render_kinds(self, record):
        return "、".join(k.label for k in record.kinds.all())

    def render_deadline(self, record):
        due = timezone.localtime(record.assessment_due_at)
        if record.status != CaseStatus.REPORTED:
            return "已评估"
        late = " 已逾期" if record.assessment_due_at < timezone.now() else ""
        return f"{due:%Y-%m-%d %H:%M}{late}"
