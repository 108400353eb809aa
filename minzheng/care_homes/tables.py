"""The incident list as a table (``core.lists``): labels, not codes; the
person involved by masked name only."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone

from minzheng.care_homes.models import Incident
from minzheng.core.lists import StaffTable
from minzheng.core.personal_data import mask_name

NOWRAP = {"td": {"class": "text-nowrap"}}


class IncidentTable(StaffTable):
    occurred_at = tables.Column("发生时间", attrs=NOWRAP,
                                linkify=lambda record: reverse("care_homes:incident_detail", args=[record.pk]))
    facility = tables.Column("养老机构", accessor="facility__name")
    kind = tables.Column("类型", attrs=NOWRAP)
    resident = tables.Column("涉及老人", empty_values=(), orderable=False, attrs=NOWRAP)
    description = tables.Column("经过", orderable=False)
    closed_on = tables.Column("状态", empty_values=(), attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = Incident
        attrs = {**StaffTable.Meta.attrs, "id": "incidents"}
        fields = ("occurred_at", "facility", "kind", "resident", "description", "closed_on")
        sequence = fields

    def render_occurred_at(self, value) -> str:
        return f"{timezone.localtime(value):%Y年%-m月%-d日 %H:%M}"

    def render_kind(self, record) -> str:
        return record.get_kind_display()

    def render_resident(self, record) -> str:
        return mask_name(record.resident.name) if record.resident else "—"

    def render_description(self, value) -> str:
        return value if len(value) <= 40 else value[:40] + "…"

    def render_closed_on(self, record) -> str:
        return f"已结案（{record.closed_on:%Y年%-m月%-d日}）" if record.closed_on else "处置中"
