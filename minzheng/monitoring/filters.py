"""Filters of the monitoring lists (django-filter).

Statuses, kinds, bands and programs are ``<select>``s with their Chinese
labels; the committee is a picker, offered only where the user's reach has
more than one committee (ADR 0012). The filters narrow the rows the app's
selector already scoped to the user; they never widen them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import QuerySet

from minzheng.core.list_filters import YES, ScopedListFilters, committee_filter, overdue_choice
from minzheng.monitoring.models import (
    AutoEnrolmentNotice,
    EdgeBand,
    EdgeHousehold,
    ExitKind,
    ExitReview,
    ExitStatus,
    FollowUpTask,
    Lead,
    LeadOutcome,
    LeadStatus,
    TaskKind,
    TaskStatus,
)
from minzheng.monitoring.month_labels import month_label
from policy import PROGRAMS


def program_choices() -> list[tuple[str, str]]:
    return [(pid, p.label) for pid, p in PROGRAMS.items()]


class MonitoringFilter(ScopedListFilters):
    """Shared behaviour: the committee picker only where the reach spans committees
    (``ScopedListFilters``); "open" as the status a list starts with (a status of
    "全部" is an empty value); overdue = still open past its due date."""

    default_status: str = ""
    committee_for_committee_accounts = False

    def __init__(self, data: Any = None, *args: Any, request: Any = None, **kwargs: Any) -> None:
        if self.default_status and (data is None or "status" not in data):
            data = data.copy() if data is not None else {}
            data["status"] = self.default_status
        super().__init__(data, *args, request=request, **kwargs)

    def overdue_rows(self, qs: QuerySet, today: dt.date) -> QuerySet:
        return qs.filter(status="open", due_on__lt=today)


class LeadFilter(MonitoringFilter):
    default_status = LeadStatus.OPEN
    status = django_filters.ChoiceFilter(label="状态", choices=LeadStatus.choices, empty_label="全部")
    program = django_filters.ChoiceFilter(label="救助项目", choices=program_choices, empty_label="全部")
    outcome = django_filters.ChoiceFilter(label="跟进结果", choices=LeadOutcome.choices, empty_label="全部")
    committee = committee_filter()
    escalated = django_filters.ChoiceFilter(label="已上报街镇", choices=YES, empty_label="全部",
                                            method="flag_escalated")
    overdue_only = overdue_choice("已超期")

    class Meta:
        model = Lead
        fields: list[str] = []

    def flag_escalated(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(escalated=True) if value == "1" else qs


class TaskFilter(MonitoringFilter):
    default_status = TaskStatus.OPEN
    status = django_filters.ChoiceFilter(label="状态", choices=TaskStatus.choices, empty_label="全部")
    kind = django_filters.ChoiceFilter(label="风险类型", choices=TaskKind.choices, empty_label="全部")
    committee = committee_filter()
    escalated = django_filters.ChoiceFilter(label="已上报街镇", choices=YES, empty_label="全部",
                                            method="flag_escalated")
    overdue_only = overdue_choice("已超期")

    class Meta:
        model = FollowUpTask
        fields: list[str] = []

    def flag_escalated(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(escalated=True) if value == "1" else qs


class ExitFilter(MonitoringFilter):
    default_status = ExitStatus.OPEN
    status = django_filters.ChoiceFilter(label="状态", choices=ExitStatus.choices, empty_label="全部")
    program = django_filters.ChoiceFilter(label="救助项目", choices=program_choices, empty_label="全部")
    kind = django_filters.ChoiceFilter(label="原因", choices=ExitKind.choices, empty_label="全部")
    committee = committee_filter()
    overdue_only = overdue_choice("已超期")

    class Meta:
        model = ExitReview
        fields: list[str] = []


class EdgeFilter(MonitoringFilter):
    """The month defaults to the latest one monitored (the selector's choice)."""

    month = django_filters.ChoiceFilter(label="月份", empty_label=None, method="in_month")
    band = django_filters.ChoiceFilter(label="类别", choices=EdgeBand.choices, empty_label="全部")
    committee = committee_filter()

    class Meta:
        model = EdgeHousehold
        fields: list[str] = []

    def __init__(self, *args: Any, months: list[str] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.filters["month"].extra["choices"] = [(m, month_label(m)) for m in months]
        self.form.fields["month"].choices = self.filters["month"].extra["choices"]

    def in_month(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs  # the rows come for one month already (``selectors.edge_list``)


class NoticeFilter(MonitoringFilter):
    program = django_filters.ChoiceFilter(label="救助项目", choices=program_choices, empty_label="全部")
    committee = committee_filter()

    class Meta:
        model = AutoEnrolmentNotice
        fields: list[str] = []
