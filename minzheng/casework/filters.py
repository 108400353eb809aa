"""Filters of the casework lists (django-filter, ADR 0012). Every choice shows
its Chinese label (model choices); the committee is a picker, never a typed code."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms

from minzheng.casework import selectors
from minzheng.casework.models import (
    Application,
    EnrolledProgram,
    Enrolment,
    EnrolmentStatus,
    Program,
    Status,
)
from minzheng.core.models import DivisionLevel
from minzheng.core.pickers import committee_field
from minzheng.core.scope import Scope

OPEN = "open"


def _street_filter() -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(field_name="street_id", label="街镇", empty_label="全部街镇")


def _scope_streets(filterset: django_filters.FilterSet) -> None:
    """Offer the streets the user may see; a user inside one street gets no street filter."""
    request = filterset.request
    district = request is not None and Scope.of(request.user).level == DivisionLevel.DISTRICT
    streets = list(selectors.streets_visible(request.user)) if district else []
    if len(streets) <= 1:
        filterset.filters.pop("street", None)
        filterset.form.fields.pop("street", None)
    else:
        filterset.form.fields["street"].choices = [("", "全部街镇"), *((s.code, s.name) for s in streets)]


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=[(OPEN, "办理中"), *Status.choices],
                                         method="filter_status", empty_label="全部状态")
    program = django_filters.ChoiceFilter(label="救助项目", choices=Program.choices, empty_label="全部项目")
    street = _street_filter()
    committee = django_filters.CharFilter(field_name="committee_id", label="居村委",
                                          widget=committee_field().widget)
    overdue = django_filters.BooleanFilter(label="仅看超期", method="filter_overdue",
                                           widget=forms.CheckboxInput(attrs={"value": "1"}))

    class Meta:
        model = Application
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _scope_streets(self)
        self.form.fields["overdue"].required = False

    def filter_status(self, qs: Any, name: str, value: str) -> Any:
        return selectors.applications_open(qs) if value == OPEN else qs.filter(status=value)

    def filter_overdue(self, qs: Any, name: str, value: bool | None) -> Any:
        return selectors.applications_overdue(qs, dt.date.today()) if value else qs


class EnrolmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=EnrolmentStatus.choices, empty_label="全部状态")
    program = django_filters.ChoiceFilter(label="救助项目", choices=EnrolledProgram.choices, empty_label="全部项目")
    street = _street_filter()
    committee = django_filters.CharFilter(field_name="committee_id", label="居村委",
                                          widget=committee_field().widget)

    class Meta:
        model = Enrolment
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _scope_streets(self)


class RereviewFilter(django_filters.FilterSet):
    program = django_filters.ChoiceFilter(label="救助项目", choices=EnrolledProgram.choices, empty_label="全部项目")
    street = _street_filter()
    committee = django_filters.CharFilter(field_name="committee_id", label="居村委",
                                          widget=committee_field().widget)
    overdue = django_filters.BooleanFilter(label="仅看逾期", method="filter_overdue",
                                           widget=forms.CheckboxInput(attrs={"value": "1"}))

    class Meta:
        model = Enrolment
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _scope_streets(self)
        self.form.fields["overdue"].required = False

    def filter_overdue(self, qs: Any, name: str, value: bool | None) -> Any:
        return qs.filter(next_review_on__lt=dt.date.today()) if value else qs
