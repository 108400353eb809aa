"""Filters of the adaptation list (django-filter)."""

from __future__ import annotations

import django_filters

from minzheng.home_adaptations.models import Application, Status


def street_choices() -> list[tuple[str, str]]:
    from minzheng.core.models import Division, DivisionLevel

    return list(Division.objects.filter(level=DivisionLevel.STREET).order_by("code").values_list("code", "name"))


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="老年人姓名", field_name="elder__name", lookup_expr="contains", max_length=64)
    status = django_filters.ChoiceFilter(label="状态", choices=Status.choices, empty_label="全部")
    street = django_filters.ChoiceFilter(label="街镇", field_name="street_id", choices=street_choices,
                                         empty_label="全部")
    year = django_filters.NumberFilter(label="申请年度", field_name="applied_on", lookup_expr="year",
                                       min_value=2000, max_value=2100)

    class Meta:
        model = Application
        fields: list[str] = []
