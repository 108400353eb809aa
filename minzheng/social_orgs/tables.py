"""The register as a table (``core.lists``): labels, not codes; an unrecorded
figure as 未录入 (never 0); the legal representative's ID never shown here."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse

from minzheng.core.lists import StaffTable
from minzheng.social_orgs.models import Organization
from policy.money import format_fen

NOWRAP = {"td": {"class": "text-nowrap"}}


class OrganizationTable(StaffTable):
    name = tables.Column("名称", linkify=lambda record: reverse("social_orgs:detail", args=[record.pk]))
    kind = tables.Column("类型", attrs=NOWRAP)
    uscc = tables.Column("统一社会信用代码", attrs=NOWRAP)
    supervisor = tables.Column("业务主管单位")
    legal_rep_name = tables.Column("法定代表人", attrs=NOWRAP)
    registered_on = tables.DateColumn(verbose_name="成立登记日期", format="Y-m-d", attrs=NOWRAP)
    status = tables.Column("登记状态", attrs=NOWRAP)
    party_status = tables.Column("党组织建立情况", default="未录入")
    registered_capital_fen = tables.Column("注册资金（元）", attrs=NOWRAP, default="未录入")
    street = tables.Column("所在街镇", accessor="street__name", attrs=NOWRAP, default="未录入")

    def render_registered_capital_fen(self, value: int) -> str:
        return format_fen(value)

    def value_registered_capital_fen(self, value: int | None) -> str:
        return "未录入" if value is None else format_fen(value)

    class Meta(StaffTable.Meta):
        model = Organization
        attrs = {**StaffTable.Meta.attrs, "id": "organizations"}
        fields = ("name", "kind", "uscc", "supervisor", "legal_rep_name", "registered_on", "status", "party_status",
                  "registered_capital_fen", "street")
        sequence = fields
