"""Filters of the audit log page (django-filter): staff by name and post, actions
and record kinds by their Chinese labels (``core.audit_labels``), never by code
typed by the user; dates as date inputs, in Beijing time."""

from __future__ import annotations

import django_filters
from django import forms

from minzheng.core.audit_labels import ACTION_LABELS, OBJECT_LABELS
from minzheng.core.models import AuditEntry, User
from minzheng.core.selectors import SYSTEM_ACTORS


def actor_choices() -> list[tuple[str, str]]:
    """Every staff account and system job, named as people know them."""
    staff = [(u.username, u.signature) for u in User.objects.only("username", "full_name", "post")]
    jobs = [(code, label) for code, label in SYSTEM_ACTORS.items()]
    return sorted(staff, key=lambda c: c[1]) + jobs


def action_choices() -> list[tuple[str, str]]:
    return sorted(ACTION_LABELS.items(), key=lambda kv: kv[1])


def object_choices() -> list[tuple[str, str]]:
    return sorted(OBJECT_LABELS.items(), key=lambda kv: kv[1])


class AuditFilter(django_filters.FilterSet):
    actor = django_filters.ChoiceFilter(choices=actor_choices, label="操作人", empty_label="全部")
    action = django_filters.ChoiceFilter(choices=action_choices, label="操作", empty_label="全部")
    object_type = django_filters.ChoiceFilter(choices=object_choices, label="对象类别", empty_label="全部")
    object_id = django_filters.CharFilter(field_name="object_id", label="对象编号")
    date_from = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label="起始日期",
                                          widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label="截止日期",
                                        widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = AuditEntry
        fields: list[str] = []
