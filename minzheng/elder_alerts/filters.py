"""Filters of the lists (django-filter, ADR 0012)."""

from __future__ import annotations

import django_filters

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


def street_choices() -> list[tuple[str, str]]:
    from minzheng.core.models import Division, DivisionLevel

    return list(Division.objects.filter(level=DivisionLevel.STREET).order_by("code").values_list("code", "name"))


class CallDeviceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="终端编号", field_name="number", lookup_expr="contains", max_length=32)
    street = django_filters.ChoiceFilter(label="街镇", field_name="person__street_id", choices=street_choices,
                                         empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=DeviceStatus.choices, empty_label="全部")

    class Meta:
        model = CallDevice
        fields: list[str] = []


class SensorDeviceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="设备编号", field_name="number", lookup_expr="contains", max_length=32)
    kind = django_filters.ChoiceFilter(label="设备类型", choices=SensorKind.choices, empty_label="全部")
    street = django_filters.ChoiceFilter(label="街镇", field_name="person__street_id", choices=street_choices,
                                         empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=DeviceStatus.choices, empty_label="全部")

    class Meta:
        model = SensorDevice
        fields: list[str] = []


class CallFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="类型", choices=CallKind.choices, empty_label="全部")
    street = django_filters.ChoiceFilter(label="街镇", field_name="device__person__street_id", choices=street_choices,
                                         empty_label="全部")

    class Meta:
        model = Call
        fields: list[str] = []


class TaskFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=TaskStatus.choices, empty_label="全部")
    kind = django_filters.ChoiceFilter(label="任务", choices=TaskKind.choices, empty_label="全部")
    street = django_filters.ChoiceFilter(label="街镇", field_name="street_id", choices=street_choices,
                                         empty_label="全部")

    class Meta:
        model = AlertTask
        fields: list[str] = []
