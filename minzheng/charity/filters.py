"""Filters of the charity lists (django-filter)."""

from __future__ import annotations

import django_filters

from minzheng.charity.models import (
    Distribution,
    Donation,
    DonationKind,
    EntryKind,
    MonthlySales,
    Outlet,
    StockEntry,
    Supermarket,
    SupermarketStatus,
)
from minzheng.core.list_filters import ScopedListFilters, street_filter


class SupermarketFilter(ScopedListFilters):
    q = django_filters.CharFilter(label="名称", field_name="name", lookup_expr="contains", max_length=100)
    street = street_filter()
    status = django_filters.ChoiceFilter(label="状态", choices=SupermarketStatus.choices, empty_label="全部")

    class Meta:
        model = Supermarket
        fields: list[str] = []


class DonationFilter(ScopedListFilters):
    street = street_filter("supermarket__street_id")
    kind = django_filters.ChoiceFilter(label="捐赠类型", choices=DonationKind.choices, empty_label="全部")
    received_from = django_filters.DateFilter(label="捐赠日期自", field_name="received_on", lookup_expr="gte")
    received_to = django_filters.DateFilter(label="捐赠日期至", field_name="received_on", lookup_expr="lte")

    class Meta:
        model = Donation
        fields: list[str] = []


class DistributionFilter(ScopedListFilters):
    street = street_filter("supermarket__street_id")
    q = django_filters.CharFilter(label="受助人姓名", field_name="person__name", lookup_expr="contains",
                                  max_length=64)
    given_from = django_filters.DateFilter(label="发放日期自", field_name="given_on", lookup_expr="gte")
    given_to = django_filters.DateFilter(label="发放日期至", field_name="given_on", lookup_expr="lte")

    class Meta:
        model = Distribution
        fields: list[str] = []


class LedgerFilter(ScopedListFilters):
    kind = django_filters.ChoiceFilter(label="类型", choices=EntryKind.choices, empty_label="全部")
    item = django_filters.CharFilter(label="物品", field_name="item__name", lookup_expr="contains", max_length=50)

    class Meta:
        model = StockEntry
        fields: list[str] = []


class OutletFilter(ScopedListFilters):
    q = django_filters.CharFilter(label="网点名称或编号", method="filter_q", max_length=100)
    street = street_filter()

    class Meta:
        model = Outlet
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(name__contains=value) | Q(code__contains=value))


class SalesFilter(ScopedListFilters):
    street = street_filter()
    month = django_filters.CharFilter(label="月份（YYYY-MM）", field_name="month", max_length=7)
    code = django_filters.CharFilter(label="网点编号", field_name="outlet__code", max_length=20)

    class Meta:
        model = MonthlySales
        fields: list[str] = []
