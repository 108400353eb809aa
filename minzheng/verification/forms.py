"""Forms of the verification pages (input shape only; rules live in services)."""

from __future__ import annotations

from django import forms

from minzheng.registry.pickers import household_field
from minzheng.verification.models import Purpose


class RequestForm(forms.Form):
    household = household_field("核对家庭")
    purpose = forms.ChoiceField(label="核对用途", choices=Purpose.choices)
    note = forms.CharField(label="备注", max_length=200, required=False)


class AuthorisationForm(forms.Form):
    signed_by = forms.IntegerField(label="签署人", widget=forms.Select)
    signed_on = forms.DateField(label="签署日期", widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.FileField(label="授权书扫描件（PDF/JPG/PNG）")


class ComputeForm(forms.Form):
    as_of = forms.DateField(label="核对日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
