"""Casework lists as tables (sorting, paging, Excel export: ``core.lists``).

Households are shown by their head of household (the chip), statuses as
badges with their Chinese label, deadlines with the days left. The export
carries the same columns as text (IDs masked, labels not codes).
"""

from __future__ import annotations

import datetime as dt

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse

from minzheng.casework.deadlines import is_overdue
from minzheng.casework.models import Application, Enrolment
from minzheng.casework.templatetags.casework_ui import step_label
from minzheng.core.lists import StaffTable
from minzheng.core.templatetags.minzheng_format import cn_date, yuan
from minzheng.registry.selectors import household_heads


def _household_text(household) -> str:
    """The household as the export names it: head of household's name and masked ID."""
    heads = household_heads(household) if household is not None else []
    if not heads:
        return "无在册户主的家庭"
    return f"{heads[0].person.name}家 {heads[0].person.id_number_masked}"


def _subject_text(enrolment: Enrolment) -> str:
    """A person's enrolment names the person; a household's names the household."""
    if enrolment.person_id:
        return f"{enrolment.person.name} {enrolment.person.id_number_masked}"
    return _household_text(enrolment.household)


NOWRAP = {"td": {"class": "text-nowrap"}}


class ApplicationTable(StaffTable):
    number = tables.Column("案号", attrs=NOWRAP, empty_values=(), order_by=("id",),
                           linkify=lambda record: reverse("casework:application_detail", args=[record.pk]))
    household = tables.Column("申请家庭 / 申请人", empty_values=(), orderable=False)
    program = tables.Column("救助项目", attrs=NOWRAP)
    committee = tables.Column("居村委", attrs=NOWRAP, accessor="committee__name", order_by=("committee_id",))
    applied_on = tables.Column("申请日期", attrs=NOWRAP)
    status = tables.Column("当前环节")
    due_on = tables.Column("办理期限", empty_values=())

    class Meta(StaffTable.Meta):
        model = Application
        attrs = {**StaffTable.Meta.attrs, "id": "applications"}
        fields = ("number", "household", "program", "committee", "applied_on", "status", "due_on")
        sequence = fields
        row_attrs = {"class": lambda record: "table-warning" if is_overdue(record, dt.date.today()) else ""}

    def render_number(self, record: Application) -> str:
        return record.number

    def render_household(self, record: Application) -> str:
        return render_to_string("casework/cells/applicant.html", {"application": record})

    def value_household(self, record: Application) -> str:
        return f"{_household_text(record.household)} · 申请人 {record.applicant.name}"

    def render_applied_on(self, value) -> str:
        return cn_date(value)

    def render_status(self, record: Application) -> str:
        return render_to_string("casework/cells/status.html", {"application": record})

    def value_status(self, record: Application) -> str:
        pending = step_label(record.due_action) if record.is_open else ""
        return f"{record.get_status_display()}（待{pending}）" if pending else record.get_status_display()

    def render_due_on(self, record: Application) -> str:
        return render_to_string("casework/cells/deadline.html", {"application": record})

    def value_due_on(self, record: Application) -> str:
        if not record.is_open:
            return ""
        return cn_date(record.due_on) if record.due_on else ("期限待定" if record.deadline_note else "")


class EnrolmentTable(StaffTable):
    pk = tables.Column("编号", attrs=NOWRAP, linkify=lambda record: reverse("casework:enrolment_detail", args=[record.pk]),
                       order_by=("id",))
    subject = tables.Column("保障对象", empty_values=(), orderable=False)
    program = tables.Column("救助项目")
    committee = tables.Column("居村委", accessor="committee__name", order_by=("committee_id",))
    months = tables.Column("起止月份", attrs=NOWRAP, empty_values=(), order_by=("start_month",))
    monthly_amount_fen = tables.Column("月金额", attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}})
    status = tables.Column("状态")
    source = tables.Column("来源", attrs=NOWRAP)
    next_review_on = tables.Column("下次复核", empty_values=())

    class Meta(StaffTable.Meta):
        model = Enrolment
        attrs = {**StaffTable.Meta.attrs, "id": "enrolments"}
        fields = ("pk", "subject", "program", "committee", "months", "monthly_amount_fen", "status", "source",
                  "next_review_on")
        sequence = fields

    def render_subject(self, record: Enrolment) -> str:
        return render_to_string("casework/cells/enrolment_subject.html", {"enrolment": record})

    def value_subject(self, record: Enrolment) -> str:
        return _subject_text(record)

    def render_months(self, record: Enrolment) -> str:
        return f"{record.start_month} – {record.end_month}" if record.end_month else f"{record.start_month} 起"

    def render_monthly_amount_fen(self, value: int) -> str:
        return yuan(value)

    def render_status(self, record: Enrolment) -> str:
        return render_to_string("casework/cells/enrolment_status.html", {"enrolment": record})

    def value_status(self, record: Enrolment) -> str:
        reason = f"（{record.status_reason}）" if record.status_reason else ""
        return f"{record.get_status_display()}{reason}"

    def render_next_review_on(self, record: Enrolment) -> str:
        if record.status == "terminated" or record.next_review_on is None:
            return "—"
        return render_to_string("casework/cells/review_due.html", {"enrolment": record})

    def value_next_review_on(self, record: Enrolment) -> str:
        return cn_date(record.next_review_on) if record.next_review_on else ""


class RereviewTable(StaffTable):
    """复核工作清单: enrolments due for re-review, overdue first."""

    subject = tables.Column("保障对象", empty_values=(), orderable=False)
    program = tables.Column("救助项目", attrs=NOWRAP)
    committee = tables.Column("居村委", attrs=NOWRAP, accessor="committee__name", order_by=("committee_id",))
    situation = tables.Column("家庭情况", empty_values=(), order_by=("has_able_member",))
    next_review_on = tables.Column("应复核日期")
    action = tables.Column("操作", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta(StaffTable.Meta):
        model = Enrolment
        fields = ("subject", "program", "committee", "situation", "next_review_on", "action")
        sequence = fields
        attrs = {**StaffTable.Meta.attrs, "id": "rereviews"}
        row_attrs = {"class": lambda record: "table-warning" if record.next_review_on < dt.date.today() else ""}

    def render_subject(self, record: Enrolment) -> str:
        return render_to_string("casework/cells/enrolment_subject.html", {"enrolment": record})

    def value_subject(self, record: Enrolment) -> str:
        return _subject_text(record)

    def render_situation(self, record: Enrolment) -> str:
        return "有劳动能力成员" if record.has_able_member else "仅老年人/残疾人/未成年人"

    def render_next_review_on(self, record: Enrolment) -> str:
        return render_to_string("casework/cells/review_due.html", {"enrolment": record})

    def value_next_review_on(self, record: Enrolment) -> str:
        return cn_date(record.next_review_on)

    def render_action(self, record: Enrolment) -> str:
        return render_to_string("casework/cells/rereview_action.html", {"enrolment": record})
