"""The cemetery list as a table (``core.lists``): labels, not codes; counts
summed over the sections; an unknown share as 无, a site without sections as 未登记."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse

from minzheng.cemeteries.models import Cemetery
from minzheng.cemeteries.selectors import Counts, counts_by_cemetery
from minzheng.core.lists import StaffTable

NOWRAP = {"td": {"class": "text-nowrap"}}




class CemeteryTable(StaffTable):
    name = tables.Column("名称", linkify=lambda record: reverse("cemeteries:cemetery_detail", args=[record.pk]))
    kind = tables.Column("类型", attrs=NOWRAP)
    street = tables.Column("所在街镇", accessor="street__name", attrs=NOWRAP)
    operator = tables.Column("经营（管理）单位")
    status = tables.Column("状态", attrs=NOWRAP)
    capacity = tables.Column("容量", empty_values=(), orderable=False, attrs=NOWRAP)
    sold = tables.Column("已售", empty_values=(), orderable=False, attrs=NOWRAP)
    used = tables.Column("已安葬", empty_values=(), orderable=False, attrs=NOWRAP)
    eco = tables.Column("节地生态占已售", empty_values=(), orderable=False, attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = Cemetery
        attrs = {**StaffTable.Meta.attrs, "id": "cemeteries"}
        fields = ("name", "kind", "street", "operator", "status", "capacity", "sold", "used", "eco")
        sequence = fields

    def _counts(self, record) -> Counts | None:
        if not hasattr(self, "_counts_map"):
            self._counts_map = counts_by_cemetery()  # one query for the page (sites are few)
        return self._counts_map.get(record.pk)

    def _count(self, record, field: str):
        counts = self._counts(record)
        return "未登记" if counts is None else getattr(counts, field)

    def render_capacity(self, record):
        return self._count(record, "capacity")

    def render_sold(self, record):
        return self._count(record, "sold")

    def render_used(self, record):
        return self._count(record, "used")

    def render_eco(self, record):
        counts = self._counts(record)
        if counts is None:
            return "未登记"
        share = counts.eco_share_sold
        return "无" if share is None else f"{share}%"
