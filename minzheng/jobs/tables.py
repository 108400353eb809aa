"""The jobs list as a table (``core.lists``): labels, not codes."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html

from minzheng.core.lists import StaffTable
from minzheng.core.templatetags.minzheng_format import cn_date
from minzheng.jobs import kinds
from minzheng.jobs.models import Job
from minzheng.jobs.selectors import describe, duration_text
from minzheng.jobs.services import actor_label

TONES = {"queued": "secondary", "running": "blue", "succeeded": "green", "failed": "red"}


class JobTable(StaffTable):
    id = tables.Column("编号", linkify=("jobs:detail", {"pk": tables.A("pk")}))
    kind = tables.Column("作业")
    params = tables.Column("参数", orderable=False, empty_values=())
    started_by_name = tables.Column("发起人", orderable=False)
    created_at = tables.Column("发起时间")
    status = tables.Column("状态")
    duration = tables.Column("用时", orderable=False, empty_values=())
    outcome = tables.Column("结果", orderable=False, empty_values=())

    class Meta(StaffTable.Meta):
        model = Job
        fields = ("id", "kind", "params", "started_by_name", "created_at", "status", "duration", "outcome")

    def render_kind(self, value: str) -> str:
        return kinds.label(value)

    def render_params(self, record: Job) -> str:
        return describe(record)

    def render_started_by_name(self, record: Job) -> str:
        return actor_label(record)

    def render_created_at(self, value: Any) -> str:
        return cn_date(value)

    def render_status(self, record: Job) -> Any:
        return format_html('<span class="badge bg-{}-lt text-nowrap">{}</span>', TONES.get(record.status, "secondary"),
                           record.get_status_display())

    def value_status(self, record: Job) -> str:
        return record.get_status_display()

    def render_duration(self, record: Job) -> str:
        return duration_text(record)

    def render_outcome(self, record: Job) -> str:
        if record.status == "failed":
            return record.error
        if record.status == "succeeded":
            return record.summary
        return record.stage or "等待开始"
