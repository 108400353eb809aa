"""The lists of 残疾人服务 as tables (``core.lists``): Chinese labels, masked ID numbers."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse

from minzheng.core.lists import StaffTable
from minzheng.disability_services.models import AidRentalApplication, Rental
from minzheng.disability_services.selectors import Validity, enrolments_stopping
from minzheng.registry.models import DisabilityCertificate
from policy.money import format_fen

NOWRAP = {"td": {"class": "text-nowrap"}}


class CertificateTable(StaffTable):
    name = tables.Column("姓名", accessor="person__name", linkify=lambda record: reverse(
        "registry:person_detail", args=[record.person_id]))
    id_number = tables.Column("身份证号", accessor="person__id_number_masked", orderable=False, attrs=NOWRAP)
    street = tables.Column("街镇", accessor="person__street__name", attrs=NOWRAP)
    committee = tables.Column("居村委", accessor="person__committee__name", attrs=NOWRAP)
    number = tables.Column("证号", default="—", attrs=NOWRAP)
    grade = tables.Column("等级", attrs=NOWRAP)
    kind = tables.Column("类别", attrs=NOWRAP)
    valid_from = tables.DateColumn(verbose_name="有效期起", format="Y-m-d", attrs=NOWRAP)
    valid_to = tables.DateColumn(verbose_name="有效期止", format="Y-m-d", default="长期", attrs=NOWRAP)
    validity = tables.Column("有效性", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = DisabilityCertificate
        attrs = {**StaffTable.Meta.attrs, "id": "certificates"}
        fields = ("name", "id_number", "street", "committee", "number", "grade", "kind", "valid_from", "valid_to",
                  "validity")
        sequence = fields

    def render_validity(self, value):
        return Validity.LABELS.get(value, value)


class ExpiringTable(CertificateTable):
    stopping = tables.Column("到期后将停发", empty_values=(), orderable=False)

    class Meta(CertificateTable.Meta):
        attrs = {**StaffTable.Meta.attrs, "id": "expiring"}
        fields = (*CertificateTable.Meta.fields, "stopping")
        sequence = fields

    def render_stopping(self, record):
        return "、".join(enrolments_stopping(record)) or "—"

    def value_stopping(self, record):
        return self.render_stopping(record)


class ApplicationTable(StaffTable):
    number = tables.Column("申请编号", linkify=lambda record: reverse("disability_services:application_detail",
                                                                    args=[record.pk]), attrs=NOWRAP)
    name = tables.Column("残疾人", accessor="person__name")
    id_number = tables.Column("身份证号", accessor="person__id_number_masked", orderable=False, attrs=NOWRAP)
    street = tables.Column("街镇", accessor="street__name", attrs=NOWRAP)
    committee = tables.Column("居村委", accessor="committee__name", attrs=NOWRAP)
    applicant_name = tables.Column("申请人")
    device = tables.Column("辅具", accessor="rental__device_name")
    point = tables.Column("服务点", accessor="rental__point__name")
    status = tables.Column("状态", attrs=NOWRAP)
    applied_on = tables.DateColumn(verbose_name="申请日期", format="Y-m-d", attrs=NOWRAP)
    subsidy = tables.Column("补贴金额（元）", accessor="subsidy_fen", default="—", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = AidRentalApplication
        attrs = {**StaffTable.Meta.attrs, "id": "applications"}
        fields = ("number", "name", "id_number", "street", "committee", "applicant_name", "device", "point",
                  "status", "applied_on", "subsidy")
        sequence = fields

    def render_subsidy(self, value):
        return format_fen(value)


class RentalTable(StaffTable):
    device_name = tables.Column("辅具名称型号", linkify=lambda record: reverse("disability_services:rental_detail",
                                                                          args=[record.pk]))
    device_category = tables.Column("类别", attrs=NOWRAP)
    name = tables.Column("租用人", accessor="person__name")
    id_number = tables.Column("身份证号", accessor="person__id_number_masked", orderable=False, attrs=NOWRAP)
    street = tables.Column("居住街镇", accessor="street__name", attrs=NOWRAP)
    point = tables.Column("服务点", accessor="point__name")
    start_on = tables.DateColumn(verbose_name="开始", format="Y-m-d", attrs=NOWRAP)
    end_on = tables.DateColumn(verbose_name="结束", format="Y-m-d", default="租用中", attrs=NOWRAP)
    rent = tables.Column("月租金（元）", accessor="monthly_rent_fen", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = Rental
        attrs = {**StaffTable.Meta.attrs, "id": "rentals"}
        fields = ("device_name", "device_category", "name", "id_number", "street", "point", "start_on", "end_on",
                  "rent")
        sequence = fields

    def render_rent(self, value):
        return format_fen(value)
