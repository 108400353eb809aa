"""The order list as a table (``core.lists``): masked ID numbers, Chinese labels, amounts in yuan."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from minzheng.core.lists import StaffTable
from minzheng.core.templatetags.minzheng_format import cn_date, yuan
from minzheng.funeral.models import FuneralOrder

NOWRAP = {"td": {"class": "text-nowrap"}}


class OrderTable(StaffTable):
    number = tables.Column("订单编号", attrs=NOWRAP, linkify=lambda record: reverse("funeral:order_detail",
                                                                                   args=[record.pk]))
    ordered_on = tables.Column("下单日期", attrs=NOWRAP)
    deceased = tables.Column("逝者", empty_values=(), order_by=("deceased_name",))
    channel = tables.Column("受理渠道", attrs=NOWRAP)
    status = tables.Column("状态", attrs=NOWRAP)
    total_fen = tables.Column("费用合计", attrs=NOWRAP)
    subsidy_fen = tables.Column("补贴抵扣", attrs=NOWRAP)
    payment_status = tables.Column("付款", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = FuneralOrder
        attrs = {**StaffTable.Meta.attrs, "id": "orders"}
        fields = ("number", "ordered_on", "deceased", "channel", "status", "total_fen", "subsidy_fen", "payment_status")
        sequence = fields

    def render_ordered_on(self, value) -> str:
        return cn_date(value)

    def render_deceased(self, record):
        return format_html('{}<div class="small text-secondary font-monospace">{}</div>', record.deceased_name,
                           record.deceased_id_masked)

    def value_deceased(self, record) -> str:
        return f"{record.deceased_name} {record.deceased_id_masked}"

    def render_channel(self, record) -> str:
        return record.get_channel_display()

    def render_status(self, record) -> str:
        return record.get_status_display()

    def render_total_fen(self, value) -> str:
        return yuan(value)

    def render_subsidy_fen(self, value) -> str:
        return yuan(value)

    def render_payment_status(self, record) -> str:
        return record.get_payment_status_display() if record.total_fen is not None else "未结算"
