"""The adaptation list as a table (``core.lists``): labels, masked ID numbers."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse

from minzheng.core.lists import StaffTable
from minzheng.home_adaptations.models import Application

NOWRAP = {"td": {"class": "text-nowrap"}}


class ApplicationTable(StaffTable):
    number = tables.Column("申请编号", linkify=lambda record: reverse("home_adaptations:application_detail",
                                                                    args=[record.pk]), attrs=NOWRAP)
    name = tables.Column("老年人", accessor="elder__name")
    id_number = tables.Column("身份证号", accessor="elder__id_number_masked", orderable=False, attrs=NOWRAP)
    street = tables.Column("街镇", accessor="street__name", attrs=NOWRAP)
    committee = tables.Column("居村委", accessor="committee__name", attrs=NOWRAP)
    address = tables.Column("改造地址")
    status = tables.Column("状态", attrs=NOWRAP)
    applied_on = tables.DateColumn(verbose_name="申请日期", format="Y-m-d", attrs=NOWRAP)
    contractor = tables.Column("施工单位", accessor="contractor__name", default="—")
    accepted_on = tables.DateColumn(verbose_name="验收日期", format="Y-m-d", default="—", attrs=NOWRAP)
    subsidy = tables.Column("补贴金额（元）", accessor="subsidy_fen", default="—", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = Application
        attrs = {**StaffTable.Meta.attrs, "id": "adaptations"}
        fields = ("number", "name", "id_number", "street", "committee", "address", "status", "applied_on",
                  "contractor", "accepted_on", "subsidy")
        sequence = fields

    def render_subsidy(self, value):
        return f"{value / 100:.2f}"
