"""Filters of the facility list (django-filter, ADR 0012)."""

from __future__ import annotations

import django_filters

from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStatus
from minzheng.core.pickers import committee_field


def street_choices() -> list[tuple[str, str]]:
    from minzheng.core.models import Division, DivisionLevel

    return list(Division.objects.filter(level=DivisionLevel.STREET).order_by("code").values_list("code", "name"))


class FacilityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称", field_name="name", lookup_expr="contains", max_length=100)
    kind = django_filters.ChoiceFilter(label="类型", choices=FacilityKind.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=FacilityStatus.choices, empty_label="全部")
    street = django_filters.ChoiceFilter(label="所在街镇", field_name="street_id", choices=street_choices,
                                         empty_label="全部")
    committee = django_filters.CharFilter(label="所在居村委", field_name="committee_id", max_length=12,
                                          widget=committee_field().widget)

    class Meta:
        model = Facility
        fields: list[str] = []
