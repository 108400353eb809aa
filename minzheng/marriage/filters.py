"""Filters of the marriage lists (django-filter, ADR 0012)."""

from __future__ import annotations

import django_filters
from django import forms

from minzheng.marriage.models import (
    DivorceApplication,
    DivorceStatus,
    MarriageRegistration,
    MarriageStatus,
)
from minzheng.marriage.selectors import registration_search

YES_NO = [("1", "是"), ("0", "否")]


class RegistrationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="姓名、身份证号或证书编号",
                                  widget=forms.TextInput(attrs={"id": "q", "autocomplete": "off",
                                                                "placeholder": "如 张三 或完整身份证号"}))
    status = django_filters.ChoiceFilter(label="婚姻状态", choices=MarriageStatus.choices, empty_label="全部")
    cross_province = django_filters.ChoiceFilter(label="跨省登记", choices=YES_NO, empty_label="全部",
                                                 method="cross_is")
    year = django_filters.NumberFilter(label="登记年份", field_name="registered_on__year", min_value=1950,
                                       max_value=2100)

    class Meta:
        model = MarriageRegistration
        fields: list[str] = []

    def search(self, queryset, name, value):
        matching = registration_search(self.request.user, value).values("pk")
        return queryset.filter(pk__in=matching)

    def cross_is(self, queryset, name, value):
        return queryset.filter(cross_province=value == "1")


class DivorceFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=DivorceStatus.choices, empty_label="全部")
    cross_province = django_filters.ChoiceFilter(label="跨省登记", choices=YES_NO, empty_label="全部",
                                                 method="cross_is")

    class Meta:
        model = DivorceApplication
        fields: list[str] = []

    def cross_is(self, queryset, name, value):
        return queryset.filter(cross_province=value == "1")
