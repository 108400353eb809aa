"""Filters of the casework lists (django-filter, ADR 0012). Every choice shows
its Chinese label (model choices); the committee is a picker, never a typed code."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import QuerySet

from minzheng.casework import selectors
from minzheng.casework.models import (
    Application,
    EnrolledProgram,
    Enrolment,
    EnrolmentStatus,
    Program,
    Status,
)
from minzheng.core.list_filters import (
    ScopedListFilters,
    committee_filter,
    overdue_checkbox,
    street_filter,
)

OPEN = "open"


class ApplicationFilter(ScopedListFilters):
    status = django_filters.ChoiceFilter(label="状态", choices=[(OPEN, "办理中"), *Status.choices],
                                         method="filter_status", empty_label="全部状态")
    program = django_filters.ChoiceFilter(label="救助项目", choices=Program.choices, empty_label="全部项目")
    street = street_filter()
    committee = committee_filter()
    overdue = overdue_checkbox("仅看超期")

    class Meta:
        model = Application
        fields: list[str] = []

    def filter_status(self, qs: Any, name: str, value: str) -> Any:
        return selectors.applications_open(qs) if value == OPEN else qs.filter(status=value)

    def overdue_rows(self, qs: QuerySet, today: dt.date) -> QuerySet:
        return selectors.applications_overdue(qs, today)


class EnrolmentFilter(ScopedListFilters):
    status = django_filters.ChoiceFilter(label="状态", choices=EnrolmentStatus.choices, empty_label="全部状态")
    program = django_filters.ChoiceFilter(label="救助项目", choices=EnrolledProgram.choices, empty_label="全部项目")
    street = street_filter()
    committee = committee_filter()

    class Meta:
        model = Enrolment
        fields: list[str] = []


class RereviewFilter(ScopedListFilters):
    program = django_filters.ChoiceFilter(label="救助项目", choices=EnrolledProgram.choices, empty_label="全部项目")
    street = street_filter()
    committee = committee_filter()
    overdue = overdue_checkbox("仅看逾期")

    class Meta:
        model = Enrolment
        fields: list[str] = []

    def overdue_rows(self, qs: QuerySet, today: dt.date) -> QuerySet:
        return qs.filter(next_review_on__lt=today)
