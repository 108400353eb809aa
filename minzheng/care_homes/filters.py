"""Filters of the incident list (django-filter, ADR 0012)."""

from __future__ import annotations

import django_filters

from minzheng.care_homes.models import Incident, IncidentKind

STATES = [("open", "处置中"), ("closed", "已结案")]


class IncidentFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="类型", choices=IncidentKind.choices, empty_label="全部")
    state = django_filters.ChoiceFilter(label="状态", choices=STATES, empty_label="全部", method="by_state")
    facility = django_filters.CharFilter(label="机构名称", field_name="facility__name", lookup_expr="contains",
                                         max_length=100)

    class Meta:
        model = Incident
        fields: list[str] = []

    def by_state(self, queryset, name, value):
        return queryset.filter(closed_on__isnull=(value == "open"))
