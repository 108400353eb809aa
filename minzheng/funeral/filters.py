"""Filters of the order list (django-filter, ADR 0012): status, channel, order date range, search."""

from __future__ import annotations

import django_filters
from django import forms

from minzheng.funeral.forms import DATE
from minzheng.funeral.models import Channel, FuneralOrder, OrderStatus, PaymentStatus
from minzheng.funeral.selectors import order_search


class OrderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="逝者或联系人姓名、身份证号、订单编号",
                                  widget=forms.TextInput(attrs={"id": "q", "autocomplete": "off"}))
    status = django_filters.ChoiceFilter(label="状态", choices=OrderStatus.choices, empty_label="全部")
    channel = django_filters.ChoiceFilter(label="受理渠道", choices=Channel.choices, empty_label="全部")
    payment_status = django_filters.ChoiceFilter(label="付款状态", choices=PaymentStatus.choices, empty_label="全部")
    ordered_from = django_filters.DateFilter(label="下单日期自", field_name="ordered_on", lookup_expr="gte", widget=DATE)
    ordered_to = django_filters.DateFilter(label="下单日期至", field_name="ordered_on", lookup_expr="lte", widget=DATE)

    class Meta:
        model = FuneralOrder
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(pk__in=order_search(self.request.user, value).values("pk"))
