"""Filters of the rescue and person lists (django-filter)."""

from __future__ import annotations

import django_filters

from minzheng.core.bounds import EARLIEST_DAY, LATEST_DAY
from minzheng.homeless_rescue.models import FinderKind, Identity, Outcome, Rescue, RescuedPerson


def street_choices() -> list[tuple[str, str]]:
    from minzheng.core.models import Division, DivisionLevel

    return list(Division.objects.filter(level=DivisionLevel.STREET).order_by("code").values_list("code", "name"))


def finder_choices() -> list[tuple[int, str]]:
    return list(FinderKind.objects.values_list("pk", "label"))


def campaign_choices() -> list[tuple[int, str]]:
    from minzheng.homeless_rescue.models import Campaign

    return list(Campaign.objects.order_by("-starts_on").values_list("pk", "name"))


class BoundedDateFilter(django_filters.DateFilter):
    def filter(self, qs, value):
        if value is not None and not EARLIEST_DAY <= value <= LATEST_DAY:
            return qs.none()
        return super().filter(qs, value)


class RescueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名", field_name="person__name", lookup_expr="contains", max_length=64)
    street = django_filters.ChoiceFilter(label="街镇", field_name="street_id", choices=street_choices,
                                         empty_label="全部")
    outcome = django_filters.ChoiceFilter(label="结果", choices=Outcome.choices, empty_label="全部")
    finder_kind = django_filters.ChoiceFilter(label="发现来源", field_name="finder_kind_id", choices=finder_choices,
                                              empty_label="全部")
    campaign = django_filters.ChoiceFilter(label="专项行动", field_name="campaign_id", choices=campaign_choices,
                                           empty_label="全部")
    identity = django_filters.ChoiceFilter(label="身份", field_name="person__identity", choices=Identity.choices,
                                           empty_label="全部")
    since = BoundedDateFilter(label="发现日期起", field_name="found_at", lookup_expr="date__gte")
    until = BoundedDateFilter(label="发现日期止", field_name="found_at", lookup_expr="date__lte")

    class Meta:
        model = Rescue
        fields: list[str] = []


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名或体貌特征", method="filter_q", max_length=64)
    identity = django_filters.ChoiceFilter(label="身份", field_name="identity", choices=Identity.choices,
                                           empty_label="全部")

    class Meta:
        model = RescuedPerson
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(name__contains=value) | Q(description__contains=value) | Q(hometown__contains=value))
