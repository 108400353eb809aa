"""Filters of the verification queue (django-filter, ADR 0012): statuses and
purposes by their Chinese labels, streets within the user's jurisdiction,
the committee as a picker."""

from __future__ import annotations

from typing import Any

import django_filters

from minzheng.core.models import DivisionLevel
from minzheng.core.pickers import committee_field
from minzheng.core.scope import Scope
from minzheng.verification import selectors
from minzheng.verification.models import Purpose, Status, VerificationRequest


class RequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=Status.choices, empty_label="全部状态")
    purpose = django_filters.ChoiceFilter(label="核对用途", choices=Purpose.choices, empty_label="全部用途")
    street = django_filters.ChoiceFilter(field_name="street_id", label="街镇", empty_label="全部街镇")
    committee = django_filters.CharFilter(field_name="committee_id", label="居村委",
                                          widget=committee_field().widget)

    class Meta:
        model = VerificationRequest
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.request.user if self.request is not None else None
        district = user is not None and Scope.of(user).level == DivisionLevel.DISTRICT
        streets = list(selectors.streets_visible(user)) if district else []
        if len(streets) <= 1:  # a user inside one street has nothing to choose
            self.filters.pop("street")
            self.form.fields.pop("street", None)
        else:
            self.form.fields["street"].choices = [("", "全部街镇"), *((s.code, s.name) for s in streets)]
