"""Lists of 流浪乞讨人员救助 as tables (``core.lists``): labels, masked ID numbers."""

from __future__ import annotations

import django_tables2 as tables
from django.db.models import Count
from django.urls import reverse

from minzheng.core.lists import StaffTable
from minzheng.homeless_rescue.models import Rescue, RescuedPerson

NOWRAP = {"td": {"class": "text-nowrap"}}


class RescueTable(StaffTable):
    found_at = tables.DateTimeColumn(verbose_name="发现时间", format="Y-m-d H:i", attrs=NOWRAP,
                                     linkify=lambda record: reverse("homeless_rescue:rescue_detail", args=[record.pk]))
    person = tables.Column("受助人员", accessor="person", order_by=("person__name",))
    id_number = tables.Column("身份证号", accessor="person__id_number_masked", orderable=False, default="—",
                              attrs=NOWRAP)
    street = tables.Column("发现街镇", accessor="street__name", attrs=NOWRAP)
    place = tables.Column("发现地点")
    finder_kind = tables.Column("发现来源", accessor="finder_kind__label", attrs=NOWRAP)
    campaign = tables.Column("专项行动", accessor="campaign__name", default="—")
    outcome = tables.Column("结果", attrs=NOWRAP)
    outcome_on = tables.DateColumn(verbose_name="结果日期", format="Y-m-d", default="—", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = Rescue
        attrs = {**StaffTable.Meta.attrs, "id": "rescues"}
        fields = ("found_at", "person", "id_number", "street", "place", "finder_kind", "campaign", "outcome",
                  "outcome_on")
        sequence = fields

    def render_person(self, record):
        return record.person.display_name

    def value_person(self, record):
        return record.person.display_name


class PersonTable(StaffTable):
    pk = tables.Column("编号", attrs=NOWRAP,
                       linkify=lambda record: reverse("homeless_rescue:person_detail", args=[record.pk]))
    name = tables.Column("姓名", empty_values=(), order_by=("name",))
    identity = tables.Column("身份", attrs=NOWRAP)
    id_number_masked = tables.Column("身份证号", orderable=False, default="—", attrs=NOWRAP)
    sex = tables.Column("性别", attrs=NOWRAP)
    hometown = tables.Column("自述户籍地或家乡", default="—")
    rescue_count = tables.Column("救助次数", attrs=NOWRAP)
    street = tables.Column("登记街镇", accessor="street__name", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = RescuedPerson
        attrs = {**StaffTable.Meta.attrs, "id": "rescued-persons"}
        fields = ("pk", "name", "identity", "id_number_masked", "sex", "hometown", "rescue_count", "street")
        sequence = fields

    def render_name(self, record):
        return record.display_name

    def value_name(self, record):
        return record.display_name


def with_rescue_count(qs):
    return qs.annotate(rescue_count=Count("rescues"))
