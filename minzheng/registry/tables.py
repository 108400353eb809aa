"""Registry lists as tables (sorting, paging, Excel export: ``core.lists``)."""

from __future__ import annotations

import django_tables2 as tables
from django.template.loader import render_to_string

from minzheng.core.lists import StaffTable
from minzheng.registry.models import Household
from minzheng.registry.templatetags.registry_labels import household_head


class HouseholdTable(StaffTable):
    head = tables.Column("户主", empty_values=(), orderable=False)
    street = tables.Column("街镇", accessor="street__name", order_by=("street_id",))
    committee = tables.Column("居村委", accessor="committee__name", order_by=("committee_id",))
    address = tables.Column("居住地址")
    member_count = tables.Column("现有成员", attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}})

    class Meta(StaffTable.Meta):
        model = Household
        fields = ("head", "street", "committee", "address", "member_count")
        order_by = ("committee",)

    def render_head(self, record: Household) -> str:
        return render_to_string("cells/household.html", {"value": record})

    def value_head(self, record: Household) -> str:
        head = household_head(record)
        return f"{head.title} {head.id_masked}".strip()
