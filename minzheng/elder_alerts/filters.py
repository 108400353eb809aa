"""Filters of the lists (django-filter, ADR 0012)."""

from __future__ import annotations

import django_filters

from minzheng.core.list_filters import ScopedListFilters, street_filter
from minzheng.elder_alerts.models import (
    AlertTask,
    Call,
    CallDevice,
    CallKind,
    DeviceStatus,
    SensorDevice,
    SensorKind,
    TaskKind,
    TaskStatus,
)


class CallDeviceFilter(ScopedListFilters):
    q = django_filters.CharFilter(label="终端编号", field_name="number", lookup_expr="contains", max_length=32)
    street = street_filter("person__street_id")
    status = django_filters.ChoiceFilter(label="状态", choices=DeviceStatus.choices, empty_label="全部")

    class Meta:
        model = CallDevice
        fields: list[str] = []


class SensorDeviceFilter(ScopedListFilters):
    q = django_filters.CharFilter(label="设备编号", field_name="number", lookup_expr="contains", max_length=32)
    kind = django_filters.ChoiceFilter(label="设备类型", choices=SensorKind.choices, empty_label="全部")
    street = street_filter("person__street_id")
    status = django_filters.ChoiceFilter(label="状态", choices=DeviceStatus.choices, empty_label="全部")

    class Meta:
        model = SensorDevice
        fields: list[str] = []


class CallFilter(ScopedListFilters):
    kind = django_filters.ChoiceFilter(label="类型", choices=CallKind.choices, empty_label="全部")
    street = street_filter("device__person__street_id")

    class Meta:
        model = Call
        fields: list[str] = []


class TaskFilter(ScopedListFilters):
    status = django_filters.ChoiceFilter(label="状态", choices=TaskStatus.choices, empty_label="全部")
    kind = django_filters.ChoiceFilter(label="任务", choices=TaskKind.choices, empty_label="全部")
    street = street_filter()

    class Meta:
        model = AlertTask
        fields: list[str] = []
