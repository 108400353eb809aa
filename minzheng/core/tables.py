"""The audit log as a table: "who did what to which record", changed fields as
old → new (``core.audit_labels.describe``), the time in Beijing time on one line."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from minzheng.core.audit_labels import AuditLine, describe
from minzheng.core.lists import StaffTable
from minzheng.core.models import AuditEntry
from minzheng.core.selectors import staff_signature
from minzheng.core.templatetags.minzheng_format import cn_date


class AuditTable(StaffTable):
    id = tables.Column("序号", attrs={"td": {"class": "text-secondary"}})
    created_at = tables.Column("时间（北京时间）", attrs={"td": {"class": "text-nowrap"}})
    actor = tables.Column("操作人")
    action = tables.Column("操作")
    record = tables.Column("对象", empty_values=(), orderable=False)
    changes = tables.Column("变更内容", empty_values=(), orderable=False)

    class Meta(StaffTable.Meta):
        model = AuditEntry
        fields = ("id", "created_at", "actor", "action", "record", "changes")
        order_by = ("-id",)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._names: dict[str, str] = {}
        self._lines: dict[int, AuditLine] = {}

    def _line(self, record: AuditEntry) -> AuditLine:
        if record.pk not in self._lines:
            self._lines[record.pk] = describe(record)
        return self._lines[record.pk]

    def render_created_at(self, value: object) -> str:
        return cn_date(value)

    def render_actor(self, value: str) -> str:
        """Name and post, one lookup per actor on the page (not per row)."""
        if value not in self._names:
            self._names[value] = staff_signature(value)
        return self._names[value]

    def render_action(self, record: AuditEntry) -> str:
        return self._line(record).what

    def render_record(self, record: AuditEntry) -> str:
        return self._line(record).record

    def render_changes(self, record: AuditEntry) -> str:
        changes = self._line(record).changes
        if not changes:
            return mark_safe('<span class="text-secondary">—</span>')  # noqa: S308 - constant markup
        return format_html('<ul class="list-unstyled mb-0 small">{}</ul>',
                           format_html_join("", "<li>{}：{}</li>", changes))

    def value_changes(self, record: AuditEntry) -> str:
        return "；".join(f"{label}：{value}" for label, value in self._line(record).changes)
