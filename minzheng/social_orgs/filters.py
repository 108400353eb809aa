"""Filters of the register list (django-filter, ADR 0012)."""

from __future__ import annotations

import django_filters

from minzheng.core.list_filters import ScopedListFilters, street_filter
from minzheng.social_orgs.models import Organization, OrgKind, OrgStatus, PartyStatus


class OrganizationFilter(ScopedListFilters):
    q = django_filters.CharFilter(label="名称", field_name="name", lookup_expr="contains", max_length=100)
    uscc = django_filters.CharFilter(label="统一社会信用代码", field_name="uscc", lookup_expr="iexact", max_length=18)
    kind = django_filters.ChoiceFilter(label="类型", choices=OrgKind.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="登记状态", choices=OrgStatus.choices, empty_label="全部")
    supervisor = django_filters.CharFilter(label="业务主管单位", field_name="supervisor", lookup_expr="contains",
                                           max_length=100)
    party_status = django_filters.ChoiceFilter(label="党组织建立情况", choices=PartyStatus.choices, empty_label="全部")
    community = django_filters.BooleanFilter(label="社区社会组织")
    street = street_filter(label="所在街镇")

    class Meta:
        model = Organization
        fields: list[str] = []
