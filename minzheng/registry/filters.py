"""Filters of the registry lists (django-filter)."""

from __future__ import annotations

import django_filters

from minzheng.core.pickers import committee_field
from minzheng.registry.models import Household


class HouseholdFilter(django_filters.FilterSet):
    committee = django_filters.CharFilter(field_name="committee_id", label="居村委",
                                          widget=committee_field().widget)
    address = django_filters.CharFilter(field_name="address", lookup_expr="contains", label="地址含")

    class Meta:
        model = Household
        fields: list[str] = []
