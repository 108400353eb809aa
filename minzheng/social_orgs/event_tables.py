"""The major-event reports and the unfiled annual reports as tables with filters (core.lists)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.urls import reverse

from minzheng.core.list_filters import ScopedListFilters, street_filter
from minzheng.core.lists import StaffTable
from minzheng.social_orgs.models import EventKind, EventStatus, MajorEvent, Organization, OrgKind

NOWRAP = {"td": {"class": "text-nowrap"}}


class EventTable(StaffTable):
    id = tables.Column("编号", linkify=lambda record: reverse("social_orgs:event_detail", args=[record.pk]),
                       attrs=NOWRAP)
    organization = tables.Column("社会组织", accessor="organization__name")
    kind = tables.Column("事项类别", attrs=NOWRAP)
    title = tables.Column("事项名称")
    event_on = tables.DateColumn(verbose_name="事项日期", format="Y-m-d", attrs=NOWRAP)
    reported_on = tables.DateColumn(verbose_name="报告日期", format="Y-m-d", attrs=NOWRAP)
    status = tables.Column("状态", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = MajorEvent
        attrs = {**StaffTable.Meta.attrs, "id": "events"}
        fields = ("id", "organization", "kind", "title", "event_on", "reported_on", "status")
        sequence = fields


class EventFilter(ScopedListFilters):
    q = django_filters.CharFilter(label="社会组织", field_name="organization__name", lookup_expr="contains",
                                  max_length=100)
    kind = django_filters.ChoiceFilter(label="事项类别", choices=EventKind.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=EventStatus.choices, empty_label="全部")
    year = django_filters.NumberFilter(label="报告年度", field_name="reported_on__year", min_value=2000,
                                       max_value=2099)

    class Meta:
        model = MajorEvent
        fields: list[str] = []


class UnfiledTable(StaffTable):
    name = tables.Column("社会组织", linkify=lambda record: reverse("social_orgs:detail", args=[record.pk]))
    kind = tables.Column("类型", attrs=NOWRAP)
    supervisor = tables.Column("业务主管单位（行业管理部门）")
    street = tables.Column("所在街镇", accessor="street__name", default="未登记地址", attrs=NOWRAP)
    reminder_count = tables.Column("已催报（次）", attrs=NOWRAP, orderable=False)
    last_reminded = tables.DateColumn(verbose_name="最近催报", format="Y-m-d", attrs=NOWRAP, default="未催报",
                                      orderable=False)
    send = tables.TemplateColumn(template_name="social_orgs/_remind_button.html", verbose_name="催报",
                                 orderable=False, exclude_from_export=True)

    class Meta(StaffTable.Meta):
        model = Organization
        attrs = {**StaffTable.Meta.attrs, "id": "unfiled"}
        fields = ("name", "kind", "supervisor", "street", "reminder_count", "last_reminded", "send")
        sequence = fields


class UnfiledFilter(ScopedListFilters):
    q = django_filters.CharFilter(label="名称", field_name="name", lookup_expr="contains", max_length=100)
    kind = django_filters.ChoiceFilter(label="类型", choices=OrgKind.choices, empty_label="全部")
    street = street_filter()
    reminded = django_filters.ChoiceFilter(label="催报情况", choices=[("no", "未催报"), ("yes", "已催报")],
                                           empty_label="全部", method="filter_reminded")

    def filter_reminded(self, queryset, name, value):
        return queryset.filter(reminder_count=0) if value == "no" else queryset.filter(reminder_count__gt=0)

    class Meta:
        model = Organization
        fields: list[str] = []
