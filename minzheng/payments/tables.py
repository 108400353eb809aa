"""Payments lists as tables (sorting, paging, Excel export: ``core.lists``).

Every code shows its Chinese label (programs through ``labels.program_label``,
statuses through the model choices), staff by name and post, amounts in yuan."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from minzheng.core.lists import StaffTable
from minzheng.core.templatetags.minzheng_format import cn_date, staff, yuan
from minzheng.payments.labels import program_label
from minzheng.payments.models import (
    BatchStatus,
    OneOffPayment,
    OneOffStatus,
    PaymentBatch,
    PaymentLine,
    Receivable,
    SampleDraw,
)

STATUS_TONES = {BatchStatus.DRAFT: "secondary", BatchStatus.REVIEWED: "blue", BatchStatus.APPROVED: "yellow",
                BatchStatus.EXPORTED: "blue", BatchStatus.RECONCILED: "green"}
RIGHT = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}


def badge(text: str, tone: str) -> str:
    return format_html('<span class="badge bg-{}-lt text-nowrap">{}</span>', tone, text)


class MoneyColumn(tables.Column):
    """An amount in fen shown (and exported) in yuan. Payment amounts are sums
    of recorded lines, never unknown: a sum over no lines is 0.00 元."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("attrs", RIGHT)
        kwargs.pop("default", None)
        super().__init__(*args, empty_values=(), **kwargs)

    def render(self, value: Any) -> str:
        return yuan(value or 0)

    def value(self, value: Any) -> str:
        return yuan(value or 0)


class CountColumn(tables.Column):
    """A count: 0 is shown as 0, never blank."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("attrs", RIGHT)
        kwargs.setdefault("default", 0)
        super().__init__(*args, **kwargs)


class StaffColumn(tables.Column):
    """An account name shown as the staff member's name and post; each name
    is read once per table (a page has few distinct preparers), not per row."""

    def render(self, value: Any, table: Any) -> str:
        names = table.__dict__.setdefault("_staff_names", {})
        if value not in names:
            names[value] = staff(value)
        return names[value]

    def value(self, value: Any, table: Any) -> str:
        return self.render(value, table)


class ProgramColumn(tables.Column):
    def render(self, value: Any) -> str:
        return program_label(value)

    def value(self, value: Any) -> str:
        return program_label(value)


class BatchTable(StaffTable):
    number = tables.Column("批次号", linkify=("payments:batch_detail", {"pk": tables.A("pk")}))
    kind = tables.Column("类型")
    program = ProgramColumn("救助项目")
    month = tables.Column("发放月份")
    status = tables.Column("状态")
    control_count = CountColumn("全区笔数")
    control_total_fen = MoneyColumn("全区金额")
    scope_count = CountColumn("本辖区笔数")
    scope_amount_fen = MoneyColumn("本辖区金额", default=0)
    prepared_by = StaffColumn("制单人")

    class Meta(StaffTable.Meta):
        model = PaymentBatch
        fields = ("number", "kind", "program", "month", "status", "control_count", "control_total_fen",
                  "scope_count", "scope_amount_fen", "prepared_by")
        attrs = {**StaffTable.Meta.attrs, "id": "batches"}
        empty_text = "暂无批次"

    def render_status(self, record: PaymentBatch) -> str:
        return badge(record.get_status_display(), STATUS_TONES.get(record.status, "secondary"))

    def value_status(self, record: PaymentBatch) -> str:
        return record.get_status_display()


def payee_cell(line: PaymentLine) -> str:
    if line.person_id is None:  # an organisation payee (ADR 0032)
        return line.payee_name
    url = reverse("payments:person_accounts", args=[line.person_id])
    return format_html('<a href="{}">{}</a>', url, line.payee_name)


class LineTable(StaffTable):
    """The lines of one batch (on the batch page)."""

    seq = tables.Column("序号", attrs=RIGHT)
    kind = tables.Column("类型")
    benefit_month = tables.Column("所属月份")
    committee = tables.Column("街镇 / 居村委", accessor="committee__name", order_by=("street_id", "committee_id"))
    payee_name = tables.Column("户名")
    bank_name = tables.Column("开户银行")
    account_masked = tables.Column("账号", attrs={"td": {"class": "font-monospace text-nowrap"}})
    amount_fen = MoneyColumn("金额")
    split = tables.Column("市级 / 区级", empty_values=(), orderable=False)
    bank_return = tables.Column("银行结果", empty_values=(), orderable=False)

    class Meta(StaffTable.Meta):
        model = PaymentLine
        fields = ("seq", "kind", "benefit_month", "committee", "payee_name", "bank_name", "account_masked",
                  "amount_fen", "split", "bank_return")
        attrs = {**StaffTable.Meta.attrs, "id": "lines"}
        empty_text = "本辖区无发放明细"

    def render_kind(self, record: PaymentLine) -> str:
        if record.corrects_id:
            return format_html('{}<br><span class="small text-secondary">更正批次 {} 第 {} 笔</span>',
                               record.get_kind_display(), record.corrects.batch.number, record.corrects.seq)
        return record.get_kind_display()

    def render_committee(self, record: PaymentLine) -> str:
        return f"{record.street.name} / {record.committee.name}"

    def render_payee_name(self, record: PaymentLine) -> str:
        return payee_cell(record)

    def render_split(self, record: PaymentLine) -> str:
        return f"{yuan(record.city_fen)} / {yuan(record.district_fen)}"

    def render_bank_return(self, record: PaymentLine) -> str:
        hold = getattr(record, "hold", None) if hasattr(record, "hold") else None
        if hold is not None and hold.active:
            return format_html("{} {}", badge("已暂停发放", "orange"), hold.note)
        found = getattr(record, "bank_return", None) if hasattr(record, "bank_return") else None
        if found is None:
            return "未回盘"
        tone = "green" if found.outcome == "paid" else "red"
        return format_html("{} {}", badge(found.get_outcome_display(), tone), found.reason)


class OneOffTable(StaffTable):
    """一次性补贴申请: queued and paid one-off payments in scope."""

    requested_at = tables.Column("申请时间")
    program = ProgramColumn("补贴项目")
    payee = tables.Column("收款人", accessor="payee__name", order_by=("payee_id",), empty_values=())
    beneficiary = tables.Column("补贴对象", accessor="beneficiary__name", order_by=("beneficiary_id",), default="")
    committee = tables.Column("居村委", accessor="committee__name", order_by=("committee_id",))
    amount_fen = MoneyColumn("金额")
    reason = tables.Column("发放事由")
    status = tables.Column("状态")
    batch = tables.Column("发放批次", accessor="line__batch__number", default="", orderable=False)

    class Meta(StaffTable.Meta):
        model = OneOffPayment
        fields = ("requested_at", "program", "payee", "beneficiary", "committee", "amount_fen", "reason", "status",
                  "batch")
        attrs = {**StaffTable.Meta.attrs, "id": "one-off-payments"}
        empty_text = "暂无一次性补贴发放申请"

    def render_requested_at(self, value: Any) -> str:
        return cn_date(value)

    def render_payee(self, record: OneOffPayment) -> str:
        if record.payee_id is None:  # an organisation payee (ADR 0032)
            return record.payee_organisation.name if record.payee_organisation_id else ""
        return record.payee.name

    def value_payee(self, record: OneOffPayment) -> str:
        return self.render_payee(record)

    def value_requested_at(self, value: Any) -> str:
        return cn_date(value)

    def render_status(self, record: OneOffPayment) -> str:
        tone = ONE_OFF_TONES.get(record.status, "secondary")
        extra = f" {record.skipped_reason}" if record.status == OneOffStatus.QUEUED and record.skipped_reason else ""
        return format_html("{}{}", badge(record.get_status_display(), tone), extra)

    def value_status(self, record: OneOffPayment) -> str:
        return record.get_status_display() + (f"（{record.skipped_reason}）" if record.skipped_reason
                                              and record.status == OneOffStatus.QUEUED else "")

    def render_batch(self, record: OneOffPayment) -> str:
        if record.line is None:
            return ""
        url = reverse("payments:batch_detail", args=[record.line.batch_id])
        return format_html('<a href="{}">{}</a>', url, record.line.batch.number)


ONE_OFF_TONES = {OneOffStatus.QUEUED: "yellow", OneOffStatus.BATCHED: "blue", OneOffStatus.PAID: "green",
                 OneOffStatus.RETURNED: "red", OneOffStatus.CANCELLED: "secondary"}


class CorrectionTable(StaffTable):
    batch = tables.Column("批次", accessor="batch__number",
                          linkify=("payments:batch_detail", {"pk": tables.A("batch_id")}))
    seq = tables.Column("序号", attrs=RIGHT)
    program = ProgramColumn("救助项目")
    benefit_month = tables.Column("所属月份")
    payee_name = tables.Column("收款人")
    committee = tables.Column("居村委", accessor="committee__name", order_by=("committee_id",))
    account_masked = tables.Column("账号", attrs={"td": {"class": "font-monospace text-nowrap"}})
    amount_fen = MoneyColumn("金额")
    reason = tables.Column("银行退回原因", accessor="bank_return__reason", orderable=False)

    class Meta(StaffTable.Meta):
        model = PaymentLine
        fields = ("batch", "seq", "program", "benefit_month", "payee_name", "committee", "account_masked",
                  "amount_fen", "reason")
        attrs = {**StaffTable.Meta.attrs, "id": "corrections"}
        empty_text = "没有待更正的失败发放"

    def render_payee_name(self, record: PaymentLine) -> str:
        return payee_cell(record)


class LedgerTable(StaffTable):
    """资金台账: one row per payment month, street and program (aggregated lines)."""

    month = tables.Column("发放月份", accessor="batch__month")
    street = tables.Column("街镇", accessor="street__name", order_by=("street_id",))
    program = ProgramColumn("救助项目")
    n = CountColumn("笔数")
    amount = MoneyColumn("金额", default=0)
    city = MoneyColumn("市级资金", default=0)
    district = MoneyColumn("区级资金", default=0)
    failed = MoneyColumn("其中银行退回", default=0)

    class Meta(StaffTable.Meta):
        attrs = {**StaffTable.Meta.attrs, "id": "ledger"}
        empty_text = "无已审批的发放"
        order_by = ("month", "street", "program")


class ReceivableTable(StaffTable):
    person = tables.Column("人员", orderable=False)
    committee = tables.Column("居村委", accessor="committee__name", order_by=("committee_id",))
    balance_fen = MoneyColumn("应追缴余额", default=0)
    detail = tables.Column("", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta(StaffTable.Meta):
        model = Receivable
        fields = ("person", "committee", "balance_fen", "detail")
        attrs = {**StaffTable.Meta.attrs, "id": "receivables"}
        empty_text = "暂无应追缴款"

    def render_person(self, record: Receivable) -> str:
        return render_to_string("cells/person.html", {"value": record.person})

    def value_person(self, record: Receivable) -> str:
        return f"{record.person.name} {record.person.id_number_masked}"

    def render_detail(self, record: Receivable) -> str:
        return format_html('<a href="{}">办理</a>', reverse("payments:receivable_detail", args=[record.pk]))


class SampleDrawTable(StaffTable):
    created_at = tables.Column("抽样时间", linkify=("payments:sample_detail", {"pk": tables.A("pk")}))
    purpose = tables.Column("类型")
    month = tables.Column("发放月份")
    program = tables.Column("救助项目", empty_values=())
    per_street = CountColumn("每街镇抽取")
    seed = tables.Column("随机种子", attrs={"td": {"class": "font-monospace"}})
    created_by = StaffColumn("抽样人")

    class Meta(StaffTable.Meta):
        model = SampleDraw
        fields = ("created_at", "purpose", "month", "program", "per_street", "seed", "created_by")
        attrs = {**StaffTable.Meta.attrs, "id": "draws"}
        empty_text = "暂无抽样"

    def render_created_at(self, value: Any) -> str:
        return cn_date(value)

    def value_created_at(self, value: Any) -> str:
        return cn_date(value)

    def render_program(self, value: str) -> str:
        return program_label(value) if value else "全部项目"

    def value_program(self, value: str) -> str:
        return program_label(value) if value else "全部项目"

    def value_seed(self, value: Any) -> str:
        return str(value)


SETTLEMENT_TONES = {"补差": "blue", "追缴": "red", "需复核": "yellow", "无需处理": "secondary"}


class SettlementTable(StaffTable):
    """重新测算差额处理: one row per beneficiary and benefit month whose
    payment differs from what the month's current run entitles them to."""

    month = tables.Column("所属月份")
    street_name = tables.Column("街镇", order_by=("street_id",))
    committee_name = tables.Column("居村委", order_by=("committee_id",))
    name = tables.Column("姓名（收款人）")
    id_number_masked = tables.Column("身份证号", attrs={"td": {"class": "font-monospace text-nowrap"}})
    paid_fen = MoneyColumn("已发放")
    pending_fen = MoneyColumn("在途")
    charged_fen = MoneyColumn("已记追缴")
    entitled_fen = MoneyColumn("按当前测算应发")
    difference_fen = MoneyColumn("差额")
    action = tables.Column("处理")
    note = tables.Column("说明", orderable=False)

    class Meta(StaffTable.Meta):
        attrs = {**StaffTable.Meta.attrs, "id": "settlement"}
        empty_text = "没有需要处理的差额"

    def render_action(self, value: str) -> str:
        return badge(value, SETTLEMENT_TONES.get(value, "secondary"))

    def value_action(self, value: str) -> str:
        return value
