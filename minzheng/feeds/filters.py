"""Filters of the department-data lists (django-filter): sources by their Chinese
names and event kinds by their labels (``EventKind``), never by code."""

from __future__ import annotations

import django_filters
from django import forms

from minzheng.feeds.catalogue import sources
from minzheng.feeds.models import EventKind, FeedEvent, FeedFile


def source_choices() -> list[tuple[str, str]]:
    return [(s.code, f"{s.family} · {s.name}") for s in sorted(sources().values(), key=lambda s: (s.family, s.code))]


def _date(label: str, field: str, lookup: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(field_name=field, lookup_expr=lookup, label=label,
                                     widget=forms.DateInput(attrs={"type": "date"}))


class FeedFileFilter(django_filters.FilterSet):
    source = django_filters.ChoiceFilter(choices=source_choices, label="数据来源", empty_label="全部")
    received_from = _date("接收日期起", "received_at", "date__gte")
    received_to = _date("接收日期止", "received_at", "date__lte")
    has_bad_rows = django_filters.BooleanFilter(field_name="bad_rows", lookup_expr="gt", label="有错误行",
                                                method="with_bad_rows",
                                                widget=forms.Select(choices=(("", "全部"), ("true", "有错误行"),
                                                                             ("false", "没有错误行"))))

    class Meta:
        model = FeedFile
        fields: list[str] = []

    def with_bad_rows(self, qs, name: str, value: bool):  # type: ignore[no-untyped-def]
        return qs.filter(bad_rows__gt=0) if value else qs.filter(bad_rows=0)


class FeedEventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label="事件", empty_label="全部")
    source = django_filters.ChoiceFilter(choices=source_choices, label="数据来源", empty_label="全部")
    date_from = _date("事件日期起", "event_date", "gte")
    date_to = _date("事件日期止", "event_date", "lte")
    unmatched = django_filters.BooleanFilter(field_name="person", lookup_expr="isnull", label="人员匹配",
                                             widget=forms.Select(choices=(("", "全部"), ("true", "未匹配人口库"),
                                                                          ("false", "已匹配"))))

    class Meta:
        model = FeedEvent
        fields: list[str] = []
