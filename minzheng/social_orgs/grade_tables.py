"""The evaluation-grade lists as tables and filters (core.lists): applications,
grades with their validity, rewards. Labels, not codes; a reward without a value
shows 参数缺失, never 0."""

from __future__ import annotations

import datetime as dt

import django_filters
import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone

from minzheng.core.list_filters import ScopedListFilters
from minzheng.core.lists import StaffTable
from minzheng.social_orgs.grade_models import (
    ApplicationStatus,
    EvaluationApplication,
    Grade,
    GradeReward,
    OrganizationGrade,
    RewardStatus,
)
from minzheng.social_orgs.grade_selectors import valid_on
from minzheng.social_orgs.grades import MISSING_TEXT
from minzheng.social_orgs.models import OrgKind, OrgStatus
from policy.money import format_fen

NOWRAP = {"td": {"class": "text-nowrap"}}


class ApplicationTable(StaffTable):
    organization = tables.Column("社会组织", accessor="organization__name",
                                 linkify=lambda record: reverse("social_orgs:grade_detail", args=[record.pk]))
    year = tables.Column("评估年度", accessor="round__year", attrs=NOWRAP)
    applied_on = tables.DateColumn(verbose_name="申报日期", format="Y-m-d", attrs=NOWRAP)
    status = tables.Column("状态", attrs=NOWRAP)
    grade = tables.Column("评定等级", attrs=NOWRAP, default="—")
    decided_on = tables.DateColumn(verbose_name="审定日期", format="Y-m-d", attrs=NOWRAP, default="—")

    class Meta(StaffTable.Meta):
        model = EvaluationApplication
        attrs = {**StaffTable.Meta.attrs, "id": "grade-applications"}
        fields = ("organization", "year", "applied_on", "status", "grade", "decided_on")
        sequence = fields


class ApplicationFilter(ScopedListFilters):
    q = django_filters.CharFilter(label="社会组织", field_name="organization__name", lookup_expr="contains",
                                  max_length=100)
    year = django_filters.NumberFilter(label="评估年度", field_name="round__year", min_value=2000, max_value=2099)
    status = django_filters.ChoiceFilter(label="状态", choices=ApplicationStatus.choices, empty_label="全部")
    grade = django_filters.ChoiceFilter(label="评定等级", choices=Grade.choices, empty_label="全部")

    class Meta:
        model = EvaluationApplication
        fields: list[str] = []


class GradeTable(StaffTable):
    organization = tables.Column("社会组织", accessor="organization__name",
                                 linkify=lambda record: reverse("social_orgs:detail", args=[record.organization_id]))
    kind = tables.Column("类型", accessor="organization__kind", attrs=NOWRAP)
    grade = tables.Column("评估等级", attrs=NOWRAP)
    valid_from = tables.DateColumn(verbose_name="有效期起", format="Y-m-d", attrs=NOWRAP)
    valid_until = tables.DateColumn(verbose_name="有效期至", format="Y-m-d", attrs=NOWRAP)
    state = tables.Column("状态", accessor="pk", orderable=False, attrs=NOWRAP)

    def render_state(self, record: OrganizationGrade) -> str:
        return grade_state(record, timezone.localdate())

    def value_state(self, record: OrganizationGrade) -> str:
        return grade_state(record, timezone.localdate())

    class Meta(StaffTable.Meta):
        model = OrganizationGrade
        attrs = {**StaffTable.Meta.attrs, "id": "grades"}
        fields = ("organization", "kind", "grade", "valid_from", "valid_until", "state")
        sequence = fields


def grade_state(grade: OrganizationGrade, today: dt.date) -> str:
    if grade.superseded_on is not None and grade.superseded_on < today:
        return "已被新等级取代"
    if grade.valid_until < today:
        return "已过期"
    if grade.valid_from > today:
        return "尚未生效"
    return f"有效（剩余{(grade.valid_until - today).days + 1}天）"


WINDOWS = (("valid", "有效"), ("expiring", "有效期将满"), ("expired", "已过期未重新评估"))


class GradeFilter(ScopedListFilters):
    q = django_filters.CharFilter(label="社会组织", field_name="organization__name", lookup_expr="contains",
                                  max_length=100)
    kind = django_filters.ChoiceFilter(label="类型", field_name="organization__kind", choices=OrgKind.choices,
                                       empty_label="全部")
    grade = django_filters.ChoiceFilter(label="评估等级", choices=Grade.choices, empty_label="全部")
    window = django_filters.ChoiceFilter(label="有效期", choices=WINDOWS, empty_label="全部", method="filter_window")
    days = django_filters.NumberFilter(label="将满天数（默认180天）", min_value=0, max_value=3650, method="filter_days")

    def filter_days(self, queryset, name, value):
        return queryset  # read by filter_window

    def filter_window(self, queryset, name, value):
        today = timezone.localdate()
        days = self.form.cleaned_data.get("days")
        days = 180 if days is None else int(days)
        current = queryset.filter(organization__status=OrgStatus.NORMAL, superseded_on__isnull=True)
        if value == "valid":
            return queryset.filter(valid_on(today))
        if value == "expiring":
            return current.filter(valid_on(today), valid_until__lte=today + dt.timedelta(days=days))
        if value == "expired":
            return current.filter(valid_until__lt=today)
        return queryset

    class Meta:
        model = OrganizationGrade
        fields: list[str] = []


class RewardTable(StaffTable):
    organization = tables.Column("社会组织", accessor="grade__organization__name",
                                 linkify=lambda record: reverse("social_orgs:reward_detail", args=[record.pk]))
    grade = tables.Column("评估等级", accessor="grade__grade", attrs=NOWRAP)
    valid_from = tables.DateColumn(verbose_name="审定日期", accessor="grade__valid_from", format="Y-m-d",
                                   attrs=NOWRAP)
    status = tables.Column("状态", attrs=NOWRAP)
    amount_fen = tables.Column("奖励金额（元）", attrs=NOWRAP, default=MISSING_TEXT)

    def render_amount_fen(self, value: int) -> str:
        return format_fen(value)

    def value_amount_fen(self, value: int | None) -> str:
        return MISSING_TEXT if value is None else format_fen(value)

    class Meta(StaffTable.Meta):
        model = GradeReward
        attrs = {**StaffTable.Meta.attrs, "id": "grade-rewards"}
        fields = ("organization", "grade", "valid_from", "status", "amount_fen")
        sequence = fields


class RewardFilter(ScopedListFilters):
    q = django_filters.CharFilter(label="社会组织", field_name="grade__organization__name", lookup_expr="contains",
                                  max_length=100)
    status = django_filters.ChoiceFilter(label="状态", choices=RewardStatus.choices, empty_label="全部")
    grade = django_filters.ChoiceFilter(label="评估等级", field_name="grade__grade", choices=Grade.choices,
                                        empty_label="全部")

    class Meta:
        model = GradeReward
        fields: list[str] = []
