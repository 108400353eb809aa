"""Lists of 一键通 and the home-safety alerts as tables (``core.lists``): labels,
never codes; ID numbers masked; an unknown time as 未录入."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone

from minzheng.core.lists import StaffTable
from minzheng.elder_alerts.models import AlertTask, Call, CallDevice, SensorDevice

NOWRAP = {"td": {"class": "text-nowrap"}}


def _when(value) -> str:
    return "未录入" if value is None else f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


class CallDeviceTable(StaffTable):
    number = tables.Column("终端编号", attrs=NOWRAP)
    name = tables.Column("老人", accessor="person__name")
    id_number = tables.Column("身份证号（脱敏）", accessor="person__id_number_masked", attrs=NOWRAP)
    committee = tables.Column("居村委", accessor="person__committee__name")
    street = tables.Column("街镇", accessor="person__street__name")
    installed_on = tables.Column("安装日期", attrs=NOWRAP)
    status = tables.Column("状态", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = CallDevice
        attrs = {**StaffTable.Meta.attrs, "id": "call-devices"}
        fields = ("number", "name", "id_number", "committee", "street", "installed_on", "status")
        sequence = fields


class SensorDeviceTable(StaffTable):
    number = tables.Column("设备编号", attrs=NOWRAP)
    kind = tables.Column("设备类型", attrs=NOWRAP)
    name = tables.Column("老人", accessor="person__name")
    id_number = tables.Column("身份证号（脱敏）", accessor="person__id_number_masked", attrs=NOWRAP)
    committee = tables.Column("居村委", accessor="person__committee__name")
    installed_on = tables.Column("安装日期", attrs=NOWRAP)
    status = tables.Column("状态", attrs=NOWRAP)
    quiet_hours = tables.Column("无用水提醒时长", empty_values=(), attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = SensorDevice
        attrs = {**StaffTable.Meta.attrs, "id": "sensor-devices"}
        fields = ("number", "kind", "name", "id_number", "committee", "installed_on", "status", "quiet_hours")
        sequence = fields

    def render_quiet_hours(self, record):
        if record.kind != "water_meter":
            return "—"
        return "按规则默认" if record.quiet_hours is None else f"{record.quiet_hours} 小时"


class CallTable(StaffTable):
    called_at = tables.Column("呼叫时间", linkify=lambda record: reverse("elder_alerts:call_detail", args=[record.pk]),
                              attrs=NOWRAP)
    kind = tables.Column("类型", attrs=NOWRAP)
    device = tables.Column("终端", accessor="device__number", attrs=NOWRAP)
    name = tables.Column("老人", accessor="device__person__name")
    committee = tables.Column("居村委", accessor="device__person__committee__name")
    responder = tables.Column("派单对象", attrs=NOWRAP)
    arrived_at = tables.Column("到达时间", empty_values=(), attrs=NOWRAP)
    response = tables.Column("响应（分钟）", empty_values=(), orderable=False, attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = Call
        attrs = {**StaffTable.Meta.attrs, "id": "calls"}
        fields = ("called_at", "kind", "device", "name", "committee", "responder", "arrived_at", "response")
        sequence = fields

    def render_called_at(self, value):
        return _when(value)

    def render_responder(self, record):
        return record.get_responder_display() or "未派单"

    def render_arrived_at(self, value):
        return _when(value)

    def render_response(self, record):
        m = record.response_minutes
        return "未到达" if m is None else f"{m:.0f}"


class TaskTable(StaffTable):
    due_at = tables.Column("处置期限", linkify=lambda record: reverse("elder_alerts:task_detail", args=[record.pk]),
                           attrs=NOWRAP)
    rule = tables.Column("提醒", accessor="alert__rule__label")
    kind = tables.Column("任务", attrs=NOWRAP)
    name = tables.Column("老人", accessor="alert__person__name")
    committee = tables.Column("居村委", accessor="committee__name")
    triggered = tables.Column("触发时间", accessor="alert__triggered_at", attrs=NOWRAP)
    status = tables.Column("状态", empty_values=(), attrs=NOWRAP)
    outcome = tables.Column("处置结果", empty_values=(), attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = AlertTask
        attrs = {**StaffTable.Meta.attrs, "id": "tasks"}
        fields = ("due_at", "rule", "kind", "name", "committee", "triggered", "status", "outcome")
        sequence = fields

    def render_due_at(self, value):
        return _when(value)

    def render_triggered(self, value):
        return _when(value)

    def render_status(self, record):
        late = record.is_overdue(timezone.now())
        return f"{record.get_status_display()}{'（超时）' if late else ''}"

    def render_outcome(self, record):
        return record.get_outcome_display() or "—"
