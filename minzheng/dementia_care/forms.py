"""Forms of 认知障碍风险筛查 (ADR 0034)."""

from __future__ import annotations

from django import forms

from minzheng.dementia_care.models import RiskLevel, ScreeningTool
from minzheng.registry.pickers import person_field

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ScreeningForm(forms.Form):
    person = person_field("老年人")
    tool = forms.ModelChoiceField(label="量表", queryset=ScreeningTool.objects.filter(active=True),
                                  empty_label="请选择", error_messages={"required": "请选择量表"})
    score = forms.IntegerField(label="得分", min_value=0, max_value=999)
    screened_on = forms.DateField(label="筛查日期", widget=DATE)
    screener = forms.CharField(label="筛查人", max_length=64)
    risk_level = forms.ChoiceField(label="风险等级（筛查人判断）", choices=RiskLevel.choices)
    note = forms.CharField(label="备注", max_length=200, required=False)


class ReferralForm(forms.Form):
    referral_to = forms.CharField(label="转介机构", max_length=100)
    referred_on = forms.DateField(label="转介日期", widget=DATE)


class FollowUpForm(forms.Form):
    visited_on = forms.DateField(label="随访日期", widget=DATE)
    visitor = forms.CharField(label="随访人", max_length=64)
    note = forms.CharField(label="随访情况", max_length=300)
