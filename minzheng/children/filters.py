"""Filters of the register (django-filter)."""

from __future__ import annotations

import django_filters

from minzheng.children.models import Category, Child


def street_choices() -> list[tuple[str, str]]:
    from minzheng.core.models import Division, DivisionLevel

    return list(Division.objects.filter(level=DivisionLevel.STREET).order_by("code").values_list("code", "name"))


def category_choices() -> list[tuple[int, str]]:
    return list(Category.objects.values_list("pk", "label"))


class ChildFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名", field_name="person__name", lookup_expr="contains", max_length=64)
    category = django_filters.ChoiceFilter(label="类别（在类）", choices=category_choices, empty_label="全部",
                                           method="filter_category")
    street = django_filters.ChoiceFilter(label="街镇", field_name="street_id", choices=street_choices,
                                         empty_label="全部")
    ended = django_filters.ChoiceFilter(label="状态", choices=(("no", "在册"), ("yes", "已移出")),
                                        empty_label="全部", method="filter_ended")

    class Meta:
        model = Child
        fields: list[str] = []

    def filter_category(self, queryset, name, value):
        return queryset.filter(spells__category_id=value, spells__ended_on__isnull=True).distinct()

    def filter_ended(self, queryset, name, value):
        return queryset.filter(ended_on__isnull=value != "yes")
