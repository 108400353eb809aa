"""Filters of the facility list (django-filter, ADR 0012)."""

from __future__ import annotations

import django_filters

from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStatus
from minzheng.core.list_filters import ScopedListFilters, street_filter
from minzheng.core.pickers import committee_field


class FacilityFilter(ScopedListFilters):
    q = django_filters.CharFilter(label="名称", field_name="name", lookup_expr="contains", max_length=100)
    kind = django_filters.ChoiceFilter(label="类型", choices=FacilityKind.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=FacilityStatus.choices, empty_label="全部")
    street = street_filter(label="所在街镇")
    committee = django_filters.CharFilter(label="所在居村委", field_name="committee_id", max_length=12,
                                          widget=committee_field().widget)

    class Meta:
        model = Facility
        fields: list[str] = []
