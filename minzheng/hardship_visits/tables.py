"""Lists of 探访关爱 as tables (``core.lists``): labels, masked ID numbers."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone

from minzheng.core.lists import StaffTable
from minzheng.hardship_visits.models import VisitTarget

NOWRAP = {"td": {"class": "text-nowrap"}}


class TargetTable(StaffTable):
    name = tables.Column("姓名", accessor="person__name",
                         linkify=lambda record: reverse("hardship_visits:target_detail", args=[record.pk]))
    id_number = tables.Column("身份证号", accessor="person__id_number_masked", orderable=False, attrs=NOWRAP)
    street = tables.Column("街镇", accessor="street__name", attrs=NOWRAP)
    committee = tables.Column("居村委", accessor="committee__name", attrs=NOWRAP)
    categories = tables.Column("类别", empty_values=(), orderable=False)
    frequency_days = tables.Column("探访周期（天）", attrs=NOWRAP)
    visitor = tables.Column("探访人员", accessor="visitor__name", default="未指派")
    last_visited_on = tables.DateColumn(verbose_name="最近探访", format="Y-m-d", default="尚未探访", attrs=NOWRAP)
    next_due_on = tables.DateColumn(verbose_name="下次应探访", format="Y-m-d", attrs=NOWRAP)
    state = tables.Column("状态", empty_values=(), orderable=False, attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = VisitTarget
        attrs = {**StaffTable.Meta.attrs, "id": "visit-targets"}
        fields = ("name", "id_number", "street", "committee", "categories", "frequency_days", "visitor",
                  "last_visited_on", "next_due_on", "state")
        sequence = fields

    def render_categories(self, record):
        return "、".join(c.label for c in record.categories.all())

    def render_state(self, record):
        if record.ended_on:
            return f"已移出（{record.end_reason}）"
        today = timezone.localdate()
        if record.next_due_on < today:
            return f"逾期{(today - record.next_due_on).days}天"
        return "按期"
