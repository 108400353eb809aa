"""Filters of the rectification-order list (django-filter, ADR 0012)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import QuerySet

from minzheng.core.list_filters import ScopedListFilters, overdue_choice, street_filter
from minzheng.supervision.models import OrderStatus, RectificationOrder


class OrderFilter(ScopedListFilters):
    facility = django_filters.CharFilter(label="机构", field_name="inspection__facility__name",
                                         lookup_expr="contains", max_length=100)
    street = street_filter("inspection__facility__street_id")
    status = django_filters.ChoiceFilter(label="状态", choices=OrderStatus.choices, empty_label="全部")
    overdue = overdue_choice("逾期未整改")

    class Meta:
        model = RectificationOrder
        fields: list[str] = []

    def overdue_rows(self, qs: QuerySet, today: dt.date) -> QuerySet:
        """Past the deadline and not accepted (``RectificationOrder.is_overdue``)."""
        return qs.exclude(status=OrderStatus.ACCEPTED).filter(deadline__lt=today)
