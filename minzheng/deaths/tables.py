"""The death record list as a table (``core.lists``): names with masked ID
numbers, sources and status by their Chinese labels."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from minzheng.core.lists import StaffTable
from minzheng.core.templatetags.minzheng_format import cn_date
from minzheng.deaths.models import DeathRecord, SourceKind

NOWRAP = {"td": {"class": "text-nowrap"}}
SOURCE_LABELS = dict(SourceKind.choices)


def _sources(record: DeathRecord) -> str:
    kinds = sorted({r.source for r in record.reports.all()}, key=list(SOURCE_LABELS).index)
    return "、".join(SOURCE_LABELS[k] for k in kinds)


class DeathRecordTable(StaffTable):
    death_date = tables.Column("死亡日期", attrs=NOWRAP,
                               linkify=lambda record: reverse("deaths:record_detail", args=[record.pk]))
    name = tables.Column("姓名")
    id_number_masked = tables.Column("身份证号", attrs={"td": {"class": "font-monospace text-nowrap"}})
    street = tables.Column("街镇", accessor="street__name", default="—")
    sources = tables.Column("来源", empty_values=(), orderable=False)
    status = tables.Column("状态", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = DeathRecord
        attrs = {**StaffTable.Meta.attrs, "id": "death-records"}
        fields = ("death_date", "name", "id_number_masked", "street", "sources", "status")
        sequence = fields

    def render_death_date(self, value) -> str:
        return cn_date(value)

    def render_sources(self, record):
        return format_html("{}", _sources(record))

    def value_sources(self, record) -> str:
        return _sources(record)

    def render_status(self, record) -> str:
        return record.get_status_display()
