"""Filters of the cemetery list (django-filter, ADR 0012)."""

from __future__ import annotations

import django_filters

from minzheng.cemeteries.models import Cemetery, CemeteryKind, CemeteryStatus


def street_choices() -> list[tuple[str, str]]:
    from minzheng.core.models import Division, DivisionLevel

    return list(Division.objects.filter(level=DivisionLevel.STREET).order_by("code").values_list("code", "name"))


class CemeteryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称", field_name="name", lookup_expr="contains", max_length=100)
    kind = django_filters.ChoiceFilter(label="类型", choices=CemeteryKind.choices, empty_label="全部")
    street = django_filters.ChoiceFilter(label="所在街镇", field_name="street_id", choices=street_choices,
                                         empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=CemeteryStatus.choices, empty_label="全部")

    class Meta:
        model = Cemetery
        fields: list[str] = []
