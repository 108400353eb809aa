"""Filters of the case list (django-filter)."""

from __future__ import annotations

import django_filters
from django.utils import timezone

from minzheng.minors_protection.models import Case, CaseStatus, ConcernKind, Urgency


def street_choices() -> list[tuple[str, str]]:
    from minzheng.core.models import Division, DivisionLevel

    return list(Division.objects.filter(level=DivisionLevel.STREET).order_by("code").values_list("code", "name"))


def kind_choices() -> list[tuple[int, str]]:
    return list(ConcernKind.objects.values_list("pk", "label"))


class CaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=CaseStatus.choices, empty_label="全部")
    urgency = django_filters.ChoiceFilter(label="紧急程度", choices=Urgency.choices, empty_label="全部")
    kind = django_filters.ChoiceFilter(label="情形", field_name="kinds", choices=kind_choices, empty_label="全部")
    street = django_filters.ChoiceFilter(label="街镇", field_name="street_id", choices=street_choices,
                                         empty_label="全部")
    special = django_filters.BooleanFilter(label="特别保护", field_name="special_protection")
    overdue = django_filters.BooleanFilter(label="评估逾期", method="filter_overdue")

    class Meta:
        model = Case
        fields: list[str] = []

    @property
    def qs(self):
        return super().qs.distinct()

    def filter_overdue(self, queryset, name, value):
        late = {"status": CaseStatus.REPORTED, "assessment_due_at__lt": timezone.now()}
        return queryset.filter(**late) if value else queryset.exclude(**late)
