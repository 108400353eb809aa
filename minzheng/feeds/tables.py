"""Department-data lists as tables: files, events and a file's rejected rows.
Sources and event kinds by their Chinese labels only."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from minzheng.core.lists import StaffTable
from minzheng.core.templatetags.minzheng_format import cn_date, yuan
from minzheng.feeds.models import FeedEvent, FeedFile, QuarantinedRow
from minzheng.feeds.templatetags.feeds_format import source_name

_END = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}


def _count(label: str, **kwargs: object) -> tables.Column:
    return tables.Column(label, attrs=_END, **kwargs)  # type: ignore[arg-type]


class FeedFileTable(StaffTable):
    filename = tables.Column("文件")
    source = tables.Column("数据来源")
    received_at = tables.Column("接收时间", attrs={"td": {"class": "text-nowrap"}})
    period = tables.Column("数据期间", empty_values=(), order_by=("period_start",))
    total_rows = _count("总行数")
    new_records = _count("新增记录")
    duplicate_rows = _count("已有记录")
    bad_rows = _count("错误行")
    unmatched_records = _count("未匹配")
    events_created = _count("事件")
    in_scope_records = _count("本辖区记录")

    # District-wide counts; a street sees only its own residents' records (``feeds.selectors``).
    DISTRICT_COLUMNS = ("total_rows", "new_records", "duplicate_rows", "bad_rows", "unmatched_records",
                        "events_created")

    class Meta(StaffTable.Meta):
        model = FeedFile
        fields = ("filename", "source", "received_at", "period", "total_rows", "new_records", "duplicate_rows",
                  "bad_rows", "unmatched_records", "events_created", "in_scope_records")
        order_by = ("-received_at",)
        empty_text = "暂无导入的文件"

    def render_filename(self, record: FeedFile) -> str:
        return format_html('<a href="{}" class="text-break">{}</a>',
                           reverse("feeds:file_detail", args=[record.pk]), record.filename)

    def value_filename(self, record: FeedFile) -> str:
        return record.filename

    def render_source(self, value: str) -> str:
        return source_name(value)

    def render_received_at(self, value: object) -> str:
        return cn_date(value)

    def render_period(self, record: FeedFile) -> str:
        if record.period_start is None and record.period_end is None:
            return "未知"
        return f"{cn_date(record.period_start)} 至 {cn_date(record.period_end)}"

    def render_bad_rows(self, value: int) -> str:
        return format_html('<span class="badge bg-red-lt">{}</span>', value) if value else "0"

    def value_bad_rows(self, value: int) -> int:
        return value


def event_note(event: FeedEvent) -> str:
    """What the event says beyond its kind, in words ("迁往…", "个人自负 …")."""
    d = event.details or {}
    parts: list[str] = []
    if event.registry_updated:
        parts.append("已在人口库登记死亡")
    if d.get("registry_note"):
        parts.append(str(d["registry_note"]))
    if d.get("destination"):
        parts.append(f"迁往{d['destination']}")
    if d.get("employer"):
        parts.append(f"{d['employer']} {d.get('reason') or ''}".strip())
    if d.get("out_of_pocket_fen"):
        parts.append(f"个人自负 {yuan(d['out_of_pocket_fen'])}")
    if d.get("certificate"):
        text = f"{d.get('kind') or ''}{d.get('grade') or ''}级"
        previous = d.get("previous")
        if previous:
            text += f"（原{previous.get('kind') or ''}{previous.get('grade') or ''}级）"
        parts.append(text)
    return "；".join(parts)


class FeedEventTable(StaffTable):
    event_date = tables.Column("日期", attrs={"td": {"class": "text-nowrap"}})
    kind = tables.Column("事件")
    person = tables.Column("人员", empty_values=(), order_by=("name",))
    id_number_masked = tables.Column("身份证号", orderable=False, attrs={"td": {"class": "font-monospace text-nowrap"}})
    committee = tables.Column("居村委", accessor="person__committee__name", default="—", orderable=False)
    source = tables.Column("数据来源")
    note = tables.Column("说明", empty_values=(), orderable=False)

    class Meta(StaffTable.Meta):
        model = FeedEvent
        fields = ("event_date", "kind", "person", "id_number_masked", "committee", "source", "note")
        order_by = ("-event_date",)
        empty_text = "暂无事件"

    def render_event_date(self, value: object) -> str:
        return cn_date(value)

    def render_kind(self, record: FeedEvent) -> str:
        return record.get_kind_display()

    def render_person(self, record: FeedEvent) -> str:
        if record.person_id:
            return format_html('<a href="{}">{}</a>', reverse("registry:person_detail", args=[record.person_id]),
                               record.person.name)
        return format_html('{} <span class="badge bg-yellow-lt">未匹配</span>', record.name or "—")

    def value_person(self, record: FeedEvent) -> str:
        return record.person.name if record.person_id else f"{record.name}（未匹配）"

    def render_source(self, record: FeedEvent) -> str:
        return format_html('<a href="{}">{}</a>', reverse("feeds:record_detail", args=[record.record_id]),
                           source_name(record.source))

    def value_source(self, record: FeedEvent) -> str:
        return source_name(record.source)

    def render_note(self, record: FeedEvent) -> str:
        return event_note(record) or "—"


class QuarantinedRowTable(StaffTable):
    """A file's rejected rows: row number, column and reason (raw content masked at import)."""

    row_number = tables.Column("行号")
    column = tables.Column("列", default="—")
    reason = tables.Column("原因", attrs={"td": {"class": "text-danger"}})
    raw = tables.Column("原始内容（已脱敏）", orderable=False)

    class Meta(StaffTable.Meta):
        model = QuarantinedRow
        fields = ("row_number", "column", "reason", "raw")
        order_by = ("row_number",)
        empty_text = "没有错误行"

    def render_row_number(self, value: int) -> str:
        return f"第 {value} 行"

    def render_raw(self, value: dict) -> str:
        return format_html('<span class="small text-break">{}</span>',
                           "；".join(f"{k}：{v}" for k, v in (value or {}).items()))
