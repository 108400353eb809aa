"""The marriage lists as tables (``core.lists``): parties by name and masked ID
number, statuses by their Chinese label, the divorce clock with days left."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from minzheng.core.lists import StaffTable
from minzheng.core.templatetags.minzheng_format import cn_date
from minzheng.marriage.clock import PHASE_LABELS, days_left, phase
from minzheng.marriage.models import DivorceApplication, MarriageRegistration

NOWRAP = {"td": {"class": "text-nowrap"}}
PENDING = "待定（节假日安排未录入）"


def _party(registration: MarriageRegistration, sex: str):
    return next((p for p in registration.parties.all() if p.sex == sex), None)


def _party_html(party) -> str:
    if party is None:
        return "—"
    return format_html('{}<div class="small text-secondary font-monospace">{}</div>', party.name, party.id_number_masked)


def _party_text(party) -> str:
    return "—" if party is None else f"{party.name} {party.id_number_masked}"


class RegistrationTable(StaffTable):
    registered_on = tables.Column("登记日期", attrs=NOWRAP,
                                  linkify=lambda record: reverse("marriage:registration_detail", args=[record.pk]))
    man = tables.Column("男方", empty_values=(), orderable=False)
    woman = tables.Column("女方", empty_values=(), orderable=False)
    cross_province = tables.Column("跨省登记", attrs=NOWRAP)
    status = tables.Column("婚姻状态", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = MarriageRegistration
        attrs = {**StaffTable.Meta.attrs, "id": "registrations"}
        fields = ("registered_on", "man", "woman", "cross_province", "status")
        sequence = fields

    def render_registered_on(self, value) -> str:
        return cn_date(value)

    def render_man(self, record):
        return _party_html(_party(record, "M"))

    def value_man(self, record):
        return _party_text(_party(record, "M"))

    def render_woman(self, record):
        return _party_html(_party(record, "F"))

    def value_woman(self, record):
        return _party_text(_party(record, "F"))

    def render_cross_province(self, value) -> str:
        return "是" if value else "否"

    def render_status(self, record) -> str:
        return record.get_status_display()


class DivorceTable(StaffTable):
    received_on = tables.Column("收到申请", attrs=NOWRAP,
                                linkify=lambda record: reverse("marriage:divorce_detail", args=[record.pk]))
    parties = tables.Column("当事人", empty_values=(), orderable=False)
    withdrawal_until = tables.Column("撤回截止日", attrs=NOWRAP, empty_values=())
    appear_until = tables.Column("到场截止日", attrs=NOWRAP, empty_values=())
    status = tables.Column("办理情况", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = DivorceApplication
        attrs = {**StaffTable.Meta.attrs, "id": "divorces"}
        fields = ("received_on", "parties", "withdrawal_until", "appear_until", "status")
        sequence = fields

    def render_received_on(self, value) -> str:
        return cn_date(value)

    def render_parties(self, record):
        return format_html("{}<br>{}", _party_html(_party(record.marriage, "M")), _party_html(_party(record.marriage, "F")))

    def value_parties(self, record):
        return f"{_party_text(_party(record.marriage, 'M'))}；{_party_text(_party(record.marriage, 'F'))}"

    def _countdown(self, record, until):
        if until is None:
            return PENDING
        today = timezone.localdate()
        if not record.is_open or until < today:
            return cn_date(until)
        return format_html('{} <span class="badge bg-yellow-lt">剩 {} 天</span>', cn_date(until), days_left(until, today))

    def render_withdrawal_until(self, record):
        return self._countdown(record, record.withdrawal_until)

    def value_withdrawal_until(self, record):
        return cn_date(record.withdrawal_until) if record.withdrawal_until else PENDING

    def render_appear_until(self, record):
        return self._countdown(record, record.appear_until)

    def value_appear_until(self, record):
        return cn_date(record.appear_until) if record.appear_until else PENDING

    def render_status(self, record) -> str:
        return status_text(record)

    def value_status(self, record) -> str:
        return status_text(record)


def status_text(record: DivorceApplication) -> str:
    if not record.is_open:
        return record.get_status_display()
    return PHASE_LABELS[phase(withdrawal_until=record.withdrawal_until, appear_until=record.appear_until,
                              today=timezone.localdate(), received=record.received_on)]
