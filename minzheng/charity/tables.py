"""Lists of 慈善超市 and 福利彩票 as tables (``core.lists``): labels, masked ID numbers."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse

from minzheng.charity.models import (
    Distribution,
    Donation,
    MonthlySales,
    Outlet,
    StockEntry,
    Supermarket,
)
from minzheng.core.lists import StaffTable
from policy.money import format_fen

NOWRAP = {"td": {"class": "text-nowrap"}}


def _goods(record) -> str:
    return "、".join(f"{line.item.name}×{line.quantity}{line.item.unit}" for line in record.lines.all()) or "—"


class SupermarketTable(StaffTable):
    name = tables.Column("名称", linkify=lambda record: reverse("charity:supermarket_detail", args=[record.pk]))
    operator = tables.Column("运营方")
    street = tables.Column("街镇", accessor="street__name", attrs=NOWRAP)
    committee = tables.Column("居村委", accessor="committee__name", default="—", attrs=NOWRAP)
    address = tables.Column("地址")
    opened_on = tables.DateColumn(verbose_name="开业日期", format="Y-m-d", attrs=NOWRAP)
    status = tables.Column("状态", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = Supermarket
        attrs = {**StaffTable.Meta.attrs, "id": "supermarkets"}
        fields = ("name", "operator", "street", "committee", "address", "opened_on", "status")
        sequence = fields


class DonationTable(StaffTable):
    received_on = tables.DateColumn(verbose_name="捐赠日期", format="Y-m-d", attrs=NOWRAP)
    supermarket = tables.Column("慈善超市", accessor="supermarket__name")
    kind = tables.Column("类型", attrs=NOWRAP)
    donor = tables.Column("捐赠方", empty_values=(), orderable=False)
    goods = tables.Column("物资或金额", empty_values=(), orderable=False)
    receipt_no = tables.Column("票据号", default="—")
    state = tables.Column("状态", empty_values=(), orderable=False, attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = Donation
        attrs = {**StaffTable.Meta.attrs, "id": "donations"}
        fields = ("received_on", "supermarket", "kind", "donor", "goods", "receipt_no", "state")
        sequence = fields

    def render_donor(self, record):
        return record.donor_name or record.get_donor_kind_display()

    def render_goods(self, record):
        return f"{format_fen(record.amount_fen)}元" if record.amount_fen is not None else _goods(record)

    def render_state(self, record):
        return "已冲正" if hasattr(record, "reversal") else "有效"


class DistributionTable(StaffTable):
    given_on = tables.DateColumn(verbose_name="发放日期", format="Y-m-d", attrs=NOWRAP)
    supermarket = tables.Column("慈善超市", accessor="supermarket__name")
    person = tables.Column("受助人", accessor="person__name")
    id_number = tables.Column("身份证号", accessor="person__id_number_masked", orderable=False, attrs=NOWRAP)
    goods = tables.Column("物资", empty_values=(), orderable=False)
    state = tables.Column("状态", empty_values=(), orderable=False, attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = Distribution
        attrs = {**StaffTable.Meta.attrs, "id": "distributions"}
        fields = ("given_on", "supermarket", "person", "id_number", "goods", "state")
        sequence = fields

    def render_goods(self, record):
        return _goods(record)

    def render_state(self, record):
        return "已冲正" if hasattr(record, "reversal") else "有效"


class LedgerTable(StaffTable):
    day = tables.DateColumn(verbose_name="日期", format="Y-m-d", attrs=NOWRAP)
    supermarket = tables.Column("慈善超市", accessor="supermarket__name")
    item = tables.Column("物品", accessor="item__name")
    kind = tables.Column("类型", attrs=NOWRAP)
    change = tables.Column("变动")
    balance = tables.Column("结存")
    recorded_by = tables.Column("登记人")

    class Meta(StaffTable.Meta):
        model = StockEntry
        attrs = {**StaffTable.Meta.attrs, "id": "ledger"}
        fields = ("day", "supermarket", "item", "kind", "change", "balance", "recorded_by")
        sequence = fields

    def render_change(self, value):
        return f"+{value}" if value > 0 else str(value)


class OutletTable(StaffTable):
    code = tables.Column("网点编号", attrs=NOWRAP)
    name = tables.Column("网点名称")
    street = tables.Column("街镇", accessor="street__name", attrs=NOWRAP)
    address = tables.Column("地址")
    status = tables.Column("状态", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = Outlet
        attrs = {**StaffTable.Meta.attrs, "id": "outlets"}
        fields = ("code", "name", "street", "address", "status")
        sequence = fields


class SalesTable(StaffTable):
    month = tables.Column("月份", attrs=NOWRAP)
    code = tables.Column("网点编号", accessor="outlet__code", attrs=NOWRAP)
    outlet = tables.Column("网点名称", accessor="outlet__name")
    street = tables.Column("街镇", accessor="street__name", attrs=NOWRAP)
    sales_fen = tables.Column("销售额（元）", attrs=NOWRAP)
    fund = tables.Column("公益金（元）", empty_values=(), orderable=False, attrs=NOWRAP)
    fund_source = tables.Column("公益金来源", empty_values=(), orderable=False, attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = MonthlySales
        attrs = {**StaffTable.Meta.attrs, "id": "sales"}
        fields = ("month", "code", "outlet", "street", "sales_fen", "fund", "fund_source")
        sequence = fields

    def __init__(self, *args, rates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rates = list(rates)

    def render_sales_fen(self, value):
        return format_fen(value)

    def render_fund(self, record):
        from minzheng.charity.selectors import fund_of

        fen, _source = fund_of(record, self.rates)
        return "参数缺失" if fen is None else format_fen(fen)

    def render_fund_source(self, record):
        from minzheng.charity.selectors import fund_of

        return fund_of(record, self.rates)[1]
