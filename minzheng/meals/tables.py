"""Tables of the meal assistance lists (``core.lists``): labels, masked ID numbers, money from fen."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse

from minzheng.core.lists import StaffTable
from minzheng.meals.models import MealRecord, Settlement

NOWRAP = {"td": {"class": "text-nowrap"}}


def _yuan(fen) -> str:
    return "无数据" if fen is None else f"{fen / 100:,.2f} 元"


class RecordTable(StaffTable):
    day = tables.Column("用餐日期", attrs=NOWRAP)
    canteen = tables.Column("助餐点", accessor="canteen__name")
    name = tables.Column("姓名", accessor="person__name", attrs=NOWRAP)
    id_number = tables.Column("身份证号", accessor="person__id_number_masked", attrs=NOWRAP)
    slot = tables.Column("餐次", attrs=NOWRAP)
    kind = tables.Column("用餐方式", attrs=NOWRAP)
    subsidy_fen = tables.Column("补贴", attrs=NOWRAP)
    reason = tables.Column("不予补贴原因", empty_values=())

    class Meta(StaffTable.Meta):
        model = MealRecord
        attrs = {**StaffTable.Meta.attrs, "id": "meal-records"}
        fields = ("day", "canteen", "name", "id_number", "slot", "kind", "subsidy_fen", "reason")
        sequence = fields

    def render_subsidy_fen(self, value):
        return _yuan(value)

    def render_reason(self, value):
        return value or "—"


class SettlementTable(StaffTable):
    month = tables.Column("结算月份", linkify=lambda record: reverse("meals:settlement_detail", args=[record.pk]),
                          attrs=NOWRAP)
    canteen = tables.Column("助餐点", accessor="canteen__name")
    street = tables.Column("街镇", accessor="street__name", attrs=NOWRAP)
    meals = tables.Column("用餐人次", attrs=NOWRAP)
    subsidised_meals = tables.Column("补贴人次", attrs=NOWRAP)
    subsidy_fen = tables.Column("本月补贴", attrs=NOWRAP)
    adjustment_fen = tables.Column("补报补贴", attrs=NOWRAP)
    total_fen = tables.Column("应拨付", attrs=NOWRAP)
    status = tables.Column("状态", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = Settlement
        attrs = {**StaffTable.Meta.attrs, "id": "meal-settlements"}
        fields = ("month", "canteen", "street", "meals", "subsidised_meals", "subsidy_fen", "adjustment_fen",
                  "total_fen", "status")
        sequence = fields

    def render_subsidy_fen(self, value):
        return _yuan(value)

    def render_adjustment_fen(self, value):
        return _yuan(value)

    def render_total_fen(self, value):
        return _yuan(value)
