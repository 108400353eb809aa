"""Forms of 探访关爱 (ADR 0034)."""

from __future__ import annotations

from django import forms

from minzheng.core.pickers import committee_field
from minzheng.hardship_visits.models import VisitMode

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="探访日期", widget=DATE)
    visitor = forms.ChoiceField(label="探访人员")
    mode = forms.ChoiceField(label="方式", choices=VisitMode.choices)
    findings = forms.CharField(label="探访情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    needs_follow_up = forms.BooleanField(label="需要跟进", required=False)
    follow_up_note = forms.CharField(label="跟进事项", required=False, max_length=200)

    def __init__(self, *args, visitors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitor"].choices = [(v.pk, str(v)) for v in visitors]


class VisitorForm(forms.Form):
    committee = committee_field(required=True)
    name = forms.CharField(label="志愿者姓名", max_length=64)
    phone = forms.CharField(label="联系电话", max_length=32, required=False)


class CategoryForm(forms.Form):
    frequency_days = forms.IntegerField(label="探访周期（天）", min_value=1, max_value=366)
    active = forms.BooleanField(label="启用", required=False)
    basis = forms.CharField(label="依据", max_length=300, required=False)
