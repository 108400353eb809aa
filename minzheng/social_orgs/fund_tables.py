"""The support-fund lists as tables and their filters (core.lists, ADR 0043)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.urls import reverse

from minzheng.core.list_filters import ScopedListFilters
from minzheng.core.lists import StaffTable
from minzheng.social_orgs.models import ApplicationStatus, FundApplication, FundCall, FundKind
from policy.money import format_fen

NOWRAP = {"td": {"class": "text-nowrap"}}


class YuanColumn(tables.Column):
    """Fen shown (and exported) as yuan; an empty amount as —."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("attrs", {"td": {"class": "text-end text-nowrap"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return format_fen(int(value), grouping=True)

    def value(self, value):
        return format_fen(int(value)) if value is not None else ""


class CallTable(StaffTable):
    title = tables.Column("名称", linkify=lambda record: reverse("social_orgs:fund_call", args=[record.pk]))
    kind = tables.Column("类别", attrs=NOWRAP)
    year = tables.Column("年度", attrs=NOWRAP)
    budget_fen = YuanColumn("资金总额（元）")
    max_per_project_fen = YuanColumn("单个项目上限（元）")
    opens_on = tables.DateColumn(verbose_name="申报开始", format="Y-m-d", attrs=NOWRAP)
    closes_on = tables.DateColumn(verbose_name="申报截止", format="Y-m-d", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = FundCall
        attrs = {**StaffTable.Meta.attrs, "id": "fund-calls"}
        fields = ("title", "kind", "year", "budget_fen", "max_per_project_fen", "opens_on", "closes_on")
        sequence = fields


class CallFilter(ScopedListFilters):
    q = django_filters.CharFilter(label="名称", field_name="title", lookup_expr="contains", max_length=100)
    year = django_filters.NumberFilter(label="年度", min_value=2000, max_value=2099)
    kind = django_filters.ChoiceFilter(label="类别", choices=FundKind.choices, empty_label="全部")

    class Meta:
        model = FundCall
        fields: list[str] = []


class ApplicationTable(StaffTable):
    project_name = tables.Column("项目名称",
                                 linkify=lambda record: reverse("social_orgs:fund_application", args=[record.pk]))
    organization = tables.Column("社会组织", accessor="organization__name")
    call = tables.Column("申报", accessor="call__title")
    filed_on = tables.DateColumn(verbose_name="申报日期", format="Y-m-d", attrs=NOWRAP)
    requested_fen = YuanColumn("申请金额（元）")
    status = tables.Column("状态", attrs=NOWRAP)
    awarded_fen = YuanColumn("资助金额（元）", default="—")

    class Meta(StaffTable.Meta):
        model = FundApplication
        attrs = {**StaffTable.Meta.attrs, "id": "fund-applications"}
        fields = ("project_name", "organization", "call", "filed_on", "requested_fen", "status", "awarded_fen")
        sequence = fields


class ApplicationFilter(ScopedListFilters):
    q = django_filters.CharFilter(label="社会组织", field_name="organization__name", lookup_expr="contains",
                                  max_length=100)
    year = django_filters.NumberFilter(label="年度", field_name="call__year", min_value=2000, max_value=2099)
    kind = django_filters.ChoiceFilter(label="类别", field_name="call__kind", choices=FundKind.choices,
                                       empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=ApplicationStatus.choices, empty_label="全部")

    class Meta:
        model = FundApplication
        fields: list[str] = []
