"""Filters of the caregiver list (django-filter, ADR 0012)."""

from __future__ import annotations

import django_filters

from minzheng.caregivers.models import Caregiver, CertificateLevel
from minzheng.core.list_filters import ScopedListFilters, street_filter

LEVEL_CHOICES = [("none", "未持证"), *CertificateLevel.choices]


class CaregiverFilter(ScopedListFilters):
    q = django_filters.CharFilter(label="姓名", field_name="name", lookup_expr="contains", max_length=64)
    employer_name = django_filters.CharFilter(label="工作单位", field_name="employer__name", lookup_expr="contains",
                                              max_length=100)
    street = street_filter("employer__street_id", label="所在街镇")
    level = django_filters.ChoiceFilter(label="等级证书", choices=LEVEL_CHOICES, empty_label="全部", method="by_level")
    active = django_filters.ChoiceFilter(label="在职", choices=[("1", "在职"), ("0", "离职")], empty_label="全部",
                                         method="by_active")

    class Meta:
        model = Caregiver
        fields: list[str] = []

    def by_level(self, qs, name, value):
        return qs.filter(certificate_level="" if value == "none" else value)

    def by_active(self, qs, name, value):
        return qs.filter(active=value == "1")
