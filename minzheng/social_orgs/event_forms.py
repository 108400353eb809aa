"""Forms of the major-event and reminder pages (input shape only; the rules live in
:mod:`.major_events` and :mod:`.reminders`)."""

from __future__ import annotations

from django import forms

from minzheng.core.form_fields import FiniteDecimalField
from minzheng.social_orgs.models import EventKind, EventStatus, OrgKind, ReminderChannel
from policy.money import parse_yuan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE,
                           error_messages={"required": f"请填写{label}", "invalid": f"{label}格式应为YYYY-MM-DD"})


def _names(text: str) -> list[str]:
    """附件: one document name per line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class EventForm(forms.Form):
    """报告重大事项 (the amount in yuan; attachments: one document name a line)."""

    organization = forms.TypedChoiceField(label="社会组织", coerce=int)
    kind = forms.ChoiceField(label="事项类别", choices=EventKind.choices)
    title = forms.CharField(label="事项名称", max_length=100)
    event_on = _date("事项日期")
    description = forms.CharField(label="事项内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="时间、地点、参与方、经过或安排；事前报告的写明计划")
    amount = FiniteDecimalField(label="涉及金额（元）", max_digits=15, decimal_places=2, required=False, min_value=0,
                                max_value=10**13, help_text="接受境外捐赠或资助、大额资金往来必填；其他可不填")
    attachments = forms.CharField(label="附件（材料名称，每行一份，可不填）", max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("organization")
        amount = data.pop("amount", None)
        data["amount_fen"] = None if amount is None else parse_yuan(str(amount))
        data["attachments"] = _names(data["attachments"])
        return data


class EventReviewForm(forms.Form):
    outcome = forms.ChoiceField(label="审查结果", choices=[c for c in EventStatus.choices if c[0] != "reported"])
    reasons = forms.CharField(label="审查意见（需补充、不予认可时必填）", max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    on = _date("审查日期")


class EventSupplementForm(forms.Form):
    supplement = forms.CharField(label="补充说明", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    attachments = forms.CharField(label="补充附件（材料名称，每行一份，可不填）", max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def service_values(self) -> dict:
        return {"supplement": self.cleaned_data["supplement"], "attachments": _names(self.cleaned_data["attachments"])}


class ReminderForm(forms.Form):
    channel = forms.ChoiceField(label="催报方式", choices=ReminderChannel.choices)
    note = forms.CharField(label="说明", max_length=300, required=False)


class BulkReminderForm(forms.Form):
    channel = forms.ChoiceField(label="催报方式", choices=ReminderChannel.choices)
    kind = forms.ChoiceField(label="类型", choices=[("", "全部类型"), *OrgKind.choices], required=False)
