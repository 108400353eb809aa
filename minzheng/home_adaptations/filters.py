"""Filters of the adaptation list (django-filter)."""

from __future__ import annotations

import django_filters

from minzheng.core.list_filters import ScopedListFilters, street_filter
from minzheng.home_adaptations.models import Application, Status


class ApplicationFilter(ScopedListFilters):
    q = django_filters.CharFilter(label="老年人姓名", field_name="elder__name", lookup_expr="contains", max_length=64)
    status = django_filters.ChoiceFilter(label="状态", choices=Status.choices, empty_label="全部")
    street = street_filter()
    year = django_filters.NumberFilter(label="申请年度", field_name="applied_on", lookup_expr="year",
                                       min_value=2000, max_value=2100)

    class Meta:
        model = Application
        fields: list[str] = []
