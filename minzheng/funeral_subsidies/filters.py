"""Filters of the funeral-subsidy list (django-filter, ADR 0012): kind, status,
street and month (死亡或安葬月份)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q

from minzheng.core.list_filters import ScopedListFilters, street_filter
from minzheng.funeral_subsidies.models import Eligibility, Grant, GrantKind, GrantStatus


class GrantFilter(ScopedListFilters):
    kind = django_filters.ChoiceFilter(label="补贴类别", choices=GrantKind.choices, empty_label="全部类别")
    status = django_filters.ChoiceFilter(label="状态", choices=GrantStatus.choices, empty_label="全部状态")
    eligibility = django_filters.ChoiceFilter(label="资格", choices=Eligibility.choices, empty_label="全部")
    street = street_filter()
    month = django_filters.CharFilter(label="死亡或安葬月份", method="in_month",
                                      widget=forms.TextInput(attrs={"type": "month", "placeholder": "如 2026-03"}))

    class Meta:
        model = Grant
        fields: list[str] = []

    def in_month(self, queryset, name, value):
        try:
            first = dt.date.fromisoformat(f"{value}-01")
        except ValueError:
            return queryset.none()
        last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return queryset.filter(Q(death_date__gte=first, death_date__lt=last)
                               | Q(burial__burial_date__gte=first, burial__burial_date__lt=last))
