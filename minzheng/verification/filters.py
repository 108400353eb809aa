"""Filters of the verification queue (django-filter, ADR 0012): statuses and
purposes by their Chinese labels, streets within the user's jurisdiction,
the committee as a picker."""

from __future__ import annotations

import django_filters

from minzheng.core.list_filters import ScopedListFilters, committee_filter, street_filter
from minzheng.verification.models import Purpose, Status, VerificationRequest


class RequestFilter(ScopedListFilters):
    status = django_filters.ChoiceFilter(label="状态", choices=Status.choices, empty_label="全部状态")
    purpose = django_filters.ChoiceFilter(label="核对用途", choices=Purpose.choices, empty_label="全部用途")
    street = street_filter()
    committee = committee_filter()

    class Meta:
        model = VerificationRequest
        fields: list[str] = []

