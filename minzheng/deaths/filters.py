"""Filters of the death record list (django-filter, ADR 0012): source and status by
their Chinese labels, a death-date range, the street for district accounts."""

from __future__ import annotations

import django_filters
from django import forms

from minzheng.core.list_filters import ScopedListFilters, street_filter
from minzheng.deaths.models import DeathRecord, DeathStatus, SourceKind


def _date(label: str, lookup: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(field_name="death_date", lookup_expr=lookup, label=label,
                                     widget=forms.DateInput(attrs={"type": "date"}))


class DeathRecordFilter(ScopedListFilters):
    q = django_filters.CharFilter(method="search", label="姓名",
                                  widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "死者姓名"}))
    source = django_filters.ChoiceFilter(label="来源", choices=SourceKind.choices, empty_label="全部",
                                         method="with_source")
    status = django_filters.ChoiceFilter(label="状态", choices=DeathStatus.choices, empty_label="全部")
    died_from = _date("死亡日期起", "gte")
    died_to = _date("死亡日期止", "lte")
    street = street_filter()

    class Meta:
        model = DeathRecord
        fields: list[str] = []

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        value = (value or "").strip()
        return queryset.filter(name__contains=value) if value else queryset

    def with_source(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(reports__source=value).distinct() if value else queryset
