"""Filters of the meal records and settlements lists (django-filter)."""

from __future__ import annotations

import django_filters

from minzheng.meals.models import MealKind, MealRecord, Settlement, SettlementStatus


def _canteens(request):
    from minzheng.care_facilities.models import Facility
    from minzheng.meals.selectors import canteens_visible

    if request is None:
        return Facility.objects.none()
    return canteens_visible(request.user).order_by("name")


class RecordFilter(django_filters.FilterSet):
    canteen = django_filters.ModelChoiceFilter(label="助餐点", queryset=_canteens, empty_label="全部")
    day_from = django_filters.DateFilter(label="用餐日期起", field_name="day", lookup_expr="gte")
    day_to = django_filters.DateFilter(label="用餐日期止", field_name="day", lookup_expr="lte")
    kind = django_filters.ChoiceFilter(label="用餐方式", choices=MealKind.choices, empty_label="全部")
    subsidised = django_filters.BooleanFilter(label="享受补贴")

    class Meta:
        model = MealRecord
        fields: list[str] = []


class SettlementFilter(django_filters.FilterSet):
    canteen = django_filters.ModelChoiceFilter(label="助餐点", queryset=_canteens, empty_label="全部")
    month = django_filters.CharFilter(label="结算月份", max_length=7)
    status = django_filters.ChoiceFilter(label="状态", choices=SettlementStatus.choices, empty_label="全部")

    class Meta:
        model = Settlement
        fields: list[str] = []
