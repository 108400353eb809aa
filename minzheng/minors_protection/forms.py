"""Forms of 未成年人保护 (ADR 0036). Dates are bounded (core.bounds) by the services."""

from __future__ import annotations

from django import forms

from minzheng.minors_protection.models import (
    CloseReason,
    ConcernKind,
    MeasureKind,
    ReporterKind,
    RiskLevel,
    StaffPosition,
    Urgency,
)
from minzheng.registry.pickers import person_field

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportForm(forms.Form):
    child = person_field("未成年人", help_text="在人口库中查找（本人辖区内）")
    kinds = forms.ModelMultipleChoiceField(label="情形", queryset=ConcernKind.objects.filter(active=True),
                                           widget=forms.CheckboxSelectMultiple,
                                           error_messages={"required": "请至少选择一种情形"})
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices)
    reporter_kind = forms.ChoiceField(label="报告人类别", choices=ReporterKind.choices)
    reporter_name = forms.CharField(label="报告人或单位", max_length=100, required=False)
    description = forms.CharField(label="反映情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    special_protection = forms.BooleanField(label="特别保护", required=False)
    special_reason = forms.CharField(label="特别保护理由", max_length=200, required=False)


class AssessForm(forms.Form):
    risk_level = forms.ChoiceField(label="风险等级", choices=RiskLevel.choices)
    assessment = forms.CharField(label="评估意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    plan = forms.CharField(label="一人一方案", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label="措施", choices=MeasureKind.choices)
    taken_on = forms.DateField(label="日期", widget=DATE)
    agency = forms.CharField(label="接收单位（转介时必填）", max_length=100, required=False)
    detail = forms.CharField(label="具体情况", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label="结果", max_length=1000)
    outcome_on = forms.DateField(label="结果日期", widget=DATE)


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label="结案原因", choices=CloseReason.choices)
    closed_on = forms.DateField(label="结案日期", widget=DATE)
    note = forms.CharField(label="结案说明", max_length=300, required=False)


class SpecialForm(forms.Form):
    special = forms.BooleanField(label="特别保护", required=False)
    reason = forms.CharField(label="理由", max_length=200, required=False)


class DeadlineForm(forms.Form):
    hours = forms.IntegerField(label="评估时限（小时）", min_value=1, max_value=720)
    basis = forms.CharField(label="依据", max_length=300, required=False)


class StationForm(forms.Form):
    street = forms.ChoiceField(label="街镇")
    name = forms.CharField(label="名称", max_length=80)
    address = forms.CharField(label="地址", max_length=200, required=False)
    phone = forms.CharField(label="联系电话", max_length=32, required=False)


class StaffForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=64, required=False)
    position = forms.ChoiceField(label="职务", choices=StaffPosition.choices)
    username = forms.CharField(label="工作人员账号（用户名，可不填）", max_length=150, required=False)
    phone = forms.CharField(label="联系电话", max_length=32, required=False)
