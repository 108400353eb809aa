"""The registration matters as a table and its filters (core.lists)."""

from __future__ import annotations

import datetime as dt

import django_filters
import django_tables2 as tables
from django.urls import reverse

from minzheng.core.list_filters import ScopedListFilters, overdue_checkbox
from minzheng.core.lists import StaffTable
from minzheng.social_orgs.models import Matter, MatterKind, MatterStatus

NOWRAP = {"td": {"class": "text-nowrap"}}
OPEN = [MatterStatus.SUBMITTED, MatterStatus.ACCEPTED, MatterStatus.REVIEWED]


class MatterTable(StaffTable):
    id = tables.Column("编号", linkify=lambda record: reverse("social_orgs:matter_detail", args=[record.pk]),
                       attrs=NOWRAP)
    kind = tables.Column("事项", attrs=NOWRAP)
    name = tables.Column("社会组织（拟定名称）")
    applied_on = tables.DateColumn(verbose_name="申请日期", format="Y-m-d", attrs=NOWRAP)
    status = tables.Column("办理状态", attrs=NOWRAP)
    due_on = tables.DateColumn(verbose_name="办理期限", format="Y-m-d", attrs=NOWRAP, default="未设时限")
    decided_on = tables.DateColumn(verbose_name="决定日期", format="Y-m-d", attrs=NOWRAP, default="—")

    class Meta(StaffTable.Meta):
        model = Matter
        attrs = {**StaffTable.Meta.attrs, "id": "matters"}
        fields = ("id", "kind", "name", "applied_on", "status", "due_on", "decided_on")
        sequence = fields


class MatterFilter(ScopedListFilters):
    q = django_filters.CharFilter(label="名称", field_name="name", lookup_expr="contains", max_length=100)
    kind = django_filters.ChoiceFilter(label="事项", choices=MatterKind.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="办理状态", choices=MatterStatus.choices, empty_label="全部")
    year = django_filters.NumberFilter(label="决定年度", field_name="decided_on__year", min_value=2000,
                                       max_value=2099)
    overdue = overdue_checkbox("仅看超期")

    def overdue_rows(self, queryset, today: dt.date):
        return queryset.filter(status__in=OPEN, due_on__lt=today)

    class Meta:
        model = Matter
        fields: list[str] = []
