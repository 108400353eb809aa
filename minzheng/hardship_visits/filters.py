"""Filters of the visit list (django-filter)."""

from __future__ import annotations

import django_filters
from django.utils import timezone

from minzheng.core.list_filters import ScopedListFilters, street_filter
from minzheng.hardship_visits.models import VisitCategory, VisitTarget


def category_choices() -> list[tuple[int, str]]:
    return list(VisitCategory.objects.values_list("pk", "label"))


STATE_CHOICES = (("open", "在册"), ("overdue", "逾期未探访"), ("unassigned", "未指派探访人员"), ("ended", "已移出"))


class TargetFilter(ScopedListFilters):
    q = django_filters.CharFilter(label="姓名", field_name="person__name", lookup_expr="contains", max_length=64)
    category = django_filters.ChoiceFilter(label="类别", field_name="categories", choices=category_choices,
                                           empty_label="全部")
    street = street_filter()
    state = django_filters.ChoiceFilter(label="状态", choices=STATE_CHOICES, empty_label="在册（默认）",
                                        method="filter_state")

    class Meta:
        model = VisitTarget
        fields: list[str] = []

    @property
    def qs(self):
        qs = super().qs
        if not self.form.is_bound or not (self.form.cleaned_data or {}).get("state"):
            qs = qs.filter(ended_on__isnull=True)
        return qs.distinct()

    def filter_state(self, queryset, name, value):
        if value == "ended":
            return queryset.filter(ended_on__isnull=False)
        queryset = queryset.filter(ended_on__isnull=True)
        if value == "overdue":
            return queryset.filter(next_due_on__lt=timezone.localdate())
        if value == "unassigned":
            return queryset.filter(visitor__isnull=True)
        return queryset
