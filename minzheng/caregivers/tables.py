"""The caregiver list (``core.lists``): ID numbers masked, labels not codes."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse

from minzheng.caregivers.models import Caregiver
from minzheng.core.lists import StaffTable

NOWRAP = {"td": {"class": "text-nowrap"}}


class CaregiverTable(StaffTable):
    name = tables.Column("姓名", linkify=lambda record: reverse("caregivers:detail", args=[record.pk]), attrs=NOWRAP)
    id_number_masked = tables.Column("身份证号", attrs=NOWRAP)
    employer = tables.Column("工作单位", accessor="employer__name")
    street = tables.Column("所在街镇", accessor="employer__street__name", attrs=NOWRAP)
    certificate_level = tables.Column("等级证书", attrs=NOWRAP, default="未持证")
    certificate_issued_on = tables.DateColumn(verbose_name="发证日期", format="Y-m-d", attrs=NOWRAP, default="—")
    active = tables.BooleanColumn("在职", yesno="在职,离职", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = Caregiver
        attrs = {**StaffTable.Meta.attrs, "id": "caregivers"}
        fields = ("name", "id_number_masked", "employer", "street", "certificate_level", "certificate_issued_on",
                  "active")
        sequence = fields
