"""The funeral-subsidy list as a table (``core.lists``): the deceased by name
and masked ID number, kind/status by their Chinese label, amount in yuan
(未知 when not yet known, never 0)."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from minzheng.core.lists import StaffTable
from minzheng.core.templatetags.minzheng_format import cn_date, yuan
from minzheng.funeral_subsidies.models import Grant

NOWRAP = {"td": {"class": "text-nowrap"}}


class GrantTable(StaffTable):
    deceased_name = tables.Column("逝者", linkify=lambda record: reverse("funeral_subsidies:grant_detail",
                                                                        args=[record.pk]))
    kind = tables.Column("补贴类别", attrs=NOWRAP)
    death_date = tables.Column("死亡日期", attrs=NOWRAP)
    street = tables.Column("街镇", accessor="street__name", default="—", attrs=NOWRAP)
    amount_fen = tables.Column("补贴金额", attrs=NOWRAP, empty_values=())
    payment_method = tables.Column("支付方式", attrs=NOWRAP, empty_values=())
    status = tables.Column("状态", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = Grant
        attrs = {**StaffTable.Meta.attrs, "id": "grants"}
        fields = ("deceased_name", "kind", "death_date", "street", "amount_fen", "payment_method", "status")
        sequence = fields

    def render_deceased_name(self, record, value):
        return format_html('{}<div class="small text-secondary font-monospace">{}</div>', value,
                           record.deceased_id_masked)

    def value_deceased_name(self, record):
        return f"{record.deceased_name} {record.deceased_id_masked}"

    def render_kind(self, record) -> str:
        return record.get_kind_display()

    def render_death_date(self, value) -> str:
        return cn_date(value)

    def render_amount_fen(self, value) -> str:
        return "未知" if value is None else yuan(value)

    def value_amount_fen(self, value) -> str:
        return "未知" if value is None else yuan(value)

    def render_payment_method(self, record) -> str:
        return record.get_payment_method_display() or "—"

    def render_status(self, record) -> str:
        return record.get_status_display()
