"""Monitoring lists as tables (sorting, paging, Excel export: ``core.lists``).

Every code shows its one Chinese label (docs/adr/0012-design-system.md):
programs by ``policy``'s labels (``selectors.program_label``), statuses,
kinds and bands by the model choices. Households are shown by their head
(the household chip); the export carries the head's name and masked ID.
"""

from __future__ import annotations

from typing import Any

import django_tables2 as tables

from minzheng.core.lists import StaffTable
from minzheng.core.templatetags.minzheng_format import cn_date, yuan
from minzheng.monitoring.models import (
    AutoEnrolmentNotice,
    EdgeHousehold,
    ExitReview,
    FollowUpTask,
    Lead,
)
from minzheng.monitoring.month_labels import month_label
from minzheng.monitoring.selectors import program_label
from minzheng.registry.selectors import household_heads

CELLS = "monitoring/cells/"
RIGHT = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}
# Short labels stay on one line; on a phone the table scrolls sideways inside
# its card instead of wrapping a label character by character.
NOWRAP = {"td": {"class": "text-nowrap"}}


def household_text(household: Any) -> str:
    """The household as the export names it: head of household and masked ID."""
    if household is None:
        return ""
    heads = household_heads(household)  # prefetched by the list (``prefetch_heads``)
    if not heads:
        return "无在册户主的家庭"
    person = heads[0].person
    return f"{person.name}家 {person.id_number_masked}"


def deadline_text(record: Any) -> str:
    if record.due_on:
        return cn_date(record.due_on)
    return record.deadline_note or "无期限"


def yuan_text(fen: int | None) -> str:
    """The export's amount: the pages' yuan format; unknown stays 未知, never 0."""
    return "未知" if fen is None else yuan(fen)


class ProgramColumn(tables.Column):
    """A program id shown (and exported) by its Chinese label."""

    def render(self, value: str) -> str:
        return program_label(value)

    def value(self, value: str) -> str:
        return program_label(value)


class MoneyColumn(tables.TemplateColumn):
    """An amount in fen shown in yuan (unknown stays 未知); exported as yuan."""

    def __init__(self, verbose_name: str, **kwargs: Any) -> None:
        super().__init__(template_name=CELLS + "money.html", verbose_name=verbose_name, attrs=RIGHT,
                         **kwargs)

    def value(self, value: int | None, **kwargs: Any) -> str:
        return yuan_text(value)


# Cells with components (<c-…>) are template files: cotton compiles templates
# loaded from files, not django-tables2's inline ``template_code``.


class LeadTable(StaffTable):
    number = tables.TemplateColumn(template_name=CELLS + "lead_link.html", verbose_name="编号", order_by=("id",))
    program = ProgramColumn("救助项目", attrs=NOWRAP)
    subject = tables.TemplateColumn(template_name=CELLS + "subject.html", verbose_name="对象", orderable=False)
    committee = tables.Column("居村委", accessor="committee__name", order_by=("committee_id",), attrs=NOWRAP)
    amount_fen = MoneyColumn("测算金额（每月）")
    due_on = tables.TemplateColumn(template_name=CELLS + "deadline.html", verbose_name="跟进期限")
    status = tables.TemplateColumn(template_name=CELLS + "status.html", verbose_name="状态", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = Lead
        fields = ("number", "program", "subject", "committee", "amount_fen", "due_on", "status")
        attrs = {**StaffTable.Meta.attrs, "id": "leads"}

    def value_number(self, record: Lead) -> str:
        return f"线索 {record.pk}"

    def value_subject(self, record: Lead) -> str:
        text = household_text(record.household)
        return f"{text}（对象：{record.person.name}）" if record.person_id else text

    def value_due_on(self, record: Lead) -> str:
        return deadline_text(record) + ("（已上报街镇）" if record.escalated else "")

    def value_status(self, record: Lead) -> str:
        status = record.get_status_display()
        return f"{status}：{record.get_outcome_display()}" if record.outcome else status


class TaskTable(StaffTable):
    number = tables.TemplateColumn(template_name=CELLS + "task_link.html", verbose_name="编号", order_by=("id",))
    kind = tables.Column("风险类型", attrs=NOWRAP)
    person = tables.TemplateColumn(template_name=CELLS + "person.html", verbose_name="人员", orderable=False)
    household = tables.TemplateColumn(template_name=CELLS + "task_household.html", verbose_name="家庭",
                                      orderable=False)
    committee = tables.Column("居村委", accessor="committee__name", order_by=("committee_id",), attrs=NOWRAP)
    event_date = tables.TemplateColumn("{% load minzheng_format %}{{ value|cn_date }}", verbose_name="事件日期")
    due_on = tables.TemplateColumn(template_name=CELLS + "deadline.html", verbose_name="跟进期限")
    status = tables.TemplateColumn(template_name=CELLS + "status.html", verbose_name="状态", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = FollowUpTask
        fields = ("number", "kind", "person", "household", "committee", "event_date", "due_on", "status")
        attrs = {**StaffTable.Meta.attrs, "id": "tasks"}

    def value_number(self, record: FollowUpTask) -> str:
        return f"任务 {record.pk}"

    def value_person(self, record: FollowUpTask) -> str:
        return f"{record.person.name} {record.person.id_number_masked}"

    def value_household(self, record: FollowUpTask) -> str:
        return household_text(record.household)

    def value_event_date(self, record: FollowUpTask) -> str:
        return cn_date(record.event_date)

    def value_due_on(self, record: FollowUpTask) -> str:
        return deadline_text(record) + ("（已上报街镇）" if record.escalated else "")

    def value_status(self, record: FollowUpTask) -> str:
        return record.get_status_display()


class ExitTable(StaffTable):
    number = tables.TemplateColumn(template_name=CELLS + "exit_link.html", verbose_name="编号", order_by=("id",))
    program = ProgramColumn("救助项目", attrs=NOWRAP)
    subject = tables.TemplateColumn(template_name=CELLS + "subject.html", verbose_name="对象", orderable=False)
    committee = tables.Column("居村委", accessor="committee__name", order_by=("committee_id",), attrs=NOWRAP)
    kind = tables.Column("原因", attrs=NOWRAP)
    due_on = tables.TemplateColumn(template_name=CELLS + "deadline.html", verbose_name="核实期限")
    status = tables.TemplateColumn(template_name=CELLS + "status.html", verbose_name="状态", attrs=NOWRAP)

    class Meta(StaffTable.Meta):
        model = ExitReview
        fields = ("number", "program", "subject", "committee", "kind", "due_on", "status")
        attrs = {**StaffTable.Meta.attrs, "id": "exits"}

    def value_number(self, record: ExitReview) -> str:
        return f"核实 {record.pk}"

    def value_subject(self, record: ExitReview) -> str:
        text = household_text(record.household)
        if record.person_id:
            return f"{text}（对象：{record.person.name}）" if text else record.person.name
        return text

    def value_due_on(self, record: ExitReview) -> str:
        return deadline_text(record)

    def value_status(self, record: ExitReview) -> str:
        return record.get_status_display()


class EdgeTable(StaffTable):
    household = tables.TemplateColumn(template_name=CELLS + "edge_household.html", verbose_name="家庭",
                                      orderable=False)
    committee = tables.Column("居村委", accessor="committee__name", order_by=("committee_id",), attrs=NOWRAP)
    band = tables.Column("类别", attrs=NOWRAP)
    members = tables.Column("人口", attrs=RIGHT)
    per_capita_income_fen = MoneyColumn("人均计入收入")
    line_fen = MoneyColumn("对应标准（每月）")
    margin_pct = tables.TemplateColumn("{{ value }}%", verbose_name="监测幅度", attrs=RIGHT)

    class Meta(StaffTable.Meta):
        model = EdgeHousehold
        fields = ("household", "committee", "band", "members", "per_capita_income_fen", "line_fen", "margin_pct")
        attrs = {**StaffTable.Meta.attrs, "id": "edges"}

    def value_household(self, record: EdgeHousehold) -> str:
        return household_text(record.household)

    def value_margin_pct(self, value: int) -> str:
        return f"{value}%"


class NoticeTable(StaffTable):
    person = tables.TemplateColumn(template_name=CELLS + "person.html", verbose_name="人员", orderable=False)
    program = ProgramColumn("救助项目", attrs=NOWRAP)
    committee = tables.Column("居村委", accessor="committee__name", order_by=("committee_id",), attrs=NOWRAP)
    start_month = tables.Column("起始月份", attrs=NOWRAP)
    monthly_amount_fen = MoneyColumn("月金额")
    created_at = tables.TemplateColumn("{% load minzheng_format %}{{ value|cn_date }}", verbose_name="告知生成时间")

    class Meta(StaffTable.Meta):
        model = AutoEnrolmentNotice
        fields = ("person", "program", "committee", "start_month", "monthly_amount_fen", "created_at")
        attrs = {**StaffTable.Meta.attrs, "id": "notices"}

    def render_start_month(self, value: str) -> str:
        return month_label(value)

    def value_start_month(self, value: str) -> str:
        return month_label(value)

    def value_person(self, record: AutoEnrolmentNotice) -> str:
        return f"{record.person.name} {record.person.id_number_masked}"

    def value_created_at(self, record: AutoEnrolmentNotice) -> str:
        return cn_date(record.created_at)


class AssignmentTable(StaffTable):
    """Advisors and the committees they look after; the bureau and streets may end one."""

    advisor = tables.Column("救助顾问", accessor="advisor__full_name", order_by=("advisor__full_name",))
    committee = tables.Column("居村委", accessor="committee__name", order_by=("committee_id",), attrs=NOWRAP)
    street = tables.Column("街镇", accessor="street__name", order_by=("street_id",), attrs=NOWRAP)
    assigned_on = tables.TemplateColumn("{% load minzheng_format %}{{ value|cn_date }}", verbose_name="起始日期")
    actions = tables.TemplateColumn(template_name=CELLS + "assignment_end.html", verbose_name="操作",
                                    orderable=False, exclude_from_export=True)

    class Meta(StaffTable.Meta):
        fields = ("advisor", "committee", "street", "assigned_on", "actions")
        attrs = {**StaffTable.Meta.attrs, "id": "assignments"}

    def __init__(self, *args: Any, can_end: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_end:
            self.columns.hide("actions")

    def render_advisor(self, record: Any) -> str:
        return record.advisor.signature
