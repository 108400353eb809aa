"""Filters of the screening list (django-filter)."""

from __future__ import annotations

import django_filters

from minzheng.core.list_filters import ScopedListFilters, street_filter
from minzheng.dementia_care.models import RiskLevel, Screening, ScreeningTool


def tool_choices() -> list[tuple[int, str]]:
    return list(ScreeningTool.objects.values_list("pk", "name"))


class ScreeningFilter(ScopedListFilters):
    q = django_filters.CharFilter(label="姓名", field_name="person__name", lookup_expr="contains", max_length=64)
    risk_level = django_filters.ChoiceFilter(label="风险等级", choices=RiskLevel.choices, empty_label="全部")
    tool = django_filters.ChoiceFilter(label="量表", field_name="tool_id", choices=tool_choices, empty_label="全部")
    street = street_filter()
    year = django_filters.NumberFilter(label="筛查年度", field_name="screened_on", lookup_expr="year",
                                       min_value=2000, max_value=2100)

    class Meta:
        model = Screening
        fields: list[str] = []
