"""The register as a table (``core.lists``): labels, masked ID numbers."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse

from minzheng.children.models import Child
from minzheng.core.lists import StaffTable

NOWRAP = {"td": {"class": "text-nowrap"}}


class ChildTable(StaffTable):
    name = tables.Column("姓名", accessor="person__name",
                         linkify=lambda record: reverse("children:child_detail", args=[record.pk]))
    id_number = tables.Column("身份证号", accessor="person__id_number_masked", orderable=False, attrs=NOWRAP)
    birth_date = tables.DateColumn(verbose_name="出生日期", accessor="person__birth_date", format="Y-m-d",
                                   attrs=NOWRAP)
    street = tables.Column("街镇", accessor="street__name", attrs=NOWRAP)
    committee = tables.Column("居村委", accessor="committee__name", attrs=NOWRAP)
    categories = tables.Column("类别", empty_values=(), orderable=False)
    registered_on = tables.DateColumn(verbose_name="纳入日期", format="Y-m-d", attrs=NOWRAP)
    state = tables.Column("状态", empty_values=(), orderable=False, attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = Child
        attrs = {**StaffTable.Meta.attrs, "id": "children"}
        fields = ("name", "id_number", "birth_date", "street", "committee", "categories", "registered_on", "state")
        sequence = fields

    def render_categories(self, record):
        return "、".join(s.category.label for s in record.spells.all() if s.ended_on is None) or "—"

    def render_state(self, record):
        return f"已移出（{record.end_reason}）" if record.ended_on else "在册"
