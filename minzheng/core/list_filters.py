"""The street, committee and overdue filters the work lists share (django-filter,
ADR 0012): the street is a ``<select>`` of the streets in the user's
jurisdiction, offered only to a district account that sees more than one; the
committee is a picker (never a typed code); "overdue" is a flag whose rows each
list defines (``overdue_rows``). The filters narrow the rows the list's
selector already scoped to the user; they never widen them.

Apps declare the filters with the factories below and mix ``ScopedListFilters``
into their ``FilterSet``; the labels live here, once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

from minzheng.core.models import DivisionLevel
from minzheng.core.pickers import committee_field
from minzheng.core.scope import Scope
from minzheng.core.selectors import streets_visible

ALL_STREETS = "全部街镇"
YES = [("1", "是")]


def street_filter(field_name: str = "street_id", label: str = "街镇") -> django_filters.ChoiceFilter:
    """街镇 (of the row, or of what ``field_name`` leads to, e.g. the employer's
    street): its choices are set per user (``ScopedListFilters``)."""
    return django_filters.ChoiceFilter(field_name=field_name, label=label, empty_label=ALL_STREETS)


def committee_filter() -> django_filters.CharFilter:
    """居村委, as a picker of the committees in the user's jurisdiction."""
    return django_filters.CharFilter(field_name="committee_id", label="居村委", widget=committee_field().widget)


def overdue_checkbox(label: str) -> django_filters.BooleanFilter:
    """A "only the overdue ones" checkbox (casework lists: 仅看超期 / 仅看逾期)."""
    return django_filters.BooleanFilter(label=label, method="filter_overdue",
                                        widget=forms.CheckboxInput(attrs={"value": "1"}))


def overdue_choice(label: str = "已超期") -> django_filters.ChoiceFilter:
    """An overdue flag as a 全部/是 ``<select>`` (monitoring lists)."""
    return django_filters.ChoiceFilter(label=label, choices=YES, empty_label="全部", method="filter_overdue")


class ScopedListFilters(django_filters.FilterSet):
    """A ``FilterSet`` base for lists scoped to the user's jurisdiction.

    - ``street`` (if declared): kept only for a district account that sees more
      than one street, with those streets as its choices;
    - ``committee`` (if declared): dropped for a committee account when
      ``committee_for_committee_accounts`` is false (it has nothing to choose);
    - an overdue flag (``overdue_checkbox``/``overdue_choice``) narrows to
      ``overdue_rows(qs, today)``, which the list defines.
    """

    committee_for_committee_accounts: bool = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if "street" in self.filters:
            self._scope_streets(user)
        if (not self.committee_for_committee_accounts and user is not None and "committee" in self.filters
                and Scope.of(user).level == DivisionLevel.COMMITTEE):
            del self.filters["committee"]
            self.form.fields.pop("committee", None)
        for name, flt in self.filters.items():
            if isinstance(flt, django_filters.BooleanFilter) and flt.method == "filter_overdue":
                self.form.fields[name].required = False

    def _scope_streets(self, user: Any) -> None:
        district = user is not None and Scope.of(user).level == DivisionLevel.DISTRICT
        streets = list(streets_visible(user)) if district else []
        if len(streets) <= 1:  # a user inside one street has nothing to choose
            self.filters.pop("street", None)
            self.form.fields.pop("street", None)
        else:
            self.form.fields["street"].choices = [("", ALL_STREETS), *((s.code, s.name) for s in streets)]

    def filter_overdue(self, qs: QuerySet, name: str, value: bool | str | None) -> QuerySet:
        return self.overdue_rows(qs, dt.date.today()) if value in (True, "1") else qs

    def overdue_rows(self, qs: QuerySet, today: dt.date) -> QuerySet:
        raise NotImplementedError(f"{type(self).__name__} declares an overdue filter without overdue_rows")
