"""The facility list as a table (``core.lists``): labels, not codes; an
unrecorded figure as 未录入 (never 0)."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse

from minzheng.care_facilities.models import Facility
from minzheng.core.lists import StaffTable

NOWRAP = {"td": {"class": "text-nowrap"}}


class FacilityTable(StaffTable):
    name = tables.Column("名称", linkify=lambda record: reverse("care_facilities:detail", args=[record.pk]))
    kind = tables.Column("类型", attrs=NOWRAP)
    street = tables.Column("所在街镇", accessor="street__name", attrs=NOWRAP)
    committee = tables.Column("所在居村委", accessor="committee__name", attrs=NOWRAP)
    status = tables.Column("状态", attrs=NOWRAP)
    operating_since = tables.DateColumn(verbose_name="运营日期", format="Y-m-d", attrs=NOWRAP, default="—")
    beds = tables.Column("床位数", attrs=NOWRAP, default="未录入")
    dementia_beds = tables.Column("认知障碍照护床位", attrs=NOWRAP, default="未录入")
    operator_name = tables.Column("运营单位", default="未录入")

    class Meta(StaffTable.Meta):
        model = Facility
        attrs = {**StaffTable.Meta.attrs, "id": "facilities"}
        fields = ("name", "kind", "street", "committee", "status", "operating_since", "beds", "dementia_beds",
                  "operator_name")
        sequence = fields
