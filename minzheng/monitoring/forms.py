"""Forms of the monitoring pages (input shape only; rules live in the services)."""

from __future__ import annotations

import datetime as dt

from django import forms

from minzheng.monitoring.models import HardshipLabelKind, LeadOutcome, ServiceKind
from minzheng.monitoring.month_labels import month_label


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


def recent_months(today: dt.date, count: int = 13) -> list[tuple[str, str]]:
    """The current month and the twelve before it, newest first, as (YYYY-MM, "YYYY年M月")."""
    year, month = today.year, today.month
    out = []
    for _ in range(count):
        out.append((f"{year:04d}-{month:02d}", month_label(f"{year:04d}-{month:02d}")))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out


class RunForm(forms.Form):
    """The month to monitor: a ``<select>`` of recent months (any YYYY-MM is accepted when posted)."""

    month = forms.RegexField(label="监测月份", regex=r"^\d{4}-\d{2}$", error_messages={"invalid": "月份应为 YYYY-MM"},
                             widget=forms.Select)

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].widget.choices = recent_months(today or dt.date.today())


class LeadCloseForm(forms.Form):
    outcome = forms.ChoiceField(label="跟进结果", choices=LeadOutcome.choices)
    reason = forms.CharField(label="原因/说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    application_id = forms.IntegerField(label="对应申请（可选）", required=False, widget=forms.Select)

    def __init__(self, *args, applications=(), **kwargs):
        super().__init__(*args, **kwargs)
        if applications:
            self.fields["application_id"].widget.choices = [("", "—（不关联）")] + [
                (a.pk, f"{a.number} {a.get_program_display()} {a.get_status_display()}") for a in applications]
        else:
            del self.fields["application_id"]


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="走访日期", initial=dt.date.today, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    visitors = forms.CharField(label="走访人员", max_length=200)
    findings = forms.CharField(label="走访情况", widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label="附件（照片、材料）", required=False)


class TaskCompleteForm(forms.Form):
    result = forms.CharField(label="跟进情况", widget=forms.Textarea(attrs={"rows": 3}))


class ExitResolveForm(forms.Form):
    decision = forms.ChoiceField(label="核实结论", choices=[("exit", "终止保障"), ("keep", "继续保障")])
    resolution = forms.CharField(label="核实情况", widget=forms.Textarea(attrs={"rows": 3}))
    effective_month = forms.RegexField(label="停发月份", regex=r"^\d{4}-\d{2}$", required=False,
                                       help_text="不选则自下月起停发", error_messages={"invalid": "月份应为 YYYY-MM"},
                                       widget=forms.Select)

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        day = today or dt.date.today()
        ahead = dt.date(day.year + (day.month + 2 > 12), (day.month + 2 - 1) % 12 + 1, 1)
        self.fields["effective_month"].widget.choices = [("", "下月（默认）"), *recent_months(ahead, 8)]


class LabelForm(forms.Form):
    label = forms.ChoiceField(label="标签", choices=HardshipLabelKind.choices)
    note = forms.CharField(label="说明", max_length=200, required=False)


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label="服务类型", choices=ServiceKind.choices)
    served_on = forms.DateField(label="服务日期", initial=dt.date.today, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    provider = forms.CharField(label="服务提供方", max_length=100, required=False)
    description = forms.CharField(label="服务内容", widget=forms.Textarea(attrs={"rows": 2}))


class AssignmentForm(forms.Form):
    advisor = forms.ChoiceField(label="救助顾问")
    committee = forms.ChoiceField(label="居村委")

    def __init__(self, *args, advisors=(), committees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].choices = [(a.pk, a.signature) for a in advisors]
        self.fields["committee"].choices = [(c.code, c.name) for c in committees]
