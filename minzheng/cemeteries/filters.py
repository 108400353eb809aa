"""Filters of the cemetery list (django-filter, ADR 0012)."""

from __future__ import annotations

import django_filters

from minzheng.cemeteries.models import Cemetery, CemeteryKind, CemeteryStatus
from minzheng.core.list_filters import ScopedListFilters, street_filter


class CemeteryFilter(ScopedListFilters):
    q = django_filters.CharFilter(label="名称", field_name="name", lookup_expr="contains", max_length=100)
    kind = django_filters.ChoiceFilter(label="类型", choices=CemeteryKind.choices, empty_label="全部")
    street = street_filter(label="所在街镇")
    status = django_filters.ChoiceFilter(label="状态", choices=CemeteryStatus.choices, empty_label="全部")

    class Meta:
        model = Cemetery
        fields: list[str] = []
