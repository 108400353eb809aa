"""Filters of the payments lists (django-filter). Programs and statuses are
selects with Chinese labels; months are month inputs (ADR 0012)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import QuerySet

from minzheng.core.bounds import month_check
from minzheng.core.pickers import committee_field
from minzheng.payments.forms import MonthInput
from minzheng.payments.labels import one_off_program_choices, program_choices
from minzheng.payments.models import (
    BatchStatus,
    OneOffPayment,
    OneOffStatus,
    PaymentBatch,
    PaymentLine,
    Receivable,
    SampleDraw,
    SamplePurpose,
)


class ProgramFilter(django_filters.ChoiceFilter):
    """A program select whose choices (cash programs and one-off grants) are read per request."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "救助项目")
        kwargs.setdefault("empty_label", "全部")
        super().__init__(*args, choices=program_choices, **kwargs)


class BatchFilter(django_filters.FilterSet):
    program = ProgramFilter()
    month = django_filters.CharFilter(label="发放月份", widget=MonthInput())
    status = django_filters.ChoiceFilter(label="状态", choices=BatchStatus.choices, empty_label="全部")

    class Meta:
        model = PaymentBatch
        fields: list[str] = []


class OneOffFilter(django_filters.FilterSet):
    program = django_filters.ChoiceFilter(label="补贴项目", choices=one_off_program_choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=OneOffStatus.choices, empty_label="全部")
    committee = django_filters.CharFilter(field_name="committee_id", label="居村委", widget=committee_field().widget)

    class Meta:
        model = OneOffPayment
        fields: list[str] = []


class CorrectionFilter(django_filters.FilterSet):
    program = ProgramFilter()
    committee = django_filters.CharFilter(field_name="committee_id", label="居村委", widget=committee_field().widget)

    class Meta:
        model = PaymentLine
        fields: list[str] = []


def year_choices() -> list[tuple[str, str]]:
    this = dt.date.today().year
    return [(str(y), f"{y}年") for y in range(this, this - 8, -1)]


class LedgerFilter(django_filters.FilterSet):
    """年度 or 发放月份 (a month wins), program."""

    year = django_filters.ChoiceFilter(label="年度", choices=year_choices, empty_label="不限", method="by_year")
    month = django_filters.CharFilter(label="或发放月份", widget=MonthInput(), method="by_month",
                                      validators=[lambda value: month_check(value, "发放月份", months_ahead=None)])
    program = ProgramFilter()

    class Meta:
        model = PaymentLine
        fields: list[str] = []

    def by_year(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if self.form.cleaned_data.get("month"):
            return qs
        return qs.filter(batch__month__startswith=f"{value}-")

    def by_month(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(batch__month=value)


class ReceivableFilter(django_filters.FilterSet):
    committee = django_filters.CharFilter(field_name="committee_id", label="居村委", widget=committee_field().widget)
    name = django_filters.CharFilter(field_name="person__name", lookup_expr="contains", label="姓名含")

    class Meta:
        model = Receivable
        fields: list[str] = []


class SampleDrawFilter(django_filters.FilterSet):
    purpose = django_filters.ChoiceFilter(label="类型", choices=SamplePurpose.choices, empty_label="全部")
    month = django_filters.CharFilter(label="发放月份", widget=MonthInput())

    class Meta:
        model = SampleDraw
        fields: list[str] = []


def street_choices() -> list[tuple[str, str]]:
    from minzheng.core.models import Division, DivisionLevel

    return list(Division.objects.filter(level=DivisionLevel.STREET).order_by("code").values_list("code", "name"))


class SettlementFilter(django_filters.FilterSet):
    """重新测算差额处理: the program and months the plan is made for (read by
    the view), then which rows to show — by action and street. The rows are
    the plan's (a list, not a query): ``qs`` filters the list."""

    program = ProgramFilter(empty_label="请选择", method="_keep")
    first = django_filters.CharFilter(label="起始月份", widget=MonthInput(), method="_keep")
    last = django_filters.CharFilter(label="截止月份", widget=MonthInput(), method="_keep")
    action = django_filters.ChoiceFilter(label="处理", empty_label="全部", method="_keep",
                                         choices=[(a, a) for a in ("补差", "追缴", "需复核", "无需处理")])
    street = django_filters.ChoiceFilter(label="街镇", choices=street_choices, empty_label="全部", method="_keep")

    class Meta:
        model = PaymentLine
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, **kwargs):
        self.plan_rows = list(queryset or [])
        super().__init__(data, queryset=PaymentLine.objects.none(), **kwargs)

    def _keep(self, rows, name: str, value: str):  # pragma: no cover - ``qs`` below does the filtering
        return rows

    @property
    def qs(self) -> list:
        rows = self.plan_rows
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        if data.get("action"):
            rows = [r for r in rows if r.action == data["action"]]
        if data.get("street"):
            rows = [r for r in rows if r.street_id == data["street"]]
        return rows
